package io.haitaopulse.trends;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The one-pass window step of {@link ItemPanes} against its two-pass definition. */
class ItemPanesTest {

    @Test
    void sumThenRetainIsSumFollowedByRetain() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int round = 0; round < 2_000; round++) {
            ItemPanes a = new ItemPanes();
            ItemPanes b = new ItemPanes();
            int n = rnd.nextInt(0, 15);
            for (int i = 0; i < n; i++) {
                long pane = rnd.nextLong(0, 20) * 5;
                long from = rnd.nextInt(4) == 0 ? pane + rnd.nextLong(1, 4) * 5 : 0L;
                long views = rnd.nextLong(1, 9);
                a.add(pane, views, from, 7L);
                b.add(pane, views, from, 7L);
            }
            long to = rnd.nextLong(1, 22) * 5;
            long from = to - 30;
            long minStart = from + rnd.nextLong(0, 3) * 5;

            long expected = a.sum(from, to);
            boolean remains = a.retainFrom(minStart);
            long actual = b.sumThenRetain(from, to, minStart);

            assertThat(actual).isEqualTo(expected);
            assertThat(b.size).isEqualTo(a.size).isEqualTo(remains ? a.size : 0);
            assertThat(Arrays.copyOf(b.starts, b.size)).isEqualTo(Arrays.copyOf(a.starts, a.size));
            assertThat(Arrays.copyOf(b.counts, b.size)).isEqualTo(Arrays.copyOf(a.counts, a.size));
            assertThat(Arrays.copyOf(b.froms, b.size)).isEqualTo(Arrays.copyOf(a.froms, a.size));
        }
    }

    @Test
    void aWindowCountsOnlyPanesInsideItAndViewsAllowedInIt() {
        ItemPanes p = new ItemPanes();
        p.add(0, 3, 0L, 7L);
        p.add(5, 4, 0L, 7L);
        p.add(5, 2, 20, 7L); // partly late: counts only in windows ending at 20 or later
        p.add(10, 1, 0L, 7L);
        assertThat(p.sumThenRetain(0, 15, 5)).isEqualTo(3 + 4 + 1);
        assertThat(p.size).isEqualTo(3);
        assertThat(p.sum(5, 20)).isEqualTo(4 + 2 + 1);
    }

    /** An item under several categories against one single-category {@link ItemPanes} per category. */
    @Test
    void aMixedItemsSumsPerCategoryEqualSeparatePanesPerCategoryThroughWindowSteps() {
        SplittableRandom rnd = new SplittableRandom(5);
        long[] categories = {7, 8, 9};
        for (int round = 0; round < 500; round++) {
            ItemPanes mixed = new ItemPanes();
            Map<Long, ItemPanes> separate = new TreeMap<>();
            for (int step = 0; step < 6; step++) {
                int n = rnd.nextInt(0, 8);
                for (int i = 0; i < n; i++) {
                    long pane = (step + rnd.nextLong(0, 3)) * 5;
                    long from = rnd.nextInt(4) == 0 ? pane + 5 : 0L;
                    long views = rnd.nextLong(1, 9);
                    // Mostly the first category, as items are.
                    long category = rnd.nextInt(3) == 0 ? categories[rnd.nextInt(3)] : 7L;
                    mixed.add(pane, views, from, category);
                    separate.computeIfAbsent(category, c -> new ItemPanes()).add(pane, views, from, category);
                }
                long to = (step + 2) * 5;
                long from = to - 10;
                Map<Long, Long> expected = new TreeMap<>();
                separate.forEach((c, p) -> {
                    long v = p.sum(from, to);
                    if (v > 0) {
                        expected.put(c, v);
                    }
                });
                Map<Long, Long> actual = new TreeMap<>();
                if (mixed.mixed()) {
                    for (long[] s : mixed.sumByCategory(from, to)) {
                        actual.put(s[0], s[1]);
                    }
                } else if (mixed.sum(from, to) > 0) {
                    actual.put(mixed.category, mixed.sum(from, to));
                }
                assertThat(actual).isEqualTo(expected);
                long total =
                        expected.values().stream().mapToLong(Long::longValue).sum();
                assertThat(mixed.sumThenRetain(from, to, from + 5)).isEqualTo(total);
                separate.values().forEach(p -> p.retainFrom(from + 5));
            }
        }
    }
}
