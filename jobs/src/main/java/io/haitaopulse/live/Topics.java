package io.haitaopulse.live;

import io.haitaopulse.io.OutputTable;
import io.haitaopulse.schema.Campaign;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.Exposure;
import io.haitaopulse.schema.Item;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.Review;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * The typed catalogue of Pulse's Kafka topics. Every value is Avro single-object encoded
 * ({@link AvroWire}).
 *
 * <p>Input topics are keyed by what the jobs key by, so that one key's events stay in order in
 * one partition: clicks, orders and exposures by {@code user_id} (uplift and attribution follow a
 * user's events in order; hot items pre-aggregate before any shuffle, so they do not care),
 * reviews and catalogue records by {@code item_id}, campaigns by {@code campaign_id}; a key is the
 * value as text, UTF-8 ({@code "10100001"} for item 10100001).
 *
 * <p>Output topics are named exactly like their table (CONTRACTS §3) and keyed by the table's
 * key fields joined with {@code '|'}, so a compacted topic keeps the last version of each row,
 * like the upsert into PostgreSQL. Of the output topics only {@code trend_alerts} is compacted
 * ({@link #COMPACTED_OUTPUTS}).
 */
public final class Topics {

    /** An input topic: its name, record type and partitioning key. */
    public static final class Input<T extends SpecificRecordBase> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String name;
        private final Class<T> type;
        private final String keyField;
        private final SerializableKey<T> key;

        private Input(String name, Class<T> type, String keyField, SerializableKey<T> key) {
            this.name = name;
            this.type = type;
            this.keyField = keyField;
            this.key = key;
        }

        public String name() {
            return name;
        }

        public Class<T> type() {
            return type;
        }

        /** The field whose value is the record key. */
        public String keyField() {
            return keyField;
        }

        /** The record key of {@code event}, UTF-8. */
        public byte[] key(T event) {
            return key.apply(event).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A key extractor that can travel with a job graph. */
    @FunctionalInterface
    public interface SerializableKey<T> extends Function<T, String>, Serializable {}

    public static final Input<Click> CLICKS = new Input<>("clicks", Click.class, "user_id", Click::getUserId);
    public static final Input<Order> ORDERS = new Input<>("orders", Order.class, "user_id", Order::getUserId);
    public static final Input<Campaign> CAMPAIGNS =
            new Input<>("campaigns", Campaign.class, "campaign_id", Campaign::getCampaignId);
    public static final Input<Exposure> EXPOSURES =
            new Input<>("exposures", Exposure.class, "user_id", Exposure::getUserId);
    public static final Input<Review> REVIEWS =
            new Input<>("reviews", Review.class, "item_id", r -> Long.toString(r.getItemId()));

    /**
     * The item catalogue: compacted ({@link #COMPACTED}), so that the newest record of every item
     * stays readable however long ago it was published.
     */
    public static final Input<Item> ITEMS =
            new Input<>("items", Item.class, "item_id", i -> Long.toString(i.getItemId()));

    /** Every input topic, in the order jobs open them. */
    public static final List<Input<?>> INPUTS = List.of(CLICKS, ORDERS, CAMPAIGNS, EXPOSURES, REVIEWS, ITEMS);

    /**
     * Input topics of definitions rather than events: read with {@link
     * io.haitaopulse.io.PulseWatermarks#definitions}, they hold the jobs' event time back only
     * until they have delivered their records.
     */
    public static final List<Input<?>> DEFINITIONS = List.of(CAMPAIGNS, ITEMS);

    /**
     * Input topics created with {@code cleanup.policy=compact}: reference data whose newest record
     * per key is what counts, kept for every key instead of for a retention time.
     */
    public static final List<Input<?>> COMPACTED = List.of(ITEMS);

    /**
     * Output topics created with {@code cleanup.policy=compact,delete}: tables whose rows are
     * mostly updates of the same key. An episode of {@code trend_alerts} is written again every
     * window it lasts, and only its newest row counts, so compaction lets a reader that starts
     * from the beginning read one row per episode instead of all its versions; {@code delete}
     * still drops episodes that ended longer than the retention time ago, as every other output
     * topic drops its rows. The other upsert tables rarely write a key twice (a window re-fired by
     * allowed lateness, a late payment): compaction would buy them nothing.
     */
    public static final List<OutputTable<?>> COMPACTED_OUTPUTS = List.of(OutputTable.TREND_ALERTS);

    private Topics() {}

    /** The output topic of {@code table}: the table's own name. */
    public static String output(OutputTable<?> table) {
        return table.name();
    }

    /**
     * The output topics of {@code tables}: those written to Kafka, not the reference tables
     * ({@link OutputTable#onKafka()}), whose topic of the same name is an input.
     */
    public static List<String> outputs(List<OutputTable<?>> tables) {
        return tables.stream().filter(OutputTable::onKafka).map(Topics::output).toList();
    }

    /** The input topic carrying records of {@code type}. */
    @SuppressWarnings("unchecked")
    public static <T extends SpecificRecordBase> Input<T> inputFor(Class<T> type) {
        for (Input<?> in : INPUTS) {
            if (in.type().equals(type)) {
                return (Input<T>) in;
            }
        }
        throw new IllegalArgumentException("no input topic carries " + type.getSimpleName());
    }
}
