package io.haitaopulse.dashboard;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the dashboard views (and nothing else) into plain maps and lists that Jackson renders as
 * JSON. Every query names a {@code v_*} view of deploy/sql/002_views.sql; the connection is
 * read-only and belongs to a member of {@code pulse_dashboard}. A connection per request: a
 * dashboard asks a few times a second at most, and a broken connection then never outlives one
 * request.
 */
final class ViewReader {

    /** Most trending items and points per sparkline: a page a person can read, not a dump. */
    static final int TRENDING_LIMIT = 50;

    static final int HISTORY_POINTS = 48;

    static final String TRENDING_SQL =
            "SELECT window_end, item_id, category_id, views, carts, buys, baseline, ratio, z "
                    + "FROM v_trending_now ORDER BY z DESC NULLS LAST, ratio DESC NULLS LAST, item_id LIMIT "
                    + TRENDING_LIMIT;
    static final String CATEGORIES_SQL =
            "SELECT window_end, category_id, views, carts, buys, active_items, baseline, ratio, z, "
                    + "trending, trending_items, top_trending_item_id FROM v_category_trends_now "
                    + "ORDER BY ratio DESC NULLS LAST, views DESC, category_id";
    static final String HOT_SQL =
            "SELECT window_end, scope, rank, item_id, views, previous_rank FROM v_hot_items_current "
                    + "ORDER BY scope = 'all' DESC, scope, rank";
    static final String SCOREBOARD_SQL =
            "SELECT campaign_id, metric, as_of, n_treatment, n_control, mean_treatment, mean_control, "
                    + "lift_abs, lift_rel, ci_low, ci_high, rel_ci_low, rel_ci_high, anytime_ci_low, anytime_ci_high, srm_p, srm_warning, "
                    + "incremental_revenue_cents FROM v_campaign_scoreboard ORDER BY campaign_id, metric";
    static final String DID_SQL = "SELECT campaign_id, as_of, method, lift_rel, ci_low, ci_high, incremental_gmv_cents "
            + "FROM v_campaign_did ORDER BY campaign_id";
    static final String CHANNELS_SQL =
            "SELECT channel, campaign_id, sessions, orders, gmv_cents, new_users, window_end "
                    + "FROM v_channel_attribution ORDER BY gmv_cents DESC, channel, campaign_id";
    static final String SHORTLIST_SQL =
            "SELECT as_of, category_id, rank, item_id, score, forecast_daily_units, conversion_rate, "
                    + "avg_rating, return_rate, complaint_rate, recommended_order_units, reasons FROM v_sourcing_shortlist "
                    + "ORDER BY category_id, rank";
    static final String TRAFFIC_NOW_SQL = "SELECT window_start, dimension, value, pv, uv FROM v_traffic_now "
            + "ORDER BY dimension <> 'all', dimension, pv DESC, value";
    static final String TRAFFIC_HOURLY_SQL =
            "SELECT window_start, pv, uv, uv_exact FROM v_traffic_hourly WHERE dimension = 'all' "
                    + "ORDER BY window_start";
    static final String FUNNEL_SQL =
            "SELECT window_start, category_id, viewers, carters, orderers, payers, view_to_cart, "
                    + "cart_to_order, order_to_paid FROM v_funnel_hourly WHERE window_start = (SELECT max(window_start) FROM v_funnel_hourly) "
                    + "ORDER BY viewers DESC, category_id";
    static final String UNPAID_SQL = "SELECT hour_start, timed_out, paid_late FROM v_unpaid_orders_hourly "
            + "ORDER BY hour_start DESC LIMIT 24";
    static final String BOTS_SQL = "SELECT hour_start, rule, clicks, users FROM v_bot_activity_hourly "
            + "ORDER BY hour_start DESC, rule LIMIT 48";
    static final String FRESHNESS_SQL = "SELECT max(newest) AS newest, "
            + "extract(epoch FROM now() - to_timestamp(max(newest) / 1000.0))::bigint AS age_seconds FROM v_freshness";

    private final String url;
    private final String user;
    private final String password;

    ViewReader(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /**
     * Fails unless the views answer: wrong URL, password or grants are found at start, not by the
     * first person opening the page. Also fails for a login that may touch the tables (an owner,
     * a superuser): a dashboard holds a password on a web-facing host and gets the views only.
     */
    void check() throws SQLException {
        try (Connection c = open();
                Statement st = c.createStatement()) {
            st.executeQuery("SELECT count(*) FROM v_freshness").close();
            try (ResultSet rs = st.executeQuery("SELECT has_table_privilege('hot_items', 'SELECT') "
                    + "OR has_table_privilege('hot_items', 'INSERT'), pg_has_role('pulse_dashboard', 'USAGE')")) {
                rs.next();
                if (rs.getBoolean(1) || !rs.getBoolean(2)) {
                    throw new IllegalStateException(user + " is not a read-only dashboard login: log in as a member of "
                            + "pulse_dashboard that cannot touch the tables (deploy/sql/003_roles.sql)");
                }
            }
        }
    }

    Map<String, Object> trending() throws SQLException {
        try (Connection c = open()) {
            List<Map<String, Object>> items = rows(c, TRENDING_SQL);
            List<Map<String, Object>> categories = rows(c, CATEGORIES_SQL);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("items", items);
            out.put("categories", categories);
            out.put(
                    "item_history",
                    history(
                            c,
                            "SELECT item_id AS id, window_end, views, baseline FROM v_demand_history "
                                    + "WHERE item_id = ANY (?) ORDER BY item_id, window_end",
                            ids(items, "item_id")));
            out.put(
                    "category_history",
                    history(
                            c,
                            "SELECT category_id AS id, window_end, views, baseline FROM v_category_history "
                                    + "WHERE category_id = ANY (?) ORDER BY category_id, window_end",
                            ids(categories, "category_id")));
            out.put("freshness", freshness(c));
            return out;
        }
    }

    Map<String, Object> hot() throws SQLException {
        try (Connection c = open()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("items", rows(c, HOT_SQL));
            out.put("freshness", freshness(c));
            return out;
        }
    }

    Map<String, Object> campaigns() throws SQLException {
        try (Connection c = open()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("scoreboard", rows(c, SCOREBOARD_SQL));
            out.put("did", rows(c, DID_SQL));
            out.put("channels", rows(c, CHANNELS_SQL));
            out.put("freshness", freshness(c));
            return out;
        }
    }

    Map<String, Object> sourcing() throws SQLException {
        try (Connection c = open()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("shortlist", rows(c, SHORTLIST_SQL));
            out.put("freshness", freshness(c));
            return out;
        }
    }

    Map<String, Object> traffic() throws SQLException {
        try (Connection c = open()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("now", rows(c, TRAFFIC_NOW_SQL));
            out.put("hourly", rows(c, TRAFFIC_HOURLY_SQL));
            out.put("funnel", rows(c, FUNNEL_SQL));
            out.put("unpaid", rows(c, UNPAID_SQL));
            out.put("bots", rows(c, BOTS_SQL));
            out.put("freshness", freshness(c));
            return out;
        }
    }

    /** The shortlist as PostgreSQL prints each value (exact, no float re-rendering), header first. */
    List<List<String>> shortlistCells() throws SQLException {
        try (Connection c = open();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(SHORTLIST_SQL)) {
            ResultSetMetaData md = rs.getMetaData();
            List<List<String>> out = new ArrayList<>();
            List<String> header = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                header.add(md.getColumnLabel(i));
            }
            out.add(header);
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    if (v instanceof Array a) {
                        row.add(String.join(
                                "; ",
                                Arrays.stream((Object[]) a.getArray())
                                        .map(String::valueOf)
                                        .toList()));
                    } else {
                        row.add(v == null ? "" : rs.getString(i));
                    }
                }
                out.add(row);
            }
            return out;
        }
    }

    private Connection open() throws SQLException {
        Connection c = DriverManager.getConnection(url, user, password);
        // Belt and braces over the role's grants: this connection cannot write even if they were wrong.
        c.setReadOnly(true);
        return c;
    }

    private static Map<String, Object> freshness(Connection c) throws SQLException {
        List<Map<String, Object>> r = rows(c, FRESHNESS_SQL);
        return r.isEmpty() ? Map.of() : r.get(0);
    }

    private static List<Long> ids(List<Map<String, Object>> rows, String column) {
        return rows.stream()
                .map(r -> r.get(column))
                .filter(Long.class::isInstance)
                .map(Long.class::cast)
                .distinct()
                .toList();
    }

    /** Per id, its newest {@link #HISTORY_POINTS} points of views and baseline. */
    private static Map<String, List<Map<String, Object>>> history(Connection c, String sql, List<Long> ids)
            throws SQLException {
        Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            for (Map<String, Object> row : rows(ps.executeQuery())) {
                List<Map<String, Object>> points =
                        out.computeIfAbsent(String.valueOf(row.remove("id")), k -> new ArrayList<>());
                points.add(row);
                if (points.size() > HISTORY_POINTS) {
                    points.remove(0);
                }
            }
        }
        return out;
    }

    private static List<Map<String, Object>> rows(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            return rows(st.executeQuery(sql));
        }
    }

    private static List<Map<String, Object>> rows(ResultSet rs) throws SQLException {
        try (rs) {
            ResultSetMetaData md = rs.getMetaData();
            List<Map<String, Object>> out = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i), value(rs.getObject(i)));
                }
                out.add(row);
            }
            return out;
        }
    }

    /** JSON-able value: numbers as numbers (non-finite ones have no JSON form: null), arrays as lists. */
    private static Object value(Object v) throws SQLException {
        if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? null : d;
        }
        if (v instanceof Integer i) {
            return i.longValue();
        }
        if (v instanceof Array a) {
            return Arrays.stream((Object[]) a.getArray()).map(String::valueOf).toList();
        }
        if (v == null || v instanceof Long || v instanceof Boolean || v instanceof String) {
            return v;
        }
        if (v instanceof Number n) {
            // sum(bigint) is numeric in PostgreSQL; counts fit a long.
            return n.longValue();
        }
        return String.valueOf(v);
    }
}
