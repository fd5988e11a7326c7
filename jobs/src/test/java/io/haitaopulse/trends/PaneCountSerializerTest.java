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
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@link PaneCountSerializer} against Flink's serializer contract ({@link SerializerTestBase}) and
 * against the POJO serializer it replaces at the hot-items exchanges: equal records back, equal
 * copies, on many random counts.
 */
class PaneCountSerializerTest extends SerializerTestBase<PaneCount> {

    @Override
    protected TypeSerializer<PaneCount> createSerializer() {
        return PaneCountSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return 40;
    }

    @Override
    protected Class<PaneCount> getTypeClass() {
        return PaneCount.class;
    }

    @Override
    protected PaneCount[] getTestData() {
        return new PaneCount[] {
            new PaneCount(),
            new PaneCount(1L, 2L, 1_764_000_000_000L, 1L),
            new PaneCount(537_624L, 4_159_072L, 1_511_539_200_000L, 42L, 1_511_542_800_000L),
            new PaneCount(Long.MAX_VALUE, Long.MIN_VALUE, -300_000L, Long.MAX_VALUE, Long.MIN_VALUE),
            new PaneCount(-1L, -1L, Long.MIN_VALUE, -1L, Long.MAX_VALUE),
        };
    }

    @Test
    void givesBackWhatThePojoSerializerGivesBack() throws IOException {
        TypeSerializer<PaneCount> pojo = Types.POJO(PaneCount.class).createSerializer(new SerializerConfigImpl());
        assertThat(pojo).isInstanceOf(PojoSerializer.class);
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < 5_000; i++) {
            PaneCount pc = new PaneCount(value(r), value(r), value(r), value(r), r.nextBoolean() ? 0L : value(r));
            PaneCount viaPojo = roundTrip(pojo, pc);
            PaneCount viaThis = roundTrip(PaneCountSerializer.INSTANCE, pc);
            assertThat(PojoFields.of(viaThis))
                    .as("%s", pc)
                    .isEqualTo(PojoFields.of(viaPojo))
                    .isEqualTo(PojoFields.of(pc));
            PaneCount copy = PaneCountSerializer.INSTANCE.copy(pc);
            assertThat(copy).isNotSameAs(pc);
            assertThat(PojoFields.of(copy)).isEqualTo(PojoFields.of(pojo.copy(pc)));
        }
    }

    /** The serializer writes these fields by hand: one added to the class must be added to it. */
    @Test
    void thePojoCarriesTheFieldsThisSerializerWrites() {
        assertThat(((PojoTypeInfo<PaneCount>) Types.POJO(PaneCount.class)).getFieldNames())
                .containsExactlyInAnyOrder("itemId", "categoryId", "paneStart", "views", "fromWindowEnd");
    }

    @Test
    void aSubclassIsRefusedRatherThanCutDown() {
        PaneCount sub = new PaneCount() {};
        assertThatThrownBy(() -> PaneCountSerializer.INSTANCE.serialize(sub, new DataOutputSerializer(64)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theTypeIsOneValueWithThisSerializer() {
        assertThat(PaneExchangeType.PANE_COUNT.createSerializer(new SerializerConfigImpl()))
                .isSameAs(PaneCountSerializer.INSTANCE);
        assertThat(PaneExchangeType.PANE_COUNT)
                .isNotEqualTo(Types.POJO(PaneCount.class))
                .isNotEqualTo(PaneExchangeType.ITEM_PANE_ACTIVITY)
                .isEqualTo(SerializationUtils.clone(PaneExchangeType.PANE_COUNT))
                .hasSameHashCodeAs(SerializationUtils.clone(PaneExchangeType.PANE_COUNT));
        assertThat(PaneExchangeType.PANE_COUNT.getTypeClass()).isEqualTo(PaneCount.class);
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
