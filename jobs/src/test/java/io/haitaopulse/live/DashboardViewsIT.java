package io.haitaopulse.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haitaopulse.stack.LocalPostgres;
import io.haitaopulse.testutil.LiveStack;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
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
                        // Schema v8 rows (CUPED and Bayesian columns, the returns_per_user guardrail), as_of at most
                        // 200 so the freshness of campaign_uplift stays that of c1. Every value is exact in binary.
                        // g1..g6: the guardrail rule, one case each (the comments in guardrailWarning...).
                        "INSERT INTO campaign_uplift (campaign_id, metric, as_of, n_treatment, n_control, mean_treatment,",
                        "  mean_control, lift_abs, lift_rel, ci_low, ci_high, srm_p, incremental_revenue_cents, pre_mean_treatment,",
                        "  pre_mean_control, cuped_theta, cuped_lift_abs, cuped_ci_low, cuped_ci_high, variance_reduction,",
                        "  chance_to_win, risk_control, risk_treatment) VALUES",
                        "  ('c2', 'revenue_per_user', 200, 800, 200, 1250.5, 1000.25, 250.25, 0.25, -20.5, 520.75, 0.5, 200200,",
                        "    900.5, 880.25, 0.75, 240.5, 60.25, 420.75, 0.375, 0.96875, 0.0625, 0.001953125),",
                        "  ('c2', 'conversion', 200, 800, 200, 0.0625, 0.046875, 0.015625, 0.25, -0.0078125, 0.0390625, 0.5,",
                        "    200200, 0.03125, 0.03125, 0.5, 0.01171875, 0.001953125, 0.021484375, 0.125, 0.9375, 0.03125, 0.0009765625),",
                        "  ('c2', 'returns_per_user', 200, 800, 200, 312.5, 125.0, 187.5, 1.5, 12.5, 362.5, 0.5, 200200,",
                        "    100.0, 75.0, 0.5, 175.0, 25.5, 324.5, 0.25, 0.015625, 0.5, 0.0078125),",
                        "  ('g1', 'returns_per_user', 200, 50, 50, 2, 1, 1, 1, -1, 3, 0.5, 0, 1, 1, 0.5, 1, 0.5, 1.5, 0.5, null, null, null),",
                        "  ('g2', 'returns_per_user', 200, 50, 50, 2, 1, 1, 1, 2, 3, 0.5, 0, 1, 1, 0.5, 1, -0.5, 1.5, 0.5, null, null, null),",
                        "  ('g3', 'returns_per_user', 200, 50, 50, 2, 1, 1, 1, 3, 4, 0.5, 0, null, null, null, null, null, null, null,",
                        "    null, null, null),",
                        "  ('g4', 'returns_per_user', 200, 1, 0, 2, null, null, null, null, null, 0.5, 0, null, null, null, null, null,",
                        "    null, null, null, null, null),",
                        "  ('g5', 'returns_per_user', 200, 50, 50, 2, 1, 1, 1, 0.5, 3, 0.5, 0, 1, 1, 0.5, 1, 0, 1.5, 0.5, null, null, null),",
                        "  ('g6', 'returns_per_user', 100, 50, 50, 2, 1, 1, 1, 0.5, 3, 0.5, 0, 1, 1, 0.5, 1, 0.5, 1.5, 0.5, null, null, null),",
                        "  ('g6', 'returns_per_user', 200, 90, 90, 2, 1, 1, 1, -0.5, 3, 0.5, 0, 1, 1, 0.5, 1, -0.25, 1.5, 0.5, null, null, null),",
                        "  ('g6', 'revenue_per_user', 200, 90, 90, 2, 1, 1, 1, 0.5, 3, 0.5, 0, 1, 1, 0.5, 1, 0.5, 1.5, 0.5, null, null, null);",
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
                                + "WHERE campaign_id = 'c1' ORDER BY metric"))
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

    /** The scoreboard's columns in order: those of the release before schema v8, then the v8 ones. */
    static final List<String> SCOREBOARD_COLUMNS = List.of(
            "campaign_id",
            "metric",
            "as_of",
            "as_of_at",
            "n_treatment",
            "n_control",
            "mean_treatment",
            "mean_control",
            "lift_abs",
            "lift_rel",
            "ci_low",
            "ci_high",
            "rel_ci_low",
            "rel_ci_high",
            "anytime_ci_low",
            "anytime_ci_high",
            "srm_p",
            "srm_warning",
            "incremental_revenue_cents",
            "campaign_name",
            "campaign_kind",
            "holdout_pct",
            "pre_mean_treatment",
            "pre_mean_control",
            "cuped_theta",
            "cuped_lift_abs",
            "cuped_ci_low",
            "cuped_ci_high",
            "variance_reduction",
            "chance_to_win",
            "risk_control",
            "risk_treatment",
            "guardrail_warning");

    @Test
    void scoreboardCarriesTheCupedAndBayesianColumnsOfEveryMetric() throws Exception {
        assertThat(columns(url, "v_campaign_scoreboard")).isEqualTo(SCOREBOARD_COLUMNS);
        assertThat(
                        PostgresUpsertSinkIT.rows(
                                url,
                                "SELECT metric, n_treatment, n_control, mean_treatment, mean_control, lift_abs, ci_low, ci_high, "
                                        + "pre_mean_treatment, pre_mean_control, cuped_theta, cuped_lift_abs, cuped_ci_low, "
                                        + "cuped_ci_high, variance_reduction, chance_to_win, risk_control, risk_treatment, "
                                        + "guardrail_warning FROM v_campaign_scoreboard WHERE campaign_id = 'c2' ORDER BY metric"))
                .containsExactly(
                        "conversion|800|200|0.0625|0.046875|0.015625|-0.0078125|0.0390625|0.03125|0.03125|0.5|0.01171875"
                                + "|0.001953125|0.021484375|0.125|0.9375|0.03125|0.0009765625|f",
                        "returns_per_user|800|200|312.5|125|187.5|12.5|362.5|100|75|0.5|175|25.5|324.5|0.25|0.015625"
                                + "|0.5|0.0078125|t",
                        "revenue_per_user|800|200|1250.5|1000.25|250.25|-20.5|520.75|900.5|880.25|0.75|240.5|60.25"
                                + "|420.75|0.375|0.96875|0.0625|0.001953125|f");
    }

    @Test
    void guardrailWarningWhenTheReturnsIntervalLiesAboveZeroCupedFirst() throws Exception {
        assertThat(PostgresUpsertSinkIT.rows(
                        url,
                        "SELECT campaign_id, metric, as_of, ci_low, cuped_ci_low, guardrail_warning FROM v_campaign_scoreboard "
                                + "WHERE campaign_id LIKE 'g%' ORDER BY campaign_id, metric"))
                .containsExactly(
                        // The CUPED interval lies above 0, the plain one does not: the CUPED one speaks.
                        "g1|returns_per_user|200|-1|0.5|t",
                        // The plain interval lies above 0, the CUPED one does not: no warning.
                        "g2|returns_per_user|200|2|-0.5|f",
                        // No CUPED interval: the plain one above 0 warns.
                        "g3|returns_per_user|200|3|null|t",
                        // No interval at all (an empty control arm): nothing to warn about.
                        "g4|returns_per_user|200|null|null|f",
                        // Touching 0 is not above it.
                        "g5|returns_per_user|200|0.5|0|f",
                        // The newest row decides (it warned at 100, not at 200), and only returns_per_user is a
                        // guardrail.
                        "g6|returns_per_user|200|-0.5|-0.25|f",
                        "g6|revenue_per_user|200|0.5|0.5|f");
        assertThat(PostgresUpsertSinkIT.rows(
                        url,
                        "SELECT as_of, metric, guardrail_warning, cuped_ci_low, chance_to_win FROM v_campaign_history "
                                + "WHERE campaign_id = 'g6' OR (campaign_id = 'c2' AND metric = 'returns_per_user') "
                                + "ORDER BY campaign_id, as_of, metric"))
                .containsExactly(
                        "200|returns_per_user|t|25.5|0.015625",
                        "100|returns_per_user|t|0.5|null",
                        "200|returns_per_user|f|-0.25|null",
                        "200|revenue_per_user|f|0.5|null");
    }

    /**
     * A database created by the release before schema v8 (its scripts as shipped then, in
     * src/test/resources/released-sql/v7), holding rows and a dashboard login, takes this release's
     * scripts (twice): the tables gain their columns, the views theirs at the end, old rows keep their
     * values with the new columns null, the login keeps reading the views, and the schema ends up as a
     * fresh database's.
     */
    @Test
    void scriptsUpgradeADatabaseOfThePreviousRelease() throws Exception {
        String old = LiveStack.freshDatabase("views_upgrade");
        PostgresUpsertSink.Settings oldOwner = new PostgresUpsertSink.Settings(
                old, LocalPostgres.USER, null, 1, 0, PostgresUpsertSink.Mode.MULTI_ROW, 0, 0L);
        for (String script : LiveSetup.SQL_SCRIPTS) {
            LiveSetup.execute(oldOwner, releasedScript("v7", script));
        }
        assertThat(columns(old, "v_campaign_scoreboard")).isEqualTo(SCOREBOARD_COLUMNS.subList(0, 22));
        LiveSetup.execute(
                oldOwner,
                String.join(
                        "\n",
                        "INSERT INTO campaign_uplift (campaign_id, metric, as_of, n_treatment, n_control, mean_treatment,",
                        "  mean_control, lift_abs, ci_low, ci_high, srm_p, incremental_revenue_cents)",
                        "  VALUES ('old', 'revenue_per_user', 100, 40, 10, 150.5, 100.25, 50.25, 10.5, 90.0, 0.5, 2010);",
                        "INSERT INTO campaigns VALUES ('old', 'FLASH_SALE', 0, 1000, 0.2, null, null, 'Before v8');",
                        "CREATE ROLE dash_upgrade LOGIN PASSWORD 'pw' IN ROLE pulse_dashboard;"));

        for (int round = 0; round < 2; round++) {
            for (String script : LiveSetup.SQL_SCRIPTS) {
                LiveSetup.execute(oldOwner, LiveSetup.script(script));
            }
        }

        assertThat(columns(old, "v_campaign_scoreboard")).isEqualTo(SCOREBOARD_COLUMNS);
        String schema = "SELECT table_name, ordinal_position, column_name, data_type FROM information_schema.columns "
                + "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position";
        assertThat(PostgresUpsertSinkIT.rows(old, schema))
                .isNotEmpty()
                .isEqualTo(PostgresUpsertSinkIT.rows(url, schema));
        LiveSetup.execute(
                oldOwner,
                "INSERT INTO campaign_uplift (campaign_id, metric, as_of, n_treatment, n_control, ci_low, "
                        + "cuped_ci_low, chance_to_win) VALUES ('old', 'returns_per_user', 100, 40, 10, -5.5, 0.5, 0.125)");
        try (Connection c = DriverManager.getConnection(old, "dash_upgrade", "pw");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT metric, mean_treatment, lift_abs, campaign_name, holdout_pct, cuped_ci_low, chance_to_win, "
                                + "risk_control, guardrail_warning FROM v_campaign_scoreboard ORDER BY metric")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= 9; i++) {
                    b.append(i == 1 ? "" : "|").append(rs.getString(i));
                }
                rows.add(b.toString());
            }
            assertThat(rows)
                    .containsExactly(
                            "returns_per_user|null|null|Before v8|0.2|0.5|0.125|null|t",
                            "revenue_per_user|150.5|50.25|Before v8|0.2|null|null|null|f");
            assertThatThrownBy(() -> st.executeQuery("SELECT * FROM campaign_uplift"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
        }
    }

    private static List<String> columns(String db, String view) throws Exception {
        return PostgresUpsertSinkIT.rows(
                db,
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '"
                        + view + "' ORDER BY ordinal_position");
    }

    /** A SQL script as an earlier release shipped it. */
    private static String releasedScript(String release, String name) throws Exception {
        try (InputStream in = DashboardViewsIT.class.getResourceAsStream("/released-sql/" + release + "/" + name)) {
            assertThat(in).as("released script %s/%s", release, name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
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
                                + "WHERE campaign_id = 'c1' ORDER BY metric"))
                .containsExactly(
                        "c1|conversion|Singles' Day|HOLIDAY_DISCOUNT|0.1",
                        "c1|revenue_per_user|Singles' Day|HOLIDAY_DISCOUNT|0.1");
        assertThat(PostgresUpsertSinkIT.rows(
                        url,
                        "SELECT DISTINCT campaign_id, campaign_name, campaign_kind FROM v_campaign_history "
                                + "WHERE campaign_id = 'c1'"))
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
    void trendingNowTakesEachCategorysNewestWindowAndLeavesQuietCategoriesOut() throws Exception {
        // Beside category 7 (windows up to 86,400,000): category 8 as far, category 9 15 minutes behind
        // (its instance of the job is behind the other), category 6 quiet since 82,000,000 (over an hour
        // before the newest window). Trending: items 81 (8, newest), 82 (8, an older window), 91 (9,
        // its newest), 61 (6, its newest).
        String insert = String.join(
                "\n",
                "INSERT INTO category_trends (window_start, window_end, category_id, views, carts, buys, active_items,",
                "  trending, trending_items) VALUES",
                "  (82700000, 86300000, 8, 5, 0, 0, 2, false, 1), (82800000, 86400000, 8, 5, 0, 0, 2, false, 1),",
                "  (81900000, 85500000, 9, 4, 0, 0, 1, false, 1), (78400000, 82000000, 6, 3, 0, 0, 1, false, 1);",
                "INSERT INTO demand_trends VALUES (82800000, 86400000, 81, 8, 40, 0, 0, 10, 4, 3, true),",
                "  (82500000, 86100000, 82, 8, 40, 0, 0, 10, 4, 3, true), (81900000, 85500000, 91, 9, 30, 0, 0, 10, 3, 2.5, true),",
                "  (78400000, 82000000, 61, 6, 30, 0, 0, 10, 3, 2.5, true);");
        LiveSetup.execute(owner, insert);
        try {
            assertThat(PostgresUpsertSinkIT.rows(
                            url,
                            "SELECT category_id, item_id, window_end FROM v_trending_now "
                                    + "WHERE category_id IN (6, 8, 9) ORDER BY category_id"))
                    .containsExactly("8|81|86400000", "9|91|85500000");
            assertThat(PostgresUpsertSinkIT.rows(
                            url, "SELECT category_id, window_end FROM v_category_trends_now ORDER BY category_id"))
                    .containsExactly("7|86400000", "8|86400000", "9|85500000");
        } finally {
            LiveSetup.execute(
                    owner,
                    "DELETE FROM category_trends WHERE category_id IN (6, 8, 9); "
                            + "DELETE FROM demand_trends WHERE category_id IN (6, 8, 9);");
        }
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
