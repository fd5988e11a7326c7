-- Dashboard views of Haitao Pulse. Dashboards read only these (role pulse_dashboard, 003_roles.sql);
-- the tables underneath are written by the jobs and may change shape between versions, the views
-- are the contract for dashboards. Times in the tables are epoch milliseconds (as in the replay
-- files); the views add timestamptz columns (*_at) for people.
-- Idempotent: safe to apply again after an upgrade.

-- Hot items of the newest window, every scope, with each item's rank in the window before it.
CREATE OR REPLACE VIEW v_hot_items_current AS
WITH cur AS (SELECT max(window_end) AS window_end FROM hot_items),
     prev AS (SELECT max(h.window_end) AS window_end FROM hot_items h, cur WHERE h.window_end < cur.window_end)
SELECT h.window_start, h.window_end, to_timestamp(h.window_end / 1000.0) AS window_end_at,
       h.scope, h.rank, h.item_id, h.views, p.rank AS previous_rank
FROM hot_items h
JOIN cur ON h.window_end = cur.window_end
LEFT JOIN hot_items p ON p.window_end = (SELECT window_end FROM prev) AND p.scope = h.scope AND p.item_id = h.item_id;

-- Items trending in the newest evaluated window, strongest first.
CREATE OR REPLACE VIEW v_trending_now AS
SELECT t.window_start, t.window_end, to_timestamp(t.window_end / 1000.0) AS window_end_at,
       t.item_id, t.category_id, t.views, t.carts, t.buys, t.baseline, t.ratio, t.z
FROM demand_trends t
WHERE t.window_end = (SELECT max(window_end) FROM demand_trends) AND t.trending;

-- Categories in the newest evaluated window, rising fastest first.
CREATE OR REPLACE VIEW v_category_trends_now AS
SELECT c.window_start, c.window_end, to_timestamp(c.window_end / 1000.0) AS window_end_at,
       c.category_id, c.views, c.carts, c.buys, c.active_items, c.baseline, c.ratio, c.z, c.trending,
       c.trending_items, c.top_trending_item_id
FROM category_trends c
WHERE c.window_end = (SELECT max(window_end) FROM category_trends);

-- Demand history of items and categories (views against baseline), for sparklines.
CREATE OR REPLACE VIEW v_demand_history AS
SELECT window_end, to_timestamp(window_end / 1000.0) AS window_end_at, item_id, category_id, views, baseline, ratio, z, trending
FROM demand_trends;

CREATE OR REPLACE VIEW v_category_history AS
SELECT window_end, to_timestamp(window_end / 1000.0) AS window_end_at, category_id, views, baseline, ratio, z, trending
FROM category_trends;

-- The live campaign scoreboard: the newest row of every campaign and metric, with the SRM flag
-- spelled out (below 0.001 the split is broken and no number of that campaign can be trusted).
CREATE OR REPLACE VIEW v_campaign_scoreboard AS
SELECT DISTINCT ON (u.campaign_id, u.metric)
       u.campaign_id, u.metric, u.as_of, to_timestamp(u.as_of / 1000.0) AS as_of_at,
       u.n_treatment, u.n_control, u.mean_treatment, u.mean_control, u.lift_abs, u.lift_rel,
       u.ci_low, u.ci_high, u.rel_ci_low, u.rel_ci_high, u.anytime_ci_low, u.anytime_ci_high,
       u.srm_p, (u.srm_p IS NOT NULL AND u.srm_p < 0.001) AS srm_warning, u.incremental_revenue_cents
FROM campaign_uplift u
ORDER BY u.campaign_id, u.metric, u.as_of DESC;

-- Uplift over time, for CI-band charts.
CREATE OR REPLACE VIEW v_campaign_history AS
SELECT campaign_id, metric, as_of, to_timestamp(as_of / 1000.0) AS as_of_at, lift_abs, ci_low, ci_high,
       anytime_ci_low, anytime_ci_high, n_treatment, n_control
FROM campaign_uplift;

-- Campaigns without a hold-out: the newest observational difference-in-differences row.
CREATE OR REPLACE VIEW v_campaign_did AS
SELECT DISTINCT ON (campaign_id) campaign_id, as_of, to_timestamp(as_of / 1000.0) AS as_of_at, method,
       lift_rel, ci_low, ci_high, incremental_gmv_cents
FROM campaign_did
ORDER BY campaign_id, as_of DESC;

-- Orders, GMV and sessions by channel over the last 24 hours of event time.
CREATE OR REPLACE VIEW v_channel_attribution AS
SELECT channel, campaign_id, sum(sessions) AS sessions, sum(orders) AS orders, sum(gmv_cents) AS gmv_cents,
       sum(new_users) AS new_users, max(window_end) AS window_end
FROM channel_attribution
WHERE window_end > (SELECT max(window_end) - 86400000 FROM channel_attribution)
GROUP BY channel, campaign_id;

-- The newest sourcing shortlist.
CREATE OR REPLACE VIEW v_sourcing_shortlist AS
SELECT s.as_of, to_timestamp(s.as_of / 1000.0) AS as_of_at, s.category_id, s.rank, s.item_id, s.score,
       s.forecast_daily_units, s.conversion_rate, s.avg_rating, s.return_rate, s.complaint_rate,
       s.recommended_order_units, s.reasons
FROM sourcing_shortlist s
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
SELECT window_start, to_timestamp(window_start / 1000.0) AS window_start_at, category_id, viewers, carters, orderers,
       payers, view_to_cart, cart_to_order, order_to_paid, view_to_paid
FROM funnel
WHERE window_start > (SELECT max(window_start) - 86400000 FROM funnel);

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
