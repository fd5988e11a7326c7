package io.haitaopulse.trends;

import io.haitaopulse.common.DistinctUsers;
import io.haitaopulse.common.DistinctUsersCodec;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The serializer of {@link ItemPaneActivity} at the demand-trends exchange ({@link
 * PaneExchangeType#ITEM_PANE_ACTIVITY}): its six longs, then its viewers (which may be null)
 * through {@link DistinctUsersCodec}. Pre-aggregation sends nearly one record per click and Flink's
 * POJO serializer sets each field, and each of the viewers' fields, by reflection; this one calls
 * constructors. What comes back equals what the POJO serializer gives back, field for field.
 *
 * <p>Exactly {@link ItemPaneActivity}: a subclass's own fields would not be carried, so one fails
 * to serialize. Null records are not supported (streams carry none). The encoding has no schema
 * evolution (both ends of an exchange run the same code), so it is never to be used for state,
 * and its snapshot is compatible with nothing but itself.
 */
public final class ItemPaneActivitySerializer extends TypeSerializerSingleton<ItemPaneActivity> {

    private static final long serialVersionUID = 1L;

    /** The serializer; it keeps no state, so one instance serves every thread. */
    public static final ItemPaneActivitySerializer INSTANCE = new ItemPaneActivitySerializer();

    private ItemPaneActivitySerializer() {}

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public ItemPaneActivity createInstance() {
        return new ItemPaneActivity();
    }

    /** A deep copy: the viewers are copied too, since object reuse lets the source change them. */
    @Override
    public ItemPaneActivity copy(ItemPaneActivity from) {
        return new ItemPaneActivity(
                from.itemId,
                from.categoryId,
                from.paneStart,
                from.views,
                from.carts,
                from.buys,
                from.viewers == null ? null : DistinctUsersCodec.copy(from.viewers));
    }

    @Override
    public ItemPaneActivity copy(ItemPaneActivity from, ItemPaneActivity reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(ItemPaneActivity record, DataOutputView target) throws IOException {
        if (record.getClass() != ItemPaneActivity.class) {
            throw new IllegalArgumentException(
                    "ItemPaneActivitySerializer writes ItemPaneActivity only, not " + record.getClass());
        }
        target.writeLong(record.itemId);
        target.writeLong(record.categoryId);
        target.writeLong(record.paneStart);
        target.writeLong(record.views);
        target.writeLong(record.carts);
        target.writeLong(record.buys);
        DistinctUsers viewers = record.viewers;
        target.writeBoolean(viewers != null);
        if (viewers != null) {
            DistinctUsersCodec.write(viewers, target);
        }
    }

    @Override
    public ItemPaneActivity deserialize(DataInputView source) throws IOException {
        long itemId = source.readLong();
        long categoryId = source.readLong();
        long paneStart = source.readLong();
        long views = source.readLong();
        long carts = source.readLong();
        long buys = source.readLong();
        DistinctUsers viewers = source.readBoolean() ? DistinctUsersCodec.read(source) : null;
        return new ItemPaneActivity(itemId, categoryId, paneStart, views, carts, buys, viewers);
    }

    /**
     * A new record: filling {@code reuse} would save one small object next to the viewers' arrays,
     * which are new either way.
     */
    @Override
    public ItemPaneActivity deserialize(ItemPaneActivity reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public String toString() {
        return "ItemPaneActivitySerializer";
    }

    @Override
    public TypeSerializerSnapshot<ItemPaneActivity> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The snapshot of an {@link ItemPaneActivitySerializer}: empty, compatible only with itself. */
    public static final class Snapshot extends ExchangeSnapshot<ItemPaneActivity> {

        /** For Flink, which instantiates snapshots by reflection before reading them. */
        public Snapshot() {}

        @Override
        public ItemPaneActivitySerializer restoreSerializer() {
            return INSTANCE;
        }
    }

    /** Keeps one instance when a job graph is deserialized. */
    private Object readResolve() {
        return INSTANCE;
    }
}
