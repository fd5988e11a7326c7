-- Dashboard views of Haitao Pulse. Dashboards read only these (role pulse_dashboard, 003_roles.sql);
-- the tables underneath are written by the jobs and may change shape between versions, the views
-- are the contract for dashboards. Times in the tables are epoch milliseconds (as in the replay
-- files); the views add timestamptz columns (*_at) for people.
-- Names come from the catalogue tables items and campaigns (newest record per key), always by LEFT
-- JOIN: a row without a catalogue record (the Taobao sample has none) keeps its id and a null name.
-- Idempotent: safe to apply again after an upgrade. CREATE OR REPLACE VIEW can only add columns at
-- the end, so new columns go there.

-- The name of every category: the newest category_name any item of it has ("English / 中文").
CREATE OR REPLACE VIEW v_category_names AS
SELECT DISTINCT ON (category_id) category_id, category_name
FROM items
WHERE category_name IS NOT NULL
ORDER BY category_id, ts DESC, item_id;

-- Hot items of the newest window, every scope, with each item's rank in the window before it.
CREATE OR REPLACE VIEW v_hot_items_current AS
WITH cur AS (SELECT max(window_end) AS window_end FROM hot_items),
     prev AS (SELECT max(h.window_end) AS window_end FROM hot_items h, cur WHERE h.window_end < cur.window_end)
SELECT h.window_start, h.window_end, to_timestamp(h.window_end / 1000.0) AS window_end_at,
       h.scope, h.rank, h.item_id, h.views, p.rank AS previous_rank,
       i.name AS item_name, sc.category_name AS scope_name
FROM hot_items h
JOIN cur ON h.window_end = cur.window_end
LEFT JOIN hot_items p ON p.window_end = (SELECT window_end FROM prev) AND p.scope = h.scope AND p.item_id = h.item_id
LEFT JOIN items i ON i.item_id = h.item_id
LEFT JOIN v_category_names sc ON h.scope <> 'all' AND sc.category_id::text = h.scope;

-- The newest evaluated window of each category. Per category rather than the newest window of all:
-- the trends job's parallel instances evaluate their categories at their own pace, so during a live
-- run the newest window of all may hold only some categories' rows so far. A category whose newest
-- window is over an hour older than the newest of all has gone quiet and is left out.
CREATE OR REPLACE VIEW v_category_newest_window AS
SELECT n.category_id, n.window_end
FROM (SELECT category_id, max(window_end) AS window_end FROM category_trends GROUP BY category_id) n
WHERE n.window_end > (SELECT max(window_end) FROM category_trends) - 3600000;

-- Items trending in their category's newest evaluated window, strongest first.
CREATE OR REPLACE VIEW v_trending_now AS
SELECT t.window_start, t.window_end, to_timestamp(t.window_end / 1000.0) AS window_end_at,
       t.item_id, t.category_id, t.views, t.carts, t.buys, t.baseline, t.ratio, t.z,
       i.name AS item_name, cn.category_name
FROM demand_trends t
JOIN v_category_newest_window n ON n.category_id = t.category_id AND n.window_end = t.window_end
LEFT JOIN items i ON i.item_id = t.item_id
LEFT JOIN v_category_names cn ON cn.category_id = t.category_id
WHERE t.trending;

-- Categories in their newest evaluated window, rising fastest first.
CREATE OR REPLACE VIEW v_category_trends_now AS
SELECT c.window_start, c.window_end, to_timestamp(c.window_end / 1000.0) AS window_end_at,
       c.category_id, c.views, c.carts, c.buys, c.active_items, c.baseline, c.ratio, c.z, c.trending,
       c.trending_items, c.top_trending_item_id, cn.category_name, i.name AS top_trending_item_name
FROM category_trends c
JOIN v_category_newest_window n ON n.category_id = c.category_id AND n.window_end = c.window_end
LEFT JOIN v_category_names cn ON cn.category_id = c.category_id
LEFT JOIN items i ON i.item_id = c.top_trending_item_id;

-- Demand history of items and categories (views against baseline), for sparklines.
CREATE OR REPLACE VIEW v_demand_history AS
SELECT window_end, to_timestamp(window_end / 1000.0) AS window_end_at, item_id, category_id, views, baseline, ratio, z, trending
FROM demand_trends;

CREATE OR REPLACE VIEW v_category_history AS
SELECT window_end, to_timestamp(window_end / 1000.0) AS window_end_at, category_id, views, baseline, ratio, z, trending
FROM category_trends;

-- Trend alerts: every trending episode still open, and those that ended within the last 6 hours of
-- event time before the newest evaluated window (as_of, the newest window_end of category_trends).
-- status: 'new' (open, started in one of the three newest evaluated windows), 'ongoing' (open,
-- older), 'ended'. duration_ms runs from started_at to ended_at, or to the newest window while the
-- episode lasts.
CREATE OR REPLACE VIEW v_trend_alerts AS
WITH cur AS (SELECT max(window_end) AS window_end FROM category_trends),
     recent AS (SELECT min(window_end) AS window_end
                FROM (SELECT DISTINCT window_end FROM category_trends ORDER BY window_end DESC LIMIT 3) w)
SELECT a.item_id, a.category_id, a.started_at, a.ended_at, a.last_window_end, a.peak_ratio, a.peak_z, a.peak_views,
       CASE WHEN a.ended_at IS NOT NULL THEN 'ended' WHEN a.started_at >= recent.window_end THEN 'new' ELSE 'ongoing' END
           AS status,
       coalesce(a.ended_at, greatest(cur.window_end, a.last_window_end)) - a.started_at AS duration_ms,
       to_timestamp(a.started_at / 1000.0) AS started_time, to_timestamp(a.ended_at / 1000.0) AS ended_time,
       cur.window_end AS as_of, i.name AS item_name, cn.category_name
FROM trend_alerts a
CROSS JOIN cur
CROSS JOIN recent
LEFT JOIN items i ON i.item_id = a.item_id
LEFT JOIN v_category_names cn ON cn.category_id = a.category_id
WHERE a.ended_at IS NULL OR a.ended_at > cur.window_end - 21600000;

-- The live campaign scoreboard: the newest row of every campaign and metric, with the SRM flag
-- spelled out (below 0.001 the split is broken and no number of that campaign can be trusted).
-- holdout_pct is the campaign's planned hold-out (null without a catalogue record): a campaign
-- with 0 has no control arm, only the observational estimate of v_campaign_did.
-- The CUPED (pre-period adjusted) and Bayesian columns came with schema v8: they follow holdout_pct,
-- because a view created by an earlier release can only gain columns at its end. They are null in
-- rows written before v8, and where the job leaves them undefined.
-- guardrail_warning: a guardrail metric (returns_per_user, lower is better) rose beyond noise: the
-- 95 % interval of its lift lies entirely above 0; the CUPED interval (cuped_ci_low > 0) when the
-- row has one, else the plain one (ci_low > 0). False on every other metric and without an interval.
CREATE OR REPLACE VIEW v_campaign_scoreboard AS
SELECT u.campaign_id, u.metric, u.as_of, u.as_of_at, u.n_treatment, u.n_control, u.mean_treatment, u.mean_control,
       u.lift_abs, u.lift_rel, u.ci_low, u.ci_high, u.rel_ci_low, u.rel_ci_high, u.anytime_ci_low, u.anytime_ci_high,
       u.srm_p, u.srm_warning, u.incremental_revenue_cents, c.name AS campaign_name, c.kind AS campaign_kind,
       c.holdout_pct,
       u.pre_mean_treatment, u.pre_mean_control, u.cuped_theta, u.cuped_lift_abs, u.cuped_ci_low, u.cuped_ci_high,
       u.variance_reduction, u.chance_to_win, u.risk_control, u.risk_treatment,
       (u.metric = 'returns_per_user' AND coalesce(u.cuped_ci_low > 0, u.ci_low > 0, false)) AS guardrail_warning
FROM (
    SELECT DISTINCT ON (u.campaign_id, u.metric)
           u.campaign_id, u.metric, u.as_of, to_timestamp(u.as_of / 1000.0) AS as_of_at,
           u.n_treatment, u.n_control, u.mean_treatment, u.mean_control, u.lift_abs, u.lift_rel,
           u.ci_low, u.ci_high, u.rel_ci_low, u.rel_ci_high, u.anytime_ci_low, u.anytime_ci_high,
           u.srm_p, (u.srm_p IS NOT NULL AND u.srm_p < 0.001) AS srm_warning, u.incremental_revenue_cents,
           u.pre_mean_treatment, u.pre_mean_control, u.cuped_theta, u.cuped_lift_abs, u.cuped_ci_low, u.cuped_ci_high,
           u.variance_reduction, u.chance_to_win, u.risk_control, u.risk_treatment
    FROM campaign_uplift u
    ORDER BY u.campaign_id, u.metric, u.as_of DESC
) u
LEFT JOIN campaigns c ON c.campaign_id = u.campaign_id;

-- Uplift over time, for CI-band charts; the v8 columns at the end, as in v_campaign_scoreboard.
CREATE OR REPLACE VIEW v_campaign_history AS
SELECT u.campaign_id, u.metric, u.as_of, to_timestamp(u.as_of / 1000.0) AS as_of_at, u.lift_abs, u.ci_low, u.ci_high,
       u.anytime_ci_low, u.anytime_ci_high, u.n_treatment, u.n_control, c.name AS campaign_name, c.kind AS campaign_kind,
       u.mean_treatment, u.mean_control, u.pre_mean_treatment, u.pre_mean_control, u.cuped_theta, u.cuped_lift_abs,
       u.cuped_ci_low, u.cuped_ci_high, u.variance_reduction, u.chance_to_win, u.risk_control, u.risk_treatment,
       (u.metric = 'returns_per_user' AND coalesce(u.cuped_ci_low > 0, u.ci_low > 0, false)) AS guardrail_warning
FROM campaign_uplift u
LEFT JOIN campaigns c ON c.campaign_id = u.campaign_id;

-- Campaigns without a hold-out: the newest observational difference-in-differences row.
-- lift_rel and its CI are relative (0.05: +5 %).
CREATE OR REPLACE VIEW v_campaign_did AS
SELECT d.*, c.name AS campaign_name, c.kind AS campaign_kind
FROM (
    SELECT DISTINCT ON (campaign_id) campaign_id, as_of, to_timestamp(as_of / 1000.0) AS as_of_at, method,
           lift_rel, ci_low, ci_high, incremental_gmv_cents
    FROM campaign_did
    ORDER BY campaign_id, as_of DESC
) d
LEFT JOIN campaigns c ON c.campaign_id = d.campaign_id;

-- Orders, GMV and sessions by channel over the last 24 hours of event time (campaign_id '': none).
CREATE OR REPLACE VIEW v_channel_attribution AS
SELECT a.*, c.name AS campaign_name, c.kind AS campaign_kind
FROM (
    SELECT channel, campaign_id, sum(sessions) AS sessions, sum(orders) AS orders, sum(gmv_cents) AS gmv_cents,
           sum(new_users) AS new_users, max(window_end) AS window_end
    FROM channel_attribution
    WHERE window_end > (SELECT max(window_end) - 86400000 FROM channel_attribution)
    GROUP BY channel, campaign_id
) a
LEFT JOIN campaigns c ON c.campaign_id = a.campaign_id;

-- The newest sourcing shortlist, with what a buyer needs to call the supplier: brand and origin
-- country (ISO 3166-1 alpha-2).
CREATE OR REPLACE VIEW v_sourcing_shortlist AS
SELECT s.as_of, to_timestamp(s.as_of / 1000.0) AS as_of_at, s.category_id, s.rank, s.item_id, s.score,
       s.forecast_daily_units, s.conversion_rate, s.avg_rating, s.return_rate, s.complaint_rate,
       s.recommended_order_units, s.reasons, i.name AS item_name, cn.category_name, i.brand, i.origin_country
FROM sourcing_shortlist s
LEFT JOIN items i ON i.item_id = s.item_id
LEFT JOIN v_category_names cn ON cn.category_id = s.category_id
WHERE s.as_of = (SELECT max(as_of) FROM sourcing_shortlist);

-- Site traffic per hour over the last 48 hours of event time, overall and per segment (segments of
-- fewer than k users are absent: the job never writes them). uv_exact false: a HyperLogLog estimate.
CREATE OR REPLACE VIEW v_traffic_hourly AS
SELECT window_start, to_timestamp(window_start / 1000.0) AS window_start_at, dimension, value, pv, uv, uv_exact
FROM traffic
WHERE granularity = '1h' AND window_start > (SELECT max(window_start) - 172800000 FROM traffic WHERE granularity = '1h');

-- The newest minute of traffic, every dimension.
CREATE OR REPLACE VIEW v_traffic_now AS
SELECT window_start, to_timestamp(window_start / 1000.0) AS window_start_at, dimension, value, pv, uv
FROM traffic
WHERE granularity = '1m' AND window_start = (SELECT max(window_start) FROM traffic WHERE granularity = '1m');

-- The funnel view -> cart -> order -> paid per category and hour, last 24 hours of event time.
CREATE OR REPLACE VIEW v_funnel_hourly AS
SELECT f.window_start, to_timestamp(f.window_start / 1000.0) AS window_start_at, f.category_id, f.viewers, f.carters,
       f.orderers, f.payers, f.view_to_cart, f.cart_to_order, f.order_to_paid, f.view_to_paid, cn.category_name
FROM funnel f
LEFT JOIN v_category_names cn ON cn.category_id = f.category_id
WHERE f.window_start > (SELECT max(window_start) - 86400000 FROM funnel);

-- Unpaid orders per hour of their timeout: how many timed out, and how many of those paid later.
-- No user ids: per-order rows stay in order_timeouts, for operators.
CREATE OR REPLACE VIEW v_unpaid_orders_hourly AS
SELECT (timeout_ts / 3600000) * 3600000 AS hour_start, to_timestamp((timeout_ts / 3600000) * 3600 ) AS hour_start_at,
       count(*) AS timed_out, count(paid_late_ts) AS paid_late
FROM order_timeouts
GROUP BY 1, 2;

-- Clicks the bot filter held out, per hour of event time and rule.
CREATE OR REPLACE VIEW v_bot_activity_hourly AS
SELECT ((event ->> 'ts')::bigint / 3600000) * 3600000 AS hour_start,
       to_timestamp(((event ->> 'ts')::bigint / 3600000) * 3600) AS hour_start_at, rule,
       count(*) AS clicks, count(DISTINCT event ->> 'user_id') AS users
FROM suspicious_events
GROUP BY 1, 2, 3;

-- Freshness: the newest event time each table reflects, and how old that is now.
CREATE OR REPLACE VIEW v_freshness AS
SELECT tbl, newest, to_timestamp(newest / 1000.0) AS newest_at,
       now() - to_timestamp(newest / 1000.0) AS age
FROM (
    SELECT 'hot_items' AS tbl, max(window_end) AS newest FROM hot_items
    UNION ALL SELECT 'demand_trends', max(window_end) FROM demand_trends
    UNION ALL SELECT 'category_trends', max(window_end) FROM category_trends
    UNION ALL SELECT 'campaign_uplift', max(as_of) FROM campaign_uplift
    UNION ALL SELECT 'channel_attribution', max(window_end) FROM channel_attribution
    UNION ALL SELECT 'sourcing_shortlist', max(as_of) FROM sourcing_shortlist
    UNION ALL SELECT 'traffic', max(window_end) FROM traffic
    UNION ALL SELECT 'funnel', max(window_end) FROM funnel
) f;
