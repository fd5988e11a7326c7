package io.haitaopulse.io;

import java.io.Serializable;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps the newest record per key: forwards a record only when its version is at least the
 * largest version seen for its key so far, so that an upsert of the forwarded records by key
 * holds the newest one. Versions are compared, never arrival times: an older record arriving
 * late is dropped; of two records with the same version the later arrival wins (a correction
 * republished with the same time replaces the first). Arrival order is the order of one input
 * partition, as the key's records come from one partition (Kafka keys them so).
 *
 * <p>State: one {@code long} per key (the newest version), never cleared, so it grows with the
 * number of keys (the catalogue), not with the number of records. Records with a version older
 * than the state are dropped silently: they are not events and no result misses them.
 *
 * @param <K> the key
 * @param <T> the record
 */
public final class NewestWins<K, T> extends KeyedProcessFunction<K, T, T> {

    private static final long serialVersionUID = 1L;

    /** The version of a record, e.g. its valid-from time; larger is newer. */
    @FunctionalInterface
    public interface Version<T> extends Serializable {
        long of(T record);
    }

    private final Version<T> version;
    private transient ValueState<Long> newest;

    /** An operator comparing records by {@code version}. */
    public NewestWins(Version<T> version) {
        this.version = version;
    }

    @Override
    public void open(OpenContext openContext) {
        newest = getRuntimeContext().getState(new ValueStateDescriptor<>("newest-version", Types.LONG));
    }

    @Override
    public void processElement(T record, Context ctx, Collector<T> out) throws Exception {
        long v = version.of(record);
        Long seen = newest.value();
        if (seen == null || v >= seen) {
            newest.update(v);
            out.collect(record);
        }
    }
}
