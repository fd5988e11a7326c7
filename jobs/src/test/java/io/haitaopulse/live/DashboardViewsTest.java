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
 * answer what dashboards ask with hand-checked rows, and the dashboard role reads the views and
 * nothing else.
 */
class DashboardViewsTest {

    private static String url;
    private static PostgresUpsertSink.Settings owner;

    @BeforeAll
    static void applyScripts() {
        url = LiveStack.freshDatabase("views");
        owner = new PostgresUpsertSink.Settings(url, LocalPostgres.USER, null, 1, 0, PostgresUpsertSink.Mode.MULTI_ROW, 0, 0L);
        for (int round = 0; round < 2; round++) {
            for (String script : LiveSetup.SQL_SCRIPTS) {
                LiveSetup.execute(owner, LiveSetup.script(script));
            }
        }
        LiveSetup.execute(owner, String.join("\n",
                "INSERT INTO hot_items VALUES (0, 600, 'all', 1, 10, 9), (0, 600, 'all', 2, 11, 5),",
                "  (300, 900, 'all', 1, 11, 12), (300, 900, 'all', 2, 12, 7), (300, 900, 'all', 3, 10, 6), (300, 900, '7', 1, 12, 7);",
                "INSERT INTO campaign_uplift (campaign_id, metric, as_of, n_treatment, n_control, lift_abs, srm_p,",
                "  incremental_revenue_cents) VALUES ('c1', 'conversion', 100, 10, 5, 0.1, 0.5, 7),",
                "  ('c1', 'conversion', 200, 20, 9, 0.2, 0.0001, 9), ('c1', 'revenue_per_user', 200, 20, 9, 30.0, 0.0001, 9);",
                "INSERT INTO sourcing_shortlist VALUES (100, 3, 1, 30, 2.0, 1.0, 0.1, 4.5, 0.01, 0.0, 10, '{a}'),",
                "  (200, 3, 1, 31, 3.0, 2.0, 0.1, null, 0.01, 0.0, 20, '{b,c}');"));
    }

    @Test
    void viewsShowTheNewestRows() throws Exception {
        assertThat(PostgresUpsertSinkTest.rows(url, "SELECT scope, rank, item_id, views, previous_rank FROM v_hot_items_current "
                + "ORDER BY scope DESC, rank")).containsExactly("all|1|11|12|2", "all|2|12|7|null", "all|3|10|6|1", "7|1|12|7|null");
        assertThat(PostgresUpsertSinkTest.rows(url, "SELECT campaign_id, metric, as_of, srm_warning FROM v_campaign_scoreboard "
                + "ORDER BY metric")).containsExactly("c1|conversion|200|t", "c1|revenue_per_user|200|t");
        assertThat(PostgresUpsertSinkTest.rows(url, "SELECT as_of, item_id, reasons FROM v_sourcing_shortlist"))
                .containsExactly("200|31|{b,c}");
        assertThat(PostgresUpsertSinkTest.rows(url, "SELECT tbl, newest FROM v_freshness WHERE newest IS NOT NULL ORDER BY tbl"))
                .containsExactly("campaign_uplift|200", "hot_items|900", "sourcing_shortlist|200");
    }

    @Test
    void dashboardRoleReadsViewsOnly() throws Exception {
        LiveSetup.execute(owner, "CREATE ROLE dash_views LOGIN PASSWORD 'pw' IN ROLE pulse_dashboard");
        try (Connection c = DriverManager.getConnection(url, "dash_views", "pw"); Statement st = c.createStatement()) {
            st.executeQuery("SELECT * FROM v_hot_items_current").close();
            st.executeQuery("SELECT * FROM v_campaign_scoreboard").close();
            assertThatThrownBy(() -> st.executeQuery("SELECT * FROM hot_items")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> st.executeUpdate("INSERT INTO hot_items VALUES (0, 1, 'all', 1, 1, 1)"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> st.executeUpdate("CREATE TABLE mine (x int)")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
        }
    }
}
