-- Roles of Haitao Pulse. Idempotent.
--
-- pulse_dashboard: what dashboards log in as (through a LOGIN role that is a member of it, e.g.
--   CREATE ROLE dashboard LOGIN PASSWORD '…' IN ROLE pulse_dashboard;  -- password never in the repo
-- ). It may read the views of 002_views.sql and nothing else: no table, no write. Views run with
-- their owner's rights, so granting the views alone is enough.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pulse_dashboard') THEN
        CREATE ROLE pulse_dashboard NOLOGIN;
    END IF;
END
$$;

-- PostgreSQL before 15 lets every role create objects in schema public.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO pulse_dashboard;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM pulse_dashboard;
GRANT SELECT ON v_category_names, v_hot_items_current, v_category_newest_window, v_trending_now, v_category_trends_now, v_demand_history, v_category_history,
    v_trend_alerts, v_campaign_scoreboard, v_campaign_history, v_campaign_did, v_channel_attribution, v_sourcing_shortlist,
    v_freshness, v_traffic_hourly, v_traffic_now, v_funnel_hourly, v_unpaid_orders_hourly, v_bot_activity_hourly
    TO pulse_dashboard;
