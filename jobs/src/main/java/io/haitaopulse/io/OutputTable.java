package io.haitaopulse.io;

import io.haitaopulse.schema.Campaign;
import io.haitaopulse.schema.CampaignDid;
import io.haitaopulse.schema.CampaignUplift;
import io.haitaopulse.schema.CategoryTrend;
import io.haitaopulse.schema.ChannelAttribution;
import io.haitaopulse.schema.CouponFunnel;
import io.haitaopulse.schema.DeadLetter;
import io.haitaopulse.schema.DemandTrend;
import io.haitaopulse.schema.Funnel;
import io.haitaopulse.schema.HotItem;
import io.haitaopulse.schema.Item;
import io.haitaopulse.schema.LateEvent;
import io.haitaopulse.schema.OrderTimeout;
import io.haitaopulse.schema.ReferralCredit;
import io.haitaopulse.schema.SourcingShortlist;
import io.haitaopulse.schema.SuspiciousEvent;
import io.haitaopulse.schema.Traffic;
import io.haitaopulse.schema.TrendAlert;
import java.io.Serializable;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * An output table of CONTRACTS §3: its name (the replay file, Kafka topic and PostgreSQL table),
 * its record type, and its key. An upsert table holds one row per key and a later row for the same
 * key replaces an earlier one (a window re-fired by allowed lateness); an append table keeps every
 * row. Replay files are sorted by the key fields, numbers numerically and {@code scope}-like text
 * with non-numeric values ("all") before numeric ones.
 *
 * <p>A <em>reference</em> table ({@link #reference()}: items, campaigns) holds the newest input
 * record per key, for readers who want names beside the ids of the other tables. Its rows are
 * input records as validated at ingest, and it is written to PostgreSQL only: its Kafka topic of
 * the same name is the input it is made from.
 *
 * @param <T> the record type of a row
 */
public final class OutputTable<T extends SpecificRecordBase> implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final OutputTable<HotItem> HOT_ITEMS =
            new OutputTable<>("hot_items", HotItem.class, true, List.of("window_end", "scope", "rank"));
    public static final OutputTable<DemandTrend> DEMAND_TRENDS =
            new OutputTable<>("demand_trends", DemandTrend.class, true, List.of("window_end", "item_id"));
    public static final OutputTable<CategoryTrend> CATEGORY_TRENDS =
            new OutputTable<>("category_trends", CategoryTrend.class, true, List.of("window_end", "category_id"));
    /**
     * One row per trending episode of an item, rewritten as the episode opens, extends and ends:
     * the newest row of a key is the episode's current state.
     */
    public static final OutputTable<TrendAlert> TREND_ALERTS =
            new OutputTable<>("trend_alerts", TrendAlert.class, true, List.of("item_id", "started_at"));

    public static final OutputTable<CampaignUplift> CAMPAIGN_UPLIFT =
            new OutputTable<>("campaign_uplift", CampaignUplift.class, true, List.of("campaign_id", "metric", "as_of"));
    public static final OutputTable<CampaignDid> CAMPAIGN_DID =
            new OutputTable<>("campaign_did", CampaignDid.class, true, List.of("campaign_id", "as_of"));
    public static final OutputTable<CouponFunnel> COUPON_FUNNEL =
            new OutputTable<>("coupon_funnel", CouponFunnel.class, true, List.of("campaign_id", "as_of", "arm"));
    public static final OutputTable<ChannelAttribution> CHANNEL_ATTRIBUTION = new OutputTable<>(
            "channel_attribution", ChannelAttribution.class, true, List.of("window_end", "channel", "campaign_id"));
    public static final OutputTable<ReferralCredit> REFERRAL_CREDITS = new OutputTable<>(
            "referral_credits", ReferralCredit.class, true, List.of("window_end", "referrer_token", "campaign_id"));
    public static final OutputTable<SourcingShortlist> SOURCING_SHORTLIST = new OutputTable<>(
            "sourcing_shortlist", SourcingShortlist.class, true, List.of("as_of", "category_id", "rank"));
    public static final OutputTable<Traffic> TRAFFIC = new OutputTable<>(
            "traffic", Traffic.class, true, List.of("window_start", "granularity", "dimension", "value"));
    public static final OutputTable<Funnel> FUNNEL =
            new OutputTable<>("funnel", Funnel.class, true, List.of("window_start", "category_id"));
    public static final OutputTable<OrderTimeout> ORDER_TIMEOUTS =
            new OutputTable<>("order_timeouts", OrderTimeout.class, true, List.of("order_id"));
    public static final OutputTable<SuspiciousEvent> SUSPICIOUS_EVENTS = new OutputTable<>(
            "suspicious_events", SuspiciousEvent.class, false, List.of("blacklisted_from", "event.ts"));
    public static final OutputTable<DeadLetter> DEAD_LETTERS =
            new OutputTable<>("dead_letters", DeadLetter.class, false, List.of("source"));
    public static final OutputTable<LateEvent> LATE_EVENTS =
            new OutputTable<>("late_events", LateEvent.class, false, List.of("watermark", "event.ts"));
    /** The newest catalogue record per item (by {@code ts}, then arrival). */
    public static final OutputTable<Item> ITEMS =
            new OutputTable<>("items", Item.class, true, List.of("item_id"), true);
    /** The newest definition per campaign (by {@code start_ts}, then arrival). */
    public static final OutputTable<Campaign> CAMPAIGNS =
            new OutputTable<>("campaigns", Campaign.class, true, List.of("campaign_id"), true);

    /** Every table, in the order of the DDL. */
    public static List<OutputTable<?>> all() {
        return List.of(
                HOT_ITEMS,
                DEMAND_TRENDS,
                CATEGORY_TRENDS,
                TREND_ALERTS,
                CAMPAIGN_UPLIFT,
                CAMPAIGN_DID,
                COUPON_FUNNEL,
                CHANNEL_ATTRIBUTION,
                REFERRAL_CREDITS,
                SOURCING_SHORTLIST,
                TRAFFIC,
                FUNNEL,
                ORDER_TIMEOUTS,
                SUSPICIOUS_EVENTS,
                DEAD_LETTERS,
                LATE_EVENTS,
                ITEMS,
                CAMPAIGNS);
    }

    private final String name;
    private final Class<T> type;
    private final boolean upsert;
    private final List<String> keyFields;
    private final boolean reference;

    private OutputTable(String name, Class<T> type, boolean upsert, List<String> keyFields) {
        this(name, type, upsert, keyFields, false);
    }

    private OutputTable(String name, Class<T> type, boolean upsert, List<String> keyFields, boolean reference) {
        this.name = name;
        this.type = type;
        this.upsert = upsert;
        this.keyFields = List.copyOf(keyFields);
        this.reference = reference;
    }

    public String name() {
        return name;
    }

    public Class<T> type() {
        return type;
    }

    public TypeInformation<T> typeInfo() {
        return new AvroTypeInfo<>(type);
    }

    /** Whether a later row with the same key replaces an earlier one. */
    public boolean upsert() {
        return upsert;
    }

    /** Whether the rows are validated input records, the newest per key (see the class comment). */
    public boolean reference() {
        return reference;
    }

    /** Whether the live path writes the table to a Kafka topic too (every table but the reference tables). */
    public boolean onKafka() {
        return !reference;
    }

    /** Key fields, in sort order; dotted names reach into nested objects. */
    public List<String> keyFields() {
        return keyFields;
    }

    @Override
    public String toString() {
        return name;
    }
}
