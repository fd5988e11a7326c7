package io.haitaopulse.io;

import io.haitaopulse.schema.internal.Ingested;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * The type of every {@link Ingested} stream, {@link #INSTANCE}: what each source produces and what
 * the stages up to the jobs' own operators pass on, so that every event crosses its network
 * exchange (the gathering rebalance, or the bot filter's keyBy on user) through
 * {@link IngestedSerializer} rather than Avro's generic machinery. For a stream the records that
 * come out of an exchange are the same, field for field, as with
 * {@code new AvroTypeInfo<>(Ingested.class)}.
 *
 * <p>Not for state: its serializer's encoding has no schema evolution. State that holds
 * {@link Ingested} records keeps {@code new AvroTypeInfo<>(Ingested.class)}, whose snapshot carries
 * the Avro schema that savepoints are restored by (as the bot filter's held clicks and the
 * attributor's pending events do). Streams that are {@link
 * org.apache.flink.streaming.api.datastream.DataStream#union unioned} must have equal types, so
 * every {@link Ingested} stream uses this one.
 */
public final class IngestedTypeInfo extends ExchangeTypeInfo<Ingested> {

    private static final long serialVersionUID = 1L;

    /** The one instance; all instances are equal anyway. */
    public static final IngestedTypeInfo INSTANCE = new IngestedTypeInfo();

    private IngestedTypeInfo() {
        super(Ingested.class);
    }

    @Override
    public TypeSerializer<Ingested> createSerializer(SerializerConfig config) {
        return new IngestedSerializer();
    }

    @Override
    public String toString() {
        return "IngestedTypeInfo";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof IngestedTypeInfo;
    }

    @Override
    public int hashCode() {
        return IngestedTypeInfo.class.getName().hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof IngestedTypeInfo;
    }

    /** Keeps one instance when a job graph is deserialized. */
    private Object readResolve() {
        return INSTANCE;
    }
}
