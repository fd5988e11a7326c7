package io.haitaopulse.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Exact up to the limit, a DataSketches estimate beyond it, mergeable, and serialised by Flink without Kryo. */
class DistinctUsersTest {

    private static DistinctUsers of(int from, int to) {
        DistinctUsers d = new DistinctUsers();
        for (int i = from; i < to; i++) {
            d.add(DistinctUsers.hash("u" + i));
        }
        return d;
    }

    @Test
    void countsExactlyUpToTheLimitAndIgnoresRepeats() {
        DistinctUsers d = of(0, DistinctUsers.EXACT_LIMIT);
        d.add(DistinctUsers.hash("u3"));
        assertThat(d.isExact()).isTrue();
        assertThat(d.count()).isEqualTo(DistinctUsers.EXACT_LIMIT);
    }

    @Test
    void countsDistinctHashesExactlyUpToTheLimitWhateverTheirValues() {
        DistinctUsers s = DistinctUsers.exactUpTo(5_000, 14);
        Set<Long> reference = new HashSet<>();
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 20_000; i++) {
            // Few distinct values, so most adds are repeats; 0 and values that collide in the table included.
            long h = switch (i % 4) {
                case 0 -> 0L;
                case 1 -> r.nextLong(4_000) << 40;
                default -> r.nextLong(1_000);
            };
            assertThat(s.add(h)).isEqualTo(reference.add(h));
            assertThat(s.count()).isEqualTo(reference.size());
        }
        assertThat(s.isExact()).isTrue();
    }

    @Test
    void mergingExactSetsStaysExact() {
        DistinctUsers a = of(0, 30);
        a.merge(of(20, 50));
        assertThat(a.isExact()).isTrue();
        assertThat(a.count()).isEqualTo(50);
    }

    @Test
    void oneUserPastTheLimitSwitchesToAnEstimateWithinThreeStandardErrors() {
        // lgK = 14: standard error 1.04 / 128 ≈ 0.81 %.
        DistinctUsers s = DistinctUsers.exactUpTo(30_000, 14);
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 30_000; i++) {
            s.add(r.nextLong());
        }
        assertThat(s.isExact()).isTrue();
        assertThat(s.count()).isEqualTo(30_000);
        s.add(r.nextLong());
        assertThat(s.isExact()).isFalse();
        assertThat((double) s.count()).isBetween(30_001 * (1 - 3 * 0.0081), 30_001 * (1 + 3 * 0.0081));
        for (int i = 0; i < 70_000; i++) {
            s.add(r.nextLong());
        }
        assertThat((double) s.count()).isBetween(100_001 * (1 - 3 * 0.0081), 100_001 * (1 + 3 * 0.0081));
    }

    @Test
    void limitZeroIsAPlainSketch() {
        DistinctUsers s = DistinctUsers.exactUpTo(0, 14);
        s.add(42L);
        assertThat(s.isExact()).isFalse();
        assertThat(s.count()).isEqualTo(1);
    }

    @Test
    void largeCountsAreEstimatedWithinFourStandardErrors() {
        // Standard error with 4096 registers: 1.04 / 64 = 1.625 %.
        for (int n : new int[] {100, 1_000, 10_000, 200_000}) {
            DistinctUsers d = of(0, n);
            assertThat(d.isExact()).isFalse();
            assertThat((double) d.count()).as("n=%d", n).isCloseTo(n, Offset.offset(n * 4 * 0.01625));
        }
    }

    @Test
    void mergingSketchesCountsTheUnion() {
        DistinctUsers a = of(0, 5_000);
        a.merge(of(2_500, 7_500));
        a.merge(of(7_000, 7_010));
        assertThat((double) a.count()).isCloseTo(7_500, Offset.offset(7_500 * 4 * 0.01625));
    }

    @Test
    void mergingASketchIntoAnExactSetOrASmallSketchCountsTheUnion() {
        DistinctUsers exact = of(0, 10);
        exact.merge(of(5, 3_000));
        assertThat(exact.isExact()).isFalse();
        assertThat((double) exact.count()).isCloseTo(3_000, Offset.offset(3_000 * 4 * 0.01625));
        // A sketch still in its list mode (few users past the limit) absorbing one in register mode, and the reverse.
        DistinctUsers small = of(0, 80);
        small.merge(of(40, 20_000));
        DistinctUsers large = of(40, 20_000);
        large.merge(of(0, 80));
        assertThat(small.count()).isEqualTo(large.count());
        assertThat((double) small.count()).isCloseTo(20_000, Offset.offset(20_000 * 4 * 0.01625));
    }

    @Test
    void aCopyCountsTheSameAndMergesWithoutChangingTheOriginal() {
        for (DistinctUsers original : List.of(of(0, 40), of(0, 200), of(0, 20_000))) {
            long before = original.count();
            DistinctUsers copy = original.copy();
            assertThat(copy.count()).isEqualTo(before);
            copy.merge(of(100_000, 130_000));
            assertThat(original.count()).isEqualTo(before);
            assertThat(copy.count()).isGreaterThan(before + 25_000);
        }
    }

    @Test
    void groupingTheMergesDoesNotChangeTheCount() {
        // ((a ∪ b) ∪ c) merged as a ∪ (b ∪ c), across the exact limit and the sketch's list and register modes.
        for (int[] sizes : new int[][] {{30, 30, 30}, {50, 50, 5}, {10, 3_000, 40}, {9_000, 60, 20_000}}) {
            DistinctUsers a = of(0, sizes[0]);
            DistinctUsers b = of(sizes[0] / 2, sizes[0] / 2 + sizes[1]);
            DistinctUsers c = of(1_000_000, 1_000_000 + sizes[2]);
            DistinctUsers left = a.copy();
            left.merge(b);
            left.merge(c);
            DistinctUsers bc = b.copy();
            bc.merge(c);
            DistinctUsers right = a.copy();
            right.merge(bc);
            assertThat(right.isExact()).isEqualTo(left.isExact());
            assertThat(right.count())
                    .as("sizes %s", java.util.Arrays.toString(sizes))
                    .isEqualTo(left.count());
        }
    }

    @Test
    void theEstimateDoesNotDependOnTheOrderUsersArriveIn() {
        List<Long> users = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            users.add(DistinctUsers.hash("u" + i));
        }
        Set<Long> counts = new HashSet<>();
        for (int seed = 0; seed < 4; seed++) {
            Collections.shuffle(users, new Random(seed));
            // Split across "subtasks" and merged in a different order each time, as partials are.
            DistinctUsers total = DistinctUsers.exactUpTo(1_000, 14);
            DistinctUsers part = DistinctUsers.exactUpTo(1_000, 14);
            for (int i = 0; i < users.size(); i++) {
                (i % (seed + 2) == 0 ? part : total).add(users.get(i));
            }
            total.merge(part);
            counts.add(total.count());
        }
        assertThat(counts).hasSize(1);
    }

    @Test
    void flinkSerialisesItAsAPojoWithTheSketchBytes() throws Exception {
        TypeInformation<DistinctUsers> type = TypeInformation.of(DistinctUsers.class);
        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        PojoTypeInfo<DistinctUsers> pojo = (PojoTypeInfo<DistinctUsers>) type;
        for (int i = 0; i < pojo.getArity(); i++) {
            assertThat(pojo.getPojoFieldAt(i).getTypeInformation())
                    .as(pojo.getPojoFieldAt(i).getField().getName())
                    .isNotInstanceOf(GenericTypeInfo.class);
        }
        TypeSerializer<DistinctUsers> serializer = type.createSerializer(new SerializerConfigImpl());
        for (DistinctUsers d : new DistinctUsers[] {of(0, 40), of(0, 5_000)}) {
            DataOutputSerializer out = new DataOutputSerializer(64);
            serializer.serialize(d, out);
            DistinctUsers back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
            assertThat(back.isExact()).isEqualTo(d.isExact());
            assertThat(back.count()).isEqualTo(d.count());
            // The copy keeps counting on its own bytes, the original is untouched.
            DistinctUsers copy = serializer.copy(d);
            long before = d.count();
            for (int i = 0; i < 2_000; i++) {
                copy.add(DistinctUsers.hash("v" + i));
            }
            assertThat(d.count()).isEqualTo(before);
            assertThat(copy.count()).isGreaterThan(before);
        }
    }

    /**
     * A sketch's count is computed once and kept until the sketch changes: after every add and
     * merge, on random sequences through every mode, it equals the count of a fresh copy (which
     * has nothing kept), including reads between updates that change nothing.
     */
    @Test
    void aKeptEstimateIsAlwaysTheEstimateOfTheCurrentSketch() {
        SplittableRandom r = new SplittableRandom(23);
        for (int round = 0; round < 40; round++) {
            DistinctUsers d = new DistinctUsers();
            for (int step = 0; step < 400; step++) {
                int what = r.nextInt(10);
                if (what < 7) {
                    d.add(r.nextLong(1 + r.nextInt(5_000)));
                } else {
                    // An exact set mostly, now and then one large enough to be a sketch itself.
                    int start = r.nextInt(1_000_000);
                    d.merge(of(start, start + (what < 9 ? r.nextInt(300) : 2_000 + r.nextInt(3_000))));
                }
                long kept = d.count();
                assertThat(d.count()).isEqualTo(kept);
                assertThat(kept)
                        .as("round %d step %d", round, step)
                        .isEqualTo(d.copy().count());
            }
        }
    }
}
