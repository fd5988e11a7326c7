package io.haitaopulse.trends;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
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
                a.add(pane, views, from);
                b.add(pane, views, from);
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
        p.add(0, 3);
        p.add(5, 4);
        p.add(5, 2, 20); // partly late: counts only in windows ending at 20 or later
        p.add(10, 1);
        assertThat(p.sumThenRetain(0, 15, 5)).isEqualTo(3 + 4 + 1);
        assertThat(p.size).isEqualTo(3);
        assertThat(p.sum(5, 20)).isEqualTo(4 + 2 + 1);
    }
}
