package io.haitaopulse.trends;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The serializer of {@link PaneCount} at the hot-items exchanges ({@link PaneExchangeType#PANE_COUNT}):
 * its five longs in a fixed 40 bytes. Pre-aggregation sends nearly one count per view and
 * Flink's POJO serializer sets each field by reflection; this one calls a constructor. What comes
 * back equals what the POJO serializer gives back, field for field.
 *
 * <p>Exactly {@link PaneCount}: a subclass's own fields would not be carried, so one fails to
 * serialize. Null records are not supported (streams carry none). The encoding has no schema
 * evolution (both ends of an exchange run the same code), so it is never to be used for state,
 * and its snapshot is compatible with nothing but itself.
 */
public final class PaneCountSerializer extends TypeSerializerSingleton<PaneCount> {

    private static final long serialVersionUID = 1L;

    /** Bytes of one count: five longs. */
    static final int LENGTH = 5 * Long.BYTES;

    /** The serializer; it keeps no state, so one instance serves every thread. */
    public static final PaneCountSerializer INSTANCE = new PaneCountSerializer();

    private PaneCountSerializer() {}

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public PaneCount createInstance() {
        return new PaneCount();
    }

    @Override
    public PaneCount copy(PaneCount from) {
        return new PaneCount(from.itemId, from.categoryId, from.paneStart, from.views, from.fromWindowEnd);
    }

    @Override
    public PaneCount copy(PaneCount from, PaneCount reuse) {
        reuse.itemId = from.itemId;
        reuse.categoryId = from.categoryId;
        reuse.paneStart = from.paneStart;
        reuse.views = from.views;
        reuse.fromWindowEnd = from.fromWindowEnd;
        return reuse;
    }

    @Override
    public int getLength() {
        return LENGTH;
    }

    @Override
    public void serialize(PaneCount record, DataOutputView target) throws IOException {
        if (record.getClass() != PaneCount.class) {
            throw new IllegalArgumentException("PaneCountSerializer writes PaneCount only, not " + record.getClass());
        }
        target.writeLong(record.itemId);
        target.writeLong(record.categoryId);
        target.writeLong(record.paneStart);
        target.writeLong(record.views);
        target.writeLong(record.fromWindowEnd);
    }

    @Override
    public PaneCount deserialize(DataInputView source) throws IOException {
        return new PaneCount(
                source.readLong(), source.readLong(), source.readLong(), source.readLong(), source.readLong());
    }

    /** Fills {@code reuse}, as the POJO serializer would. */
    @Override
    public PaneCount deserialize(PaneCount reuse, DataInputView source) throws IOException {
        reuse.itemId = source.readLong();
        reuse.categoryId = source.readLong();
        reuse.paneStart = source.readLong();
        reuse.views = source.readLong();
        reuse.fromWindowEnd = source.readLong();
        return reuse;
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        target.write(source, LENGTH);
    }

    @Override
    public String toString() {
        return "PaneCountSerializer";
    }

    @Override
    public TypeSerializerSnapshot<PaneCount> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The snapshot of a {@link PaneCountSerializer}: empty, compatible only with itself. */
    public static final class Snapshot extends ExchangeSnapshot<PaneCount> {

        /** For Flink, which instantiates snapshots by reflection before reading them. */
        public Snapshot() {}

        @Override
        public PaneCountSerializer restoreSerializer() {
            return INSTANCE;
        }
    }

    /** Keeps one instance when a job graph is deserialized. */
    private Object readResolve() {
        return INSTANCE;
    }
}
