package io.haitaopulse.trends;

import io.haitaopulse.io.ExchangeTypeInfo;
import java.util.Objects;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * The type of a stream of pre-aggregated panes where it crosses a keyed network exchange: {@link
 * #SHARD_PANE_COUNTS} leaves the hot-items pre-aggregation for the Top-N operators, {@link
 * #ITEM_PANE_ACTIVITY} the demand-trends pre-aggregation for {@link CategoryTrends}. Pre-aggregation
 * hardly reduces the count of panes when most (item, pane) pairs see one or two clicks, so nearly
 * every click crosses the exchange as part of one of these, and Flink's reflective POJO serializer
 * was a visible share of the job's CPU there. The records that come out of the exchange are the
 * same, field for field, as the ones that went in.
 *
 * <p>For the output type of the chained pre-aggregating operators only, never for state: the
 * serializers' encoding has no schema evolution. State that holds these records, or their {@link
 * io.haitaopulse.common.DistinctUsers}, keeps Flink's POJO types, whose snapshots savepoints are
 * restored by.
 *
 * @param <T> the pane record
 */
public final class PaneExchangeType<T> extends ExchangeTypeInfo<T> {

    private static final long serialVersionUID = 1L;

    /** {@link ShardPaneCounts} through {@link ShardPaneCountsSerializer}. */
    public static final PaneExchangeType<ShardPaneCounts> SHARD_PANE_COUNTS =
            new PaneExchangeType<>(ShardPaneCounts.class, ShardPaneCountsSerializer.INSTANCE);

    /** {@link ItemPaneActivity} through {@link ItemPaneActivitySerializer}. */
    public static final PaneExchangeType<ItemPaneActivity> ITEM_PANE_ACTIVITY =
            new PaneExchangeType<>(ItemPaneActivity.class, ItemPaneActivitySerializer.INSTANCE);

    private final TypeSerializer<T> serializer;

    private PaneExchangeType(Class<T> type, TypeSerializer<T> serializer) {
        super(type);
        this.serializer = serializer;
    }

    /** The serializer is stateless, so every caller gets the same instance. */
    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return serializer;
    }

    @Override
    public String toString() {
        return "PaneExchangeType<" + getTypeClass().getSimpleName() + ">";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof PaneExchangeType<?> other && other.getTypeClass() == getTypeClass();
    }

    @Override
    public int hashCode() {
        return Objects.hash(PaneExchangeType.class.getName(), getTypeClass().getName());
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof PaneExchangeType;
    }
}
