-- Tables of Haitao Pulse, one per output table of CONTRACTS §3.
-- Generated from the Avro schemas by PgTable.allDdl(); PgTableTest fails when this file differs.
-- Times are epoch milliseconds, as in the replay files. Idempotent.

CREATE TABLE IF NOT EXISTS hot_items (
    window_start BIGINT NOT NULL,
    window_end BIGINT NOT NULL,
    scope TEXT NOT NULL,
    rank INTEGER NOT NULL,
    item_id BIGINT NOT NULL,
    views BIGINT NOT NULL,
    PRIMARY KEY (window_end, scope, rank)
);

CREATE TABLE IF NOT EXISTS demand_trends (
    window_start BIGINT NOT NULL,
    window_end BIGINT NOT NULL,
    item_id BIGINT NOT NULL,
    category_id BIGINT NOT NULL,
    views BIGINT NOT NULL,
    carts BIGINT NOT NULL,
    buys BIGINT NOT NULL,
    baseline DOUBLE PRECISION,
    ratio DOUBLE PRECISION,
    z DOUBLE PRECISION,
    trending BOOLEAN NOT NULL,
    PRIMARY KEY (window_end, item_id)
);

CREATE TABLE IF NOT EXISTS category_trends (
    window_start BIGINT NOT NULL,
    window_end BIGINT NOT NULL,
    category_id BIGINT NOT NULL,
    views BIGINT NOT NULL,
    carts BIGINT NOT NULL,
    buys BIGINT NOT NULL,
    active_items BIGINT NOT NULL,
    baseline DOUBLE PRECISION,
    ratio DOUBLE PRECISION,
    z DOUBLE PRECISION,
    trending BOOLEAN NOT NULL,
    trending_items INTEGER NOT NULL,
    top_trending_item_id BIGINT,
    PRIMARY KEY (window_end, category_id)
);

CREATE TABLE IF NOT EXISTS trend_alerts (
    item_id BIGINT NOT NULL,
    category_id BIGINT NOT NULL,
    started_at BIGINT NOT NULL,
    ended_at BIGINT,
    last_window_end BIGINT NOT NULL,
    peak_ratio DOUBLE PRECISION,
    peak_z DOUBLE PRECISION,
    peak_views BIGINT NOT NULL,
    PRIMARY KEY (item_id, started_at)
);

CREATE TABLE IF NOT EXISTS campaign_uplift (
    campaign_id TEXT NOT NULL,
    metric TEXT NOT NULL,
    as_of BIGINT NOT NULL,
    n_treatment BIGINT NOT NULL,
    n_control BIGINT NOT NULL,
    mean_treatment DOUBLE PRECISION,
    mean_control DOUBLE PRECISION,
    lift_abs DOUBLE PRECISION,
    lift_rel DOUBLE PRECISION,
    ci_low DOUBLE PRECISION,
    ci_high DOUBLE PRECISION,
    rel_ci_low DOUBLE PRECISION,
    rel_ci_high DOUBLE PRECISION,
    anytime_ci_low DOUBLE PRECISION,
    anytime_ci_high DOUBLE PRECISION,
    srm_p DOUBLE PRECISION,
    incremental_revenue_cents BIGINT,
    PRIMARY KEY (campaign_id, metric, as_of)
);

CREATE TABLE IF NOT EXISTS campaign_did (
    campaign_id TEXT NOT NULL,
    as_of BIGINT NOT NULL,
    method TEXT NOT NULL,
    pre_slots INTEGER NOT NULL,
    post_slots INTEGER NOT NULL,
    treated_pre_cents BIGINT NOT NULL,
    treated_post_cents BIGINT NOT NULL,
    control_pre_cents BIGINT NOT NULL,
    control_post_cents BIGINT NOT NULL,
    lift_rel DOUBLE PRECISION,
    ci_low DOUBLE PRECISION,
    ci_high DOUBLE PRECISION,
    incremental_gmv_cents BIGINT,
    PRIMARY KEY (campaign_id, as_of)
);

CREATE TABLE IF NOT EXISTS coupon_funnel (
    campaign_id TEXT NOT NULL,
    as_of BIGINT NOT NULL,
    arm TEXT NOT NULL,
    exposed BIGINT NOT NULL,
    first_orders BIGINT NOT NULL,
    redeemed BIGINT NOT NULL,
    first_order_rate DOUBLE PRECISION,
    redemption_rate DOUBLE PRECISION,
    PRIMARY KEY (campaign_id, as_of, arm)
);

CREATE TABLE IF NOT EXISTS channel_attribution (
    window_start BIGINT NOT NULL,
    window_end BIGINT NOT NULL,
    channel TEXT NOT NULL,
    campaign_id TEXT NOT NULL,
    sessions BIGINT NOT NULL,
    orders BIGINT NOT NULL,
    gmv_cents BIGINT NOT NULL,
    new_users BIGINT NOT NULL,
    referrers BIGINT NOT NULL,
    PRIMARY KEY (window_end, channel, campaign_id)
);

CREATE TABLE IF NOT EXISTS referral_credits (
    window_start BIGINT NOT NULL,
    window_end BIGINT NOT NULL,
    referrer_token TEXT NOT NULL,
    campaign_id TEXT NOT NULL,
    orders BIGINT NOT NULL,
    gmv_cents BIGINT NOT NULL,
    new_users BIGINT NOT NULL,
    PRIMARY KEY (window_end, referrer_token, campaign_id)
);

CREATE TABLE IF NOT EXISTS sourcing_shortlist (
    as_of BIGINT NOT NULL,
    category_id BIGINT NOT NULL,
    rank INTEGER NOT NULL,
    item_id BIGINT NOT NULL,
    score DOUBLE PRECISION,
    forecast_daily_units DOUBLE PRECISION,
    conversion_rate DOUBLE PRECISION,
    avg_rating DOUBLE PRECISION,
    return_rate DOUBLE PRECISION,
    complaint_rate DOUBLE PRECISION,
    recommended_order_units BIGINT NOT NULL,
    reasons TEXT[] NOT NULL,
    PRIMARY KEY (as_of, category_id, rank)
);

CREATE TABLE IF NOT EXISTS traffic (
    window_start BIGINT NOT NULL,
    window_end BIGINT NOT NULL,
    granularity TEXT NOT NULL,
    dimension TEXT NOT NULL,
    value TEXT NOT NULL,
    pv BIGINT NOT NULL,
    uv BIGINT NOT NULL,
    uv_exact BOOLEAN NOT NULL,
    PRIMARY KEY (window_start, granularity, dimension, value)
);

CREATE TABLE IF NOT EXISTS funnel (
    window_start BIGINT NOT NULL,
    window_end BIGINT NOT NULL,
    category_id BIGINT NOT NULL,
    viewers BIGINT NOT NULL,
    carters BIGINT NOT NULL,
    orderers BIGINT NOT NULL,
    payers BIGINT NOT NULL,
    view_to_cart DOUBLE PRECISION,
    cart_to_order DOUBLE PRECISION,
    order_to_paid DOUBLE PRECISION,
    view_to_paid DOUBLE PRECISION,
    PRIMARY KEY (window_start, category_id)
);

CREATE TABLE IF NOT EXISTS order_timeouts (
    order_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    created_ts BIGINT NOT NULL,
    timeout_ts BIGINT NOT NULL,
    paid_late_ts BIGINT,
    PRIMARY KEY (order_id)
);

CREATE TABLE IF NOT EXISTS suspicious_events (
    event JSONB NOT NULL,
    rule TEXT NOT NULL,
    blacklisted_from BIGINT NOT NULL,
    blacklisted_until BIGINT NOT NULL,
    row_id TEXT NOT NULL,
    PRIMARY KEY (row_id)
);

CREATE TABLE IF NOT EXISTS dead_letters (
    source TEXT NOT NULL,
    raw TEXT NOT NULL,
    reason TEXT NOT NULL,
    ts_ingest BIGINT NOT NULL,
    row_id TEXT NOT NULL,
    PRIMARY KEY (row_id)
);

CREATE TABLE IF NOT EXISTS late_events (
    event JSONB NOT NULL,
    reason TEXT NOT NULL,
    watermark BIGINT NOT NULL,
    row_id TEXT NOT NULL,
    PRIMARY KEY (row_id)
);

CREATE TABLE IF NOT EXISTS items (
    item_id BIGINT NOT NULL,
    category_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    ts BIGINT NOT NULL,
    category_name TEXT,
    brand TEXT,
    origin_country TEXT,
    price_cents BIGINT,
    PRIMARY KEY (item_id)
);

CREATE TABLE IF NOT EXISTS campaigns (
    campaign_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    start_ts BIGINT NOT NULL,
    end_ts BIGINT NOT NULL,
    holdout_pct DOUBLE PRECISION NOT NULL,
    target_category_ids BIGINT[],
    target_item_ids BIGINT[],
    name TEXT,
    PRIMARY KEY (campaign_id)
);
