package io.haitaopulse.live;

import io.haitaopulse.io.ClockSkew;
import io.haitaopulse.io.DeadLetters;
import io.haitaopulse.io.IngestedTypeInfo;
import io.haitaopulse.schema.internal.Ingested;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns a record of an input topic into an {@link Ingested}: the decoded, validated event, or a
 * dead letter with the record's bytes and the reason. It never throws for bad data, so a poison
 * record cannot restart the job: a decoder, rule or library that throws a
 * {@link RuntimeException} or a {@link StackOverflowError} on a record makes that record a dead
 * letter ({@code "decoding failed: <error>"}) too. An event with a string field over
 * {@link io.haitaopulse.io.EventLimits#MAX_STRING_CHARS} is a dead letter ({@link EventRules}).
 *
 * <p>An event whose time is implausible against the record's timestamp is a dead letter too
 * ({@link ClockSkew}).
 *
 * <p>The dead letter's {@code ts_ingest} is the Kafka record's timestamp, not the wall clock: a
 * record re-read after a restart yields the very same dead letter, which keeps the idempotent
 * dead_letters table free of duplicates.
 *
 * @param <T> the topic's record type
 */
public final class KafkaEventDeserializer<T extends SpecificRecordBase>
        implements KafkaRecordDeserializationSchema<Ingested> {

    private static final long serialVersionUID = 1L;

    private final Topics.Input<T> topic;
    private final ClockSkew skew;
    private transient AvroWire.Decoder<T> decoder;

    /** A deserializer with the default {@link ClockSkew} rule. */
    public KafkaEventDeserializer(Topics.Input<T> topic) {
        this(topic, ClockSkew.defaults());
    }

    /** A deserializer dead-lettering events that break {@code skew} against their record's timestamp. */
    public KafkaEventDeserializer(Topics.Input<T> topic, ClockSkew skew) {
        this.topic = topic;
        this.skew = skew;
    }

    /**
     * Largest part of a bad record kept in its dead letter. A dead letter is written to a Kafka
     * topic too, and a record near the broker's 1 MB limit, base64-encoded, would exceed it: the
     * write would fail and the job would restart on the same record forever.
     */
    public static final int KEPT_BYTES = 64 << 10;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Ingested> out) {
        out.collect(toIngested(
                record.value(), record.timestamp(), record.topic() + "-" + record.partition() + "@" + record.offset()));
    }

    /** {@link #toIngested(byte[], long, String)} for a record whose position is unknown. */
    public Ingested toIngested(byte[] value, long recordTs) {
        return toIngested(value, recordTs, null);
    }

    /**
     * The event in {@code value}, or the dead letter it becomes; {@code recordTs} is the Kafka
     * timestamp, {@code position} where the record is ({@code topic-partition@offset}, or null). Public for sources that hold topic records elsewhere (the benchmark's in-memory
     * topics), so they decode exactly as the live path does.
     */
    public Ingested toIngested(byte[] value, long recordTs, String position) {
        if (decoder == null) {
            decoder = AvroWire.decoder(topic.type());
        }
        String reason;
        try {
            T event = decoder.decode(value);
            // The one-pass reader already bounded every string: a second walk over the fields
            // cost a tenth of the click source.
            reason = decoder.lastWithinLimits() ? EventRules.rangeViolation(event) : EventRules.violation(event);
            if (reason == null) {
                // Before the watermark generator sees the event: a skewed time must not move it.
                reason = skew.violation(event, recordTs, "its Kafka record timestamp", true);
            }
            if (reason == null) {
                return new Ingested(event, Long.MIN_VALUE);
            }
        } catch (AvroWire.InvalidWireException e) {
            reason = e.getMessage();
        } catch (RuntimeException | StackOverflowError e) {
            // Decoding, the rules and the skew check should not throw; if one does on this record,
            // the record is the dead letter, never the reason the job restarts (forever, on Kafka).
            reason = DeadLetters.failure("decoding", e);
        }
        byte[] bytes = value == null ? new byte[0] : value;
        if (bytes.length > KEPT_BYTES) {
            reason += "; record of " + bytes.length + " bytes, the first " + KEPT_BYTES + " kept"
                    + (position == null ? "" : " (all of it is at " + position + ")");
            return DeadLetters.of(bytes, 0, KEPT_BYTES, topic.name(), reason, recordTs);
        }
        return DeadLetters.of(bytes, 0, bytes.length, topic.name(), reason, recordTs);
    }

    @Override
    public TypeInformation<Ingested> getProducedType() {
        return IngestedTypeInfo.INSTANCE;
    }
}
