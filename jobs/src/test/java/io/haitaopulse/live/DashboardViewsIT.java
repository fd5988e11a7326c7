package io.haitaopulse.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haitaopulse.stack.LocalPostgres;
import io.haitaopulse.testutil.LiveStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/sql against a real PostgreSQL: the scripts apply (twice, they are idempotent), the views
 * answer what dashboards ask with hand-checked rows, names from the catalogue tables included (and
 * rows without a catalogue record kept), and the dashboard role reads the views and nothing else.
 */
class DashboardViewsIT {

    private static String url;
    private static PostgresUpsertSink.Settings owner;

    @BeforeAll
    static void applyScripts() {
        url = LiveStack.freshDatabase("views");
        owner = new PostgresUpsertSink.Settings(
                url, LocalPostgres.USER, null, 1, 0, PostgresUpsertSink.Mode.MULTI_ROW, 0, 0L);
        for (int round = 0; round < 2; round++) {
            for (String script : LiveSetup.SQL_SCRIPTS) {
                LiveSetup.execute(owner, LiveSetup.script(script));
            }
        }
        LiveSetup.execute(
                owner,
                String.join(
                        "\n",
                        "INSERT INTO hot_items VALUES (0, 600, 'all', 1, 10, 9), (0, 600, 'all', 2, 11, 5),",
                        "  (300, 900, 'all', 1, 11, 12), (300, 900, 'all', 2, 12, 7), (300, 900, 'all', 3, 10, 6), (300, 900, '7', 1, 12, 7);",
                        "INSERT INTO campaign_uplift (campaign_id, metric, as_of, n_treatment, n_control, lift_abs, srm_p,",
                        "  incremental_revenue_cents) VALUES ('c1', 'conversion', 100, 10, 5, 0.1, 0.5, 7),",
                        "  ('c1', 'conversion', 200, 20, 9, 0.2, 0.0001, 9), ('c1', 'revenue_per_user', 200, 20, 9, 30.0, 0.0001, 9);",
                        "INSERT INTO sourcing_shortlist VALUES (100, 3, 1, 30, 2.0, 1.0, 0.1, 4.5, 0.01, 0.0, 10, '{a}'),",
                        "  (200, 3, 1, 31, 3.0, 2.0, 0.1, null, 0.01, 0.0, 20, '{b,c}');",
                        "INSERT INTO traffic VALUES (0, 3600000, '1h', 'all', 'all', 90, 30, true),",
                        "  (3600000, 7200000, '1h', 'all', 'all', 50, 20, true), (3600000, 7200000, '1h', 'device', 'ios', 20, 12, true),",
                        "  (3600000, 3660000, '1m', 'all', 'all', 5, 3, true), (3660000, 3720000, '1m', 'all', 'all', 7, 4, true),",
                        "  (3660000, 3720000, '1m', 'region', 'wuhan', 6, 4, true);",
                        "INSERT INTO funnel VALUES (0, 3600000, 5, 10, 4, 2, 1, 0.4, 0.5, 0.5, 0.1),",
                        "  (86400000, 90000000, 5, 8, 2, 1, 1, 0.25, 0.5, 1.0, 0.125);",
                        "INSERT INTO order_timeouts VALUES ('o1', 'p1', 0, 900000, null), ('o2', 'p2', 3000000, 3900000, 4000000),",
                        "  ('o3', 'p3', 3100000, 4000000, null);",
                        "INSERT INTO suspicious_events VALUES ('{\"type\":\"click\",\"user_id\":\"b1\",\"ts\":1000}', 'repeat-item', 0, 3600000, 'r1'),",
                        "  ('{\"type\":\"click\",\"user_id\":\"b1\",\"ts\":2000}', 'repeat-item', 0, 3600000, 'r2'),",
                        "  ('{\"type\":\"click\",\"user_id\":\"b2\",\"ts\":3700000}', 'no-dwell', 3700000, 7300000, 'r3');",
                        // Items 10 and 30 and category 5 have no catalogue record; of category 7's two items the
                        // newer record names the category.
                        "INSERT INTO items VALUES (11, 7, 'Aptamil Profutura 2 800g', 100, 'Infant formula / 婴儿奶粉', 'Aptamil', 'DE', 26800),",
                        "  (12, 7, 'Merries diapers M 64', 50, 'Diapers / 纸尿裤', 'Kao', 'JP', 12900),",
                        "  (31, 3, 'Blackmores Fish Oil 1000mg', 10, 'Health supplements / 保健品', 'Blackmores', 'AU', 15900);",
                        "INSERT INTO campaigns VALUES ('c1', 'HOLIDAY_DISCOUNT', 0, 1000, 0.1, null, null, 'Singles'' Day');",
                        // Evaluated windows every 5 min up to 86,400,000 (one day), newest three from 85,800,000.
                        "INSERT INTO category_trends (window_start, window_end, category_id, views, carts, buys, active_items,",
                        "  trending, trending_items) SELECT e - 3600000, e, 7, 1, 0, 0, 1, false, 0",
                        "  FROM generate_series(85200000, 86400000, 300000) e;",
                        // Item 11: new (started in the third newest window); item 12: a new episode started in the
                        // newest window and one that ended 70 min before it; item 10 (no catalogue record, category
                        // 5 unnamed): ongoing for 110 min; item 31: ended 6 h 30 min before the newest window,
                        // gone; item 30: ended exactly 6 h before it, gone too.
                        "INSERT INTO trend_alerts VALUES (11, 7, 85800000, null, 86400000, 3.5, 4.25, 60),",
                        "  (12, 7, 86400000, null, 86400000, 2.75, 3.75, 41), (12, 7, 81000000, 82200000, 81900000, 5.25, 6.5, 90),",
                        "  (10, 5, 79800000, null, 86400000, 9.5, 12.0, 300), (31, 3, 60000000, 63000000, 62700000, 2.6, 4.0, 30),",
                        "  (30, 3, 64200000, 64800000, 64500000, 2.6, 4.0, 30);"));
    }

    @Test
    void viewsShowTheNewestRows() throws Exception {
        assertThat(PostgresUpsertSinkIT.rows(
                        url,
                        "SELECT scope, rank, item_id, views, previous_rank FROM v_hot_items_current "
                                + "ORDER BY scope DESC, rank"))
                .containsExactly("all|1|11|12|2", "all|2|12|7|null", "all|3|10|6|1", "7|1|12|7|null");
        assertThat(PostgresUpsertSinkIT.rows(
                        url,
                        "SELECT campaign_id, metric, as_of, srm_warning FROM v_campaign_scoreboard "
                                + "ORDER BY metric"))
                .containsExactly("c1|conversion|200|t", "c1|revenue_per_user|200|t");
        assertThat(PostgresUpsertSinkIT.rows(url, "SELECT as_of, item_id, reasons FROM v_sourcing_shortlist"))
                .containsExactly("200|31|{b,c}");
        assertThat(PostgresUpsertSinkIT.rows(
                        url, "SELECT tbl, newest FROM v_freshness WHERE newest IS NOT NULL ORDER BY tbl"))
                .containsExactly(
                        "campaign_uplift|200",
                        "category_trends|86400000",
                        "funnel|90000000",
                        "hot_items|900",
                        "sourcing_shortlist|200",
                        "traffic|7200000");
    }

    @Test
    void viewsCarryCatalogueNamesAndKeepRowsWithoutThem() throws Exception {
        assertThat(PostgresUpsertSinkIT.rows(url, "SELECT category_id, category_name FROM v_category_names ORDER BY 1"))
                .containsExactly("3|Health supplements / 保健品", "7|Infant formula / 婴儿奶粉");
        assertThat(PostgresUpsertSinkIT.rows(
                        url,
                        "SELECT scope, rank, item_id, item_name, scope_name FROM v_hot_items_current "
                                + "ORDER BY scope DESC, rank"))
                .containsExactly(
                        "all|1|11|Aptamil Profutura 2 800g|null",
                        "all|2|12|Merries diapers M 64|null",
                        "all|3|10|null|null",
                        "7|1|12|Merries diapers M 64|Infant formula / 婴儿奶粉");
        assertThat(PostgresUpsertSinkIT.rows(
                        url,
                        "SELECT item_id, item_name, category_name, brand, origin_country FROM v_sourcing_shortlist"))
                .containsExactly("31|Blackmores Fish Oil 1000mg|Health supplements / 保健品|Blackmores|AU");
        assertThat(PostgresUpsertSinkIT.rows(
                        url,
                        "SELECT campaign_id, metric, campaign_name, campaign_kind, holdout_pct FROM v_campaign_scoreboard "
                                + "ORDER BY metric"))
                .containsExactly(
                        "c1|conversion|Singles' Day|HOLIDAY_DISCOUNT|0.1",
                        "c1|revenue_per_user|Singles' Day|HOLIDAY_DISCOUNT|0.1");
        assertThat(PostgresUpsertSinkIT.rows(
                        url, "SELECT DISTINCT campaign_id, campaign_name, campaign_kind FROM v_campaign_history"))
                .containsExactly("c1|Singles' Day|HOLIDAY_DISCOUNT");
        assertThat(PostgresUpsertSinkIT.rows(url, "SELECT category_id, category_name FROM v_funnel_hourly"))
                .containsExactly("5|null");
    }

    @Test
    void trendAlertsShowOpenEpisodesAsNewOrOngoingAndThoseEndedInTheLastSixHours() throws Exception {
        assertThat(PostgresUpsertSinkIT.rows(
                        url,
                        "SELECT status, item_id, item_name, category_name, started_at, ended_at, duration_ms, peak_ratio, "
                                + "peak_views, as_of FROM v_trend_alerts ORDER BY status, started_at"))
                .containsExactly(
                        "ended|12|Merries diapers M 64|Infant formula / 婴儿奶粉|81000000|82200000|1200000|5.25|90|86400000",
                        "new|11|Aptamil Profutura 2 800g|Infant formula / 婴儿奶粉|85800000|null|600000|3.5|60|86400000",
                        "new|12|Merries diapers M 64|Infant formula / 婴儿奶粉|86400000|null|0|2.75|41|86400000",
                        "ongoing|10|null|null|79800000|null|6600000|9.5|300|86400000");
    }

    @Test
    void trafficFunnelUnpaidAndBotViews() throws Exception {
        assertThat(PostgresUpsertSinkIT.rows(
                        url,
                        "SELECT window_start, dimension, value, pv, uv FROM v_traffic_hourly "
                                + "ORDER BY window_start, dimension"))
                .containsExactly("0|all|all|90|30", "3600000|all|all|50|20", "3600000|device|ios|20|12");
        assertThat(PostgresUpsertSinkIT.rows(
                        url, "SELECT dimension, value, pv, uv FROM v_traffic_now ORDER BY dimension"))
                .containsExactly("all|all|7|4", "region|wuhan|6|4");
        // Only the last 24 hours: the hour at 0 is a day older than the newest.
        assertThat(PostgresUpsertSinkIT.rows(
                        url, "SELECT window_start, category_id, viewers, payers FROM v_funnel_hourly"))
                .containsExactly("86400000|5|8|1");
        assertThat(PostgresUpsertSinkIT.rows(
                        url,
                        "SELECT hour_start, timed_out, paid_late FROM v_unpaid_orders_hourly " + "ORDER BY hour_start"))
                .containsExactly("0|1|0", "3600000|2|1");
        assertThat(PostgresUpsertSinkIT.rows(
                        url,
                        "SELECT hour_start, rule, clicks, users FROM v_bot_activity_hourly " + "ORDER BY hour_start"))
                .containsExactly("0|repeat-item|2|1", "3600000|no-dwell|1|1");
    }

    @Test
    void dashboardRoleReadsViewsOnly() throws Exception {
        LiveSetup.execute(owner, "CREATE ROLE dash_views LOGIN PASSWORD 'pw' IN ROLE pulse_dashboard");
        try (Connection c = DriverManager.getConnection(url, "dash_views", "pw");
                Statement st = c.createStatement()) {
            st.executeQuery("SELECT * FROM v_hot_items_current").close();
            st.executeQuery("SELECT * FROM v_campaign_scoreboard").close();
            st.executeQuery("SELECT * FROM v_category_names").close();
            st.executeQuery("SELECT * FROM v_trend_alerts").close();
            assertThatThrownBy(() -> st.executeQuery("SELECT * FROM trend_alerts"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> st.executeQuery("SELECT * FROM items"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> st.executeQuery("SELECT * FROM hot_items"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> st.executeUpdate("INSERT INTO hot_items VALUES (0, 1, 'all', 1, 1, 1)"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> st.executeUpdate("CREATE TABLE mine (x int)"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
        }
    }
}
