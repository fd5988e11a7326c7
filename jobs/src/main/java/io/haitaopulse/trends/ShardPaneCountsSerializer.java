package io.haitaopulse.trends;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The serializer of {@link ShardPaneCounts} at the hot-items exchange
 * ({@link PaneExchangeType#SHARD_PANE_COUNTS}): the shard, the number of counts, then each count's
 * five longs. The encoding has no schema evolution (both ends of an exchange run the same code),
 * so it is never to be used for state, and its snapshot is compatible with nothing but itself.
 * Null records and null counts are not supported (streams carry none).
 */
public final class ShardPaneCountsSerializer extends TypeSerializerSingleton<ShardPaneCounts> {

    private static final long serialVersionUID = 1L;

    /** Bytes of one count: five longs. */
    private static final int COUNT_BYTES = 5 * Long.BYTES;

    /** The serializer; it keeps no state, so one instance serves every thread. */
    public static final ShardPaneCountsSerializer INSTANCE = new ShardPaneCountsSerializer();

    private ShardPaneCountsSerializer() {}

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public ShardPaneCounts createInstance() {
        return new ShardPaneCounts(0L, new PaneCount[0]);
    }

    /** A deep copy: the counts are mutable. */
    @Override
    public ShardPaneCounts copy(ShardPaneCounts from) {
        PaneCount[] counts = new PaneCount[from.counts.length];
        for (int i = 0; i < counts.length; i++) {
            PaneCount c = from.counts[i];
            counts[i] = new PaneCount(c.itemId, c.categoryId, c.paneStart, c.views, c.fromWindowEnd);
        }
        return new ShardPaneCounts(from.shard, counts);
    }

    @Override
    public ShardPaneCounts copy(ShardPaneCounts from, ShardPaneCounts reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(ShardPaneCounts record, DataOutputView target) throws IOException {
        target.writeLong(record.shard);
        target.writeInt(record.counts.length);
        for (PaneCount c : record.counts) {
            if (c.getClass() != PaneCount.class) {
                throw new IllegalArgumentException(
                        "ShardPaneCountsSerializer writes PaneCount only, not " + c.getClass());
            }
            target.writeLong(c.itemId);
            target.writeLong(c.categoryId);
            target.writeLong(c.paneStart);
            target.writeLong(c.views);
            target.writeLong(c.fromWindowEnd);
        }
    }

    @Override
    public ShardPaneCounts deserialize(DataInputView source) throws IOException {
        long shard = source.readLong();
        int n = source.readInt();
        if (n < 0) {
            throw new IOException("not a serialized ShardPaneCounts: " + n + " counts");
        }
        PaneCount[] counts = new PaneCount[n];
        for (int i = 0; i < n; i++) {
            counts[i] = new PaneCount(
                    source.readLong(), source.readLong(), source.readLong(), source.readLong(), source.readLong());
        }
        return new ShardPaneCounts(shard, counts);
    }

    /** A new record: one holds its counts in a final array, so nothing of {@code reuse} can be kept. */
    @Override
    public ShardPaneCounts deserialize(ShardPaneCounts reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        target.writeLong(source.readLong());
        int n = source.readInt();
        target.writeInt(n);
        target.write(source, n * COUNT_BYTES);
    }

    @Override
    public String toString() {
        return "ShardPaneCountsSerializer";
    }

    @Override
    public TypeSerializerSnapshot<ShardPaneCounts> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The snapshot of a {@link ShardPaneCountsSerializer}: empty, compatible only with itself. */
    public static final class Snapshot extends ExchangeSnapshot<ShardPaneCounts> {

        /** For Flink, which instantiates snapshots by reflection before reading them. */
        public Snapshot() {}

        @Override
        public ShardPaneCountsSerializer restoreSerializer() {
            return INSTANCE;
        }
    }

    /** Keeps one instance when a job graph is deserialized. */
    private Object readResolve() {
        return INSTANCE;
    }
}
