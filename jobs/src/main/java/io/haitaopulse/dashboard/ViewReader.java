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
 * request. Category names ("English / 中文") come out in the language asked for
 * ({@link #inLanguage}); the freshness of every answer is worded for its {@link ShopClock}.
 */
final class ViewReader {

    /** Most trending items and points per sparkline: a page a person can read, not a dump. */
    static final int TRENDING_LIMIT = 50;

    static final int HISTORY_POINTS = 48;

    /** Columns holding a catalogue category name, "English / 中文", shown in the page's language. */
    private static final List<String> CATEGORY_NAME_COLUMNS = List.of("category_name", "scope_name");

    static final String TRENDING_SQL =
            "SELECT window_end, item_id, item_name, category_id, category_name, views, carts, buys, baseline, ratio, z "
                    + "FROM v_trending_now ORDER BY z DESC NULLS LAST, ratio DESC NULLS LAST, item_id LIMIT "
                    + TRENDING_LIMIT;
    static final String CATEGORIES_SQL =
            "SELECT window_end, category_id, category_name, views, carts, buys, active_items, baseline, ratio, z, "
                    + "trending, trending_items, top_trending_item_id FROM v_category_trends_now "
                    + "ORDER BY ratio DESC NULLS LAST, views DESC, category_id";
    /** Open trend episodes, the newest first: new ones (started in the newest few windows), then ongoing ones. */
    static final String ALERTS_SQL =
            "SELECT status, item_id, item_name, category_id, category_name, started_at, duration_ms, peak_ratio, "
                    + "peak_views FROM v_trend_alerts WHERE status <> 'ended' "
                    + "ORDER BY started_at DESC, peak_z DESC NULLS LAST, item_id LIMIT " + TRENDING_LIMIT;
    /** Episodes that ended within the view's few hours, the most recently ended first. */
    static final String ENDED_ALERTS_SQL =
            "SELECT item_id, item_name, category_id, category_name, started_at, ended_at, duration_ms, peak_ratio, "
                    + "peak_views FROM v_trend_alerts WHERE status = 'ended' "
                    + "ORDER BY ended_at DESC, started_at DESC, item_id LIMIT " + TRENDING_LIMIT;

    static final String HOT_SQL =
            "SELECT window_end, scope, scope_name, rank, item_id, item_name, views, previous_rank FROM v_hot_items_current "
                    + "ORDER BY scope = 'all' DESC, scope, rank";
    /**
     * Per campaign its goal metrics first (conversion, revenue per user), then its guardrail
     * (returns per user): the order a marketer reads them in.
     */
    static final String SCOREBOARD_ORDER = "ORDER BY campaign_id, metric = 'returns_per_user', metric";

    /**
     * A/B rows only: a campaign without a hold-out (planned hold-out 0, or unknown and no control
     * user) or without any exposed user has no A/B comparison, however many rows the job writes for
     * it; the observational estimate of {@link #DID_SQL} is its place. A campaign with a planned
     * hold-out but an empty control arm stays: that is a broken split to see.
     */
    static final String SCOREBOARD_SQL =
            "SELECT campaign_id, campaign_name, campaign_kind, metric, as_of, n_treatment, n_control, mean_treatment, "
                    + "mean_control, lift_abs, lift_rel, ci_low, ci_high, rel_ci_low, rel_ci_high, anytime_ci_low, "
                    + "anytime_ci_high, srm_p, srm_warning, incremental_revenue_cents, pre_mean_treatment, "
                    + "pre_mean_control, cuped_lift_abs, cuped_ci_low, cuped_ci_high, variance_reduction, chance_to_win, "
                    + "risk_control, risk_treatment, guardrail_warning FROM v_campaign_scoreboard "
                    + "WHERE n_treatment + n_control > 0 AND coalesce(holdout_pct > 0, n_control > 0) "
                    + SCOREBOARD_ORDER;

    static final String DID_SQL =
            "SELECT campaign_id, campaign_name, campaign_kind, as_of, method, lift_rel, ci_low, ci_high, "
                    + "incremental_gmv_cents FROM v_campaign_did ORDER BY campaign_id";
    static final String CHANNELS_SQL =
            "SELECT channel, campaign_id, campaign_name, sessions, orders, gmv_cents, new_users, window_end "
                    + "FROM v_channel_attribution ORDER BY gmv_cents DESC, channel, campaign_id";
    /** The shortlist as the page and the CSV show it: names beside the ids, brand and origin for the buyer's call. */
    static final String SHORTLIST_SQL =
            "SELECT as_of, category_id, category_name, rank, item_id, item_name, brand, origin_country, score, "
                    + "forecast_daily_units, conversion_rate, avg_rating, return_rate, complaint_rate, "
                    + "recommended_order_units, reasons FROM v_sourcing_shortlist ORDER BY category_id, rank";

    static final String TRAFFIC_NOW_SQL = "SELECT window_start, dimension, value, pv, uv FROM v_traffic_now "
            + "ORDER BY dimension <> 'all', dimension, pv DESC, value";
    static final String TRAFFIC_HOURLY_SQL =
            "SELECT window_start, pv, uv, uv_exact FROM v_traffic_hourly WHERE dimension = 'all' "
                    + "ORDER BY window_start";
    static final String FUNNEL_SQL =
            "SELECT window_start, category_id, category_name, viewers, carters, orderers, payers, view_to_cart, "
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
    private final ShopClock clock;

    ViewReader(String url, String user, String password, ShopClock clock) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.clock = clock;
    }

    /**
     * The part of a catalogue category name for {@code lang}: "Infant formula / 婴儿奶粉" is
     * "Infant formula" in English and "婴儿奶粉" in Chinese ({@code zh}); a name without " / " is
     * itself in every language, null stays null.
     */
    static String inLanguage(String name, String lang) {
        if (name == null) {
            return null;
        }
        int slash = name.indexOf(" / ");
        if (slash < 0) {
            return name;
        }
        return ("zh".equals(lang) ? name.substring(slash + 3) : name.substring(0, slash)).strip();
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

    Map<String, Object> trending(String lang) throws SQLException {
        try (Connection c = open()) {
            List<Map<String, Object>> items = rows(c, TRENDING_SQL, lang);
            List<Map<String, Object>> categories = rows(c, CATEGORIES_SQL, lang);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("alerts", rows(c, ALERTS_SQL, lang));
            out.put("ended_alerts", rows(c, ENDED_ALERTS_SQL, lang));
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

    Map<String, Object> hot(String lang) throws SQLException {
        try (Connection c = open()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("items", rows(c, HOT_SQL, lang));
            out.put("freshness", freshness(c));
            return out;
        }
    }

    Map<String, Object> campaigns(String lang) throws SQLException {
        try (Connection c = open()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("scoreboard", rows(c, SCOREBOARD_SQL));
            out.put("did", rows(c, DID_SQL));
            out.put("channels", rows(c, CHANNELS_SQL));
            out.put("freshness", freshness(c));
            return out;
        }
    }

    Map<String, Object> sourcing(String lang) throws SQLException {
        try (Connection c = open()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("shortlist", rows(c, SHORTLIST_SQL, lang));
            out.put("freshness", freshness(c));
            return out;
        }
    }

    Map<String, Object> traffic(String lang) throws SQLException {
        try (Connection c = open()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("now", rows(c, TRAFFIC_NOW_SQL));
            out.put("hourly", rows(c, TRAFFIC_HOURLY_SQL));
            out.put("funnel", rows(c, FUNNEL_SQL, lang));
            out.put("unpaid", rows(c, UNPAID_SQL));
            out.put("bots", rows(c, BOTS_SQL));
            out.put("freshness", freshness(c));
            return out;
        }
    }

    /**
     * The shortlist as PostgreSQL prints each value (exact, no float re-rendering), header first;
     * the category name in {@code lang}.
     */
    List<List<String>> shortlistCells(String lang) throws SQLException {
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
                    } else if (v == null) {
                        row.add("");
                    } else if (CATEGORY_NAME_COLUMNS.contains(md.getColumnLabel(i))) {
                        row.add(inLanguage(rs.getString(i), lang));
                    } else {
                        row.add(rs.getString(i));
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

    /**
     * The newest event time the tables reflect; for a real shop with its age now, for a simulated
     * one with the newest event time streamed ({@code stream_newest}) and how far the tables are
     * behind it ({@code behind_seconds}, shop time; both null before the first event is sent).
     */
    private Map<String, Object> freshness(Connection c) throws SQLException {
        List<Map<String, Object>> r = rows(c, FRESHNESS_SQL);
        Map<String, Object> f = r.isEmpty() ? new LinkedHashMap<>() : r.get(0);
        if (clock.isSimulated()) {
            // Event time is not wall time here: an age against now would say "30 days old" of a minute-old row.
            f.remove("age_seconds");
            f.put("simulated", true);
            long sent = clock.streamNewest().getAsLong();
            Object newest = f.get("newest");
            boolean streaming = sent != Long.MIN_VALUE;
            f.put("stream_newest", streaming ? sent : null);
            f.put("behind_seconds", streaming && newest instanceof Long n ? Math.max(0, sent - n) / 1000 : null);
        }
        return f;
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

    /** Rows of {@code sql}, category names in {@code lang}. */
    private static List<Map<String, Object>> rows(Connection c, String sql, String lang) throws SQLException {
        List<Map<String, Object>> rows = rows(c, sql);
        for (Map<String, Object> row : rows) {
            for (String column : CATEGORY_NAME_COLUMNS) {
                if (row.get(column) instanceof String name) {
                    row.put(column, inLanguage(name, lang));
                }
            }
        }
        return rows;
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
