package io.haitaopulse.trends;

import static io.haitaopulse.trends.ShardPaneCountsSerializerTest.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haitaopulse.common.DistinctUsers;
import io.haitaopulse.testutil.PojoFields;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.lang3.SerializationUtils;
import org.apache.datasketches.hll.HllSketch;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;
import org.junit.jupiter.api.Test;

/**
 * {@link ItemPaneActivitySerializer} against Flink's serializer contract ({@link
 * SerializerTestBase}) and against the POJO serializer it replaces at the demand-trends exchange:
 * on many random records, with viewers in every state a {@link DistinctUsers} can be in (exact
 * with 0, 1 or many users, with the zero hash, a large exact table, the sketch in each of
 * DataSketches' modes, merged sketches, null arrays, no viewers at all), the records that come
 * back and the copies carry the same fields, and they go on counting as the originals do.
 */
class ItemPaneActivitySerializerTest extends SerializerTestBase<ItemPaneActivity> {

    private static final Pattern MODE = Pattern.compile("Current Mode\\s*:\\s*(\\w+)");

    /** What the exchange used before. */
    private static final TypeSerializer<ItemPaneActivity> POJO =
            Types.POJO(ItemPaneActivity.class).createSerializer(new SerializerConfigImpl());

    /**
     * ItemPaneActivity has no equals: two records are equal when the POJO serializer cannot tell
     * them apart (the base class compares through this checker).
     */
    ItemPaneActivitySerializerTest() {
        super(new DeeplyEqualsChecker()
                .withCustomCheck(
                        (a, b) -> a instanceof ItemPaneActivity && b instanceof ItemPaneActivity,
                        (a, b, checker) -> PojoFields.of(a).equals(PojoFields.of(b))));
    }

    @Override
    protected TypeSerializer<ItemPaneActivity> createSerializer() {
        return ItemPaneActivitySerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<ItemPaneActivity> getTypeClass() {
        return ItemPaneActivity.class;
    }

    @Override
    protected ItemPaneActivity[] getTestData() {
        List<ItemPaneActivity> out = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(5);
        // Counts as counting leaves them: the base class prints every record, and toString counts
        // the viewers (which hand-set arrays and null viewers fail; givesBackWhatThePojoSerializerGivesBack has them).
        for (DistinctUsers v : viewerStates(r)) {
            out.add(activity(r, v));
        }
        return out.toArray(new ItemPaneActivity[0]);
    }

    @Test
    void givesBackWhatThePojoSerializerGivesBack() throws IOException {
        assertThat(POJO).isInstanceOf(PojoSerializer.class);
        SplittableRandom r = new SplittableRandom(17);
        for (int round = 0; round < 20; round++) {
            for (DistinctUsers v : viewerStates(r)) {
                check(activity(r, v), r, true);
            }
            for (DistinctUsers v : handSet(r)) {
                check(activity(r, v), r, false);
            }
        }
        for (int i = 0; i < 2_000; i++) {
            check(activity(r, randomViewers(r)), r, true);
        }
    }

    /**
     * {@code a} comes back and is copied as through the POJO serializer; when its viewers were built
     * by counting ({@code counts}), what comes back and the copy also go on counting as {@code a}
     * does, and the copy on its own arrays.
     */
    private static void check(ItemPaneActivity a, SplittableRandom r, boolean counts) throws IOException {
        ItemPaneActivitySerializer fast = ItemPaneActivitySerializer.INSTANCE;
        Object original = PojoFields.of(a);
        ItemPaneActivity viaPojo = roundTrip(POJO, a);
        ItemPaneActivity viaFast = roundTrip(fast, a);
        assertThat(PojoFields.of(viaFast))
                .as("%s", a)
                .isEqualTo(PojoFields.of(viaPojo))
                .isEqualTo(original);
        ItemPaneActivity copy = fast.copy(a);
        assertThat(copy).isNotSameAs(a);
        assertThat(PojoFields.of(copy)).as("copy of %s", a).isEqualTo(PojoFields.of(POJO.copy(a)));
        if (a.viewers == null) {
            assertThat(viaFast.viewers).isNull();
            assertThat(copy.viewers).isNull();
            return;
        }
        assertThat(copy.viewers).isNotSameAs(a.viewers);
        if (a.viewers.table != null) {
            assertThat(copy.viewers.table).isNotSameAs(a.viewers.table);
        }
        if (a.viewers.sketch != null) {
            assertThat(copy.viewers.sketch).isNotSameAs(a.viewers.sketch);
        }
        if (!counts) {
            return;
        }
        assertThat(viaFast.viewers.count()).isEqualTo(a.viewers.count());
        long user = DistinctUsers.hash("later-" + r.nextLong());
        for (ItemPaneActivity each : List.of(a, viaFast, copy)) {
            each.viewers.add(user);
        }
        assertThat(PojoFields.of(viaFast)).isEqualTo(PojoFields.of(a));
        assertThat(PojoFields.of(copy)).isEqualTo(PojoFields.of(a));
        Object before = PojoFields.of(a);
        for (int i = 0; i < 100; i++) {
            copy.viewers.add(DistinctUsers.hash("copy-only-" + i));
        }
        assertThat(PojoFields.of(a)).isEqualTo(before);
    }

    /** DataSketches' modes (list, set, registers) lay the image out differently; each is covered. */
    @Test
    void theStatesCoverEveryModeOfTheSketch() {
        Set<String> modes = new TreeSet<>();
        for (DistinctUsers d : viewerStates(new SplittableRandom(1))) {
            if (d.sketch != null) {
                // The mode is only printed: DataSketches does not export its type.
                Matcher m = MODE.matcher(HllSketch.heapify(d.sketch).toString());
                assertThat(m.find()).isTrue();
                modes.add(m.group(1));
            }
        }
        assertThat(modes).containsExactly("HLL", "LIST", "SET");
    }

    /** The encoding keeps what is small small: occupied slots only, the sketch image up to its last non-zero byte. */
    @Test
    void sparseTablesAndFreshSketchesAreWrittenShort() throws IOException {
        ItemPaneActivity one = new ItemPaneActivity(1L, 2L, 3L);
        one.views = 1;
        one.viewers.add(DistinctUsers.hash("u"));
        // Six longs, the viewers flag, DistinctUsers: flags, size, limit, lgK, table length, occupied, one slot.
        assertThat(size(one)).isEqualTo(6 * 8 + 1 + 1 + 3 * 4 + 2 * 4 + (4 + 8));
        ItemPaneActivity justSketched = new ItemPaneActivity(1L, 2L, 3L);
        for (int i = 0; i <= DistinctUsers.EXACT_LIMIT; i++) {
            justSketched.viewers.add(DistinctUsers.hash("u" + i));
        }
        assertThat(justSketched.viewers.isExact()).isFalse();
        assertThat(size(justSketched)).isLessThan(justSketched.viewers.sketch.length / 2);
    }

    /** The serializer and the codec write these fields by hand: one added to a class must be added to them. */
    @Test
    void thePojoCarriesTheFieldsThisSerializerWrites() {
        assertThat(((PojoTypeInfo<ItemPaneActivity>) Types.POJO(ItemPaneActivity.class)).getFieldNames())
                .containsExactlyInAnyOrder("itemId", "categoryId", "paneStart", "views", "carts", "buys", "viewers");
        assertThat(((PojoTypeInfo<DistinctUsers>) Types.POJO(DistinctUsers.class)).getFieldNames())
                .containsExactlyInAnyOrder("table", "hasZero", "size", "limit", "lgK", "sketch");
    }

    @Test
    void aSubclassIsRefusedRatherThanCutDown() {
        ItemPaneActivity sub = new ItemPaneActivity() {};
        assertThatThrownBy(() -> ItemPaneActivitySerializer.INSTANCE.serialize(sub, new DataOutputSerializer(64)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void corruptViewersAreAnIOException() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (int i = 0; i < 6; i++) {
            out.writeLong(i);
        }
        out.writeBoolean(true);
        out.writeByte(2); // a table follows
        out.writeInt(0);
        out.writeInt(64);
        out.writeInt(12);
        out.writeInt(4); // slots
        out.writeInt(1); // occupied
        out.writeInt(7); // beyond the table
        out.writeLong(99L);
        assertThatThrownBy(() -> ItemPaneActivitySerializer.INSTANCE.deserialize(
                        new DataInputDeserializer(out.getCopyOfBuffer())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("slot 7 of 4");
    }

    @Test
    void theTypeIsOneValueWithThisSerializer() {
        assertThat(PaneExchangeType.ITEM_PANE_ACTIVITY.createSerializer(new SerializerConfigImpl()))
                .isSameAs(ItemPaneActivitySerializer.INSTANCE);
        assertThat(PaneExchangeType.ITEM_PANE_ACTIVITY)
                .isNotEqualTo(Types.POJO(ItemPaneActivity.class))
                .isEqualTo(SerializationUtils.clone(PaneExchangeType.ITEM_PANE_ACTIVITY))
                .hasSameHashCodeAs(SerializationUtils.clone(PaneExchangeType.ITEM_PANE_ACTIVITY));
        assertThat(SerializationUtils.clone(ItemPaneActivitySerializer.INSTANCE))
                .isSameAs(ItemPaneActivitySerializer.INSTANCE);
    }

    private static int size(ItemPaneActivity a) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        ItemPaneActivitySerializer.INSTANCE.serialize(a, out);
        return out.length();
    }

    private static ItemPaneActivity activity(SplittableRandom r, DistinctUsers viewers) {
        ItemPaneActivity a = new ItemPaneActivity(
                r.nextLong(), r.nextLong(1_000_000), 1_511_539_200_000L + 300_000L * r.nextInt(10_000));
        a.views = r.nextInt(3) == 0 ? r.nextLong() : r.nextLong(50);
        a.carts = r.nextLong(5);
        a.buys = r.nextBoolean() ? 0L : Long.MAX_VALUE - r.nextLong(3);
        a.viewers = viewers;
        return a;
    }

    /** One of each state counting can leave a count in. */
    private static List<DistinctUsers> viewerStates(SplittableRandom r) {
        List<DistinctUsers> out = new ArrayList<>();
        out.add(new DistinctUsers());
        out.add(users(r, 1, false));
        out.add(users(r, 1, true)); // the zero hash alone
        out.add(users(r, 17, true));
        out.add(users(r, DistinctUsers.EXACT_LIMIT, true)); // full, still exact
        DistinctUsers few = DistinctUsers.exactUpTo(3, DistinctUsers.LG_K);
        for (int i = 0; i < 5; i++) {
            few.add(DistinctUsers.hash("few-" + r.nextLong()));
        }
        out.add(few); // DataSketches' list mode
        out.add(users(r, DistinctUsers.EXACT_LIMIT + 1, false)); // just switched: set mode
        out.add(users(r, 20_000, false)); // register (HLL) mode
        DistinctUsers big = DistinctUsers.exactUpTo(5_000, 14);
        for (int i = 0; i < 3_000; i++) {
            big.add(r.nextLong());
        }
        out.add(big);
        DistinctUsers merged = users(r, 200, false);
        merged.merge(users(r, 5_000, true));
        merged.merge(users(r, 10, true));
        out.add(merged);
        return out;
    }

    /** What only a hand could set: the POJO serializer carries it all the same. */
    private static List<DistinctUsers> handSet(SplittableRandom r) {
        List<DistinctUsers> out = new ArrayList<>();
        DistinctUsers neither = new DistinctUsers();
        neither.table = null;
        out.add(neither);
        DistinctUsers both = users(r, 3, true);
        both.sketch = new byte[] {0, 7, 0, 0};
        out.add(both);
        DistinctUsers emptyArrays = DistinctUsers.exactUpTo(0, 4);
        emptyArrays.table = new long[0];
        emptyArrays.sketch = new byte[0];
        emptyArrays.hasZero = true;
        emptyArrays.size = -1;
        out.add(emptyArrays);
        out.add(null);
        return out;
    }

    /** Mostly what pre-aggregation sends (none, one or a few viewers), sometimes many. */
    private static DistinctUsers randomViewers(SplittableRandom r) {
        int kind = r.nextInt(100);
        if (kind < 3) {
            return null;
        } else if (kind < 30) {
            return new DistinctUsers();
        } else if (kind < 80) {
            return users(r, 1 + r.nextInt(3), r.nextInt(20) == 0);
        } else if (kind < 97) {
            return users(r, 4 + r.nextInt(DistinctUsers.EXACT_LIMIT), r.nextInt(5) == 0);
        }
        return users(r, DistinctUsers.EXACT_LIMIT + 1 + r.nextInt(3_000), r.nextBoolean());
    }

    /** {@code n} users (random ids, so distinct but for a chance of 10⁻¹⁰), the zero hash among them or not. */
    private static DistinctUsers users(SplittableRandom r, int n, boolean withZero) {
        DistinctUsers d = new DistinctUsers();
        if (withZero) {
            d.add(0L);
        }
        for (int i = withZero ? 1 : 0; i < n; i++) {
            d.add(DistinctUsers.hash("u" + r.nextLong()));
        }
        return d;
    }
}
