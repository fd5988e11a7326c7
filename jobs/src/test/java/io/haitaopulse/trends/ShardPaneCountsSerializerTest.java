package io.haitaopulse.trends;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haitaopulse.testutil.PojoFields;
import java.io.IOException;
import java.util.SplittableRandom;
import org.apache.commons.lang3.SerializationUtils;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@link ShardPaneCountsSerializer} against Flink's serializer contract ({@link SerializerTestBase})
 * and on many random batches: every count comes back field for field, in order.
 */
class ShardPaneCountsSerializerTest extends SerializerTestBase<ShardPaneCounts> {

    @Override
    protected TypeSerializer<ShardPaneCounts> createSerializer() {
        return ShardPaneCountsSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<ShardPaneCounts> getTypeClass() {
        return ShardPaneCounts.class;
    }

    @Override
    protected ShardPaneCounts[] getTestData() {
        return new ShardPaneCounts[] {
            new ShardPaneCounts(0L, new PaneCount[0]),
            new ShardPaneCounts(3L, new PaneCount[] {new PaneCount(1L, 2L, 1_764_000_000_000L, 1L)}),
            new ShardPaneCounts(31L, new PaneCount[] {
                new PaneCount(537_624L, 4_159_072L, 1_511_539_200_000L, 42L, 1_511_542_800_000L),
                new PaneCount(Long.MAX_VALUE, Long.MIN_VALUE, -300_000L, Long.MAX_VALUE, Long.MIN_VALUE),
                new PaneCount(-1L, -1L, Long.MIN_VALUE, -1L, Long.MAX_VALUE),
                new PaneCount()
            }),
        };
    }

    @Test
    void givesBackEveryCountInOrder() throws IOException {
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < 2_000; i++) {
            PaneCount[] counts = new PaneCount[r.nextInt(40)];
            for (int j = 0; j < counts.length; j++) {
                counts[j] = new PaneCount(value(r), value(r), value(r), value(r), r.nextBoolean() ? 0L : value(r));
            }
            ShardPaneCounts batch = new ShardPaneCounts(r.nextInt(32), counts);
            ShardPaneCounts back = roundTrip(ShardPaneCountsSerializer.INSTANCE, batch);
            assertThat(back.shard).isEqualTo(batch.shard);
            assertThat(back.counts).hasSameSizeAs(counts);
            for (int j = 0; j < counts.length; j++) {
                assertThat(PojoFields.of(back.counts[j])).as("%s", counts[j]).isEqualTo(PojoFields.of(counts[j]));
            }
            ShardPaneCounts copy = ShardPaneCountsSerializer.INSTANCE.copy(batch);
            assertThat(copy).isEqualTo(batch);
            for (int j = 0; j < counts.length; j++) {
                assertThat(copy.counts[j]).isNotSameAs(counts[j]);
            }
        }
    }

    /** The serializer writes these fields by hand: one added to the class must be added to it. */
    @Test
    void aCountCarriesTheFieldsThisSerializerWrites() {
        assertThat(((PojoTypeInfo<PaneCount>) Types.POJO(PaneCount.class)).getFieldNames())
                .containsExactlyInAnyOrder("itemId", "categoryId", "paneStart", "views", "fromWindowEnd");
    }

    @Test
    void aSubclassOfACountIsRefusedRatherThanCutDown() {
        PaneCount sub = new PaneCount() {};
        ShardPaneCounts batch = new ShardPaneCounts(0L, new PaneCount[] {sub});
        assertThatThrownBy(() -> ShardPaneCountsSerializer.INSTANCE.serialize(batch, new DataOutputSerializer(64)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNegativeCountOfCountsIsNotABatch() {
        DataOutputSerializer out = new DataOutputSerializer(16);
        assertThatThrownBy(() -> {
                    out.writeLong(1L);
                    out.writeInt(-1);
                    ShardPaneCountsSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
                })
                .isInstanceOf(IOException.class)
                .hasMessageContaining("-1 counts");
    }

    @Test
    void theTypeIsOneValueWithThisSerializer() {
        assertThat(PaneExchangeType.SHARD_PANE_COUNTS.createSerializer(new SerializerConfigImpl()))
                .isSameAs(ShardPaneCountsSerializer.INSTANCE);
        assertThat(PaneExchangeType.SHARD_PANE_COUNTS)
                .isNotEqualTo(PaneExchangeType.ITEM_PANE_ACTIVITY)
                .isEqualTo(SerializationUtils.clone(PaneExchangeType.SHARD_PANE_COUNTS))
                .hasSameHashCodeAs(SerializationUtils.clone(PaneExchangeType.SHARD_PANE_COUNTS));
        assertThat(PaneExchangeType.SHARD_PANE_COUNTS.getTypeClass()).isEqualTo(ShardPaneCounts.class);
    }

    /** Small counts mostly, as in the jobs, and the extremes. */
    private static long value(SplittableRandom r) {
        return switch (r.nextInt(4)) {
            case 0 -> r.nextLong(100);
            case 1 -> r.nextLong();
            case 2 -> 1_511_539_200_000L + 300_000L * r.nextInt(10_000);
            default -> r.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
        };
    }

    static <T> T roundTrip(TypeSerializer<T> s, T record) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(record, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        T back = s.deserialize(in);
        assertThat(in.available()).isZero();
        return back;
    }
}
