package io.haitaopulse.testutil;

/**
 * The catalogue tables {@code items} and {@code campaigns} (newest record per key) that the
 * dashboard views join for names, exactly as deploy/sql/001_tables.sql creates them. Tests that
 * apply the scripts run this first, so the views find them whether or not that file has them;
 * {@code IF NOT EXISTS} makes it a no-op when it does.
 */
public final class CatalogueTables {

    public static final String DDL = String.join(
            "\n",
            "CREATE TABLE IF NOT EXISTS items (item_id BIGINT NOT NULL, category_id BIGINT NOT NULL, name TEXT NOT NULL, "
                    + "ts BIGINT NOT NULL, category_name TEXT, brand TEXT, origin_country TEXT, price_cents BIGINT, "
                    + "PRIMARY KEY (item_id));",
            "CREATE TABLE IF NOT EXISTS campaigns (campaign_id TEXT NOT NULL, kind TEXT NOT NULL, start_ts BIGINT NOT NULL, "
                    + "end_ts BIGINT NOT NULL, holdout_pct DOUBLE PRECISION NOT NULL, target_category_ids BIGINT[], "
                    + "target_item_ids BIGINT[], name TEXT, PRIMARY KEY (campaign_id));");

    private CatalogueTables() {}
}
