package io.haitaopulse.trends;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link PaneAggregator.Key}'s hand-written equality and hash: the same as a record's generated
 * ones, so the pre-aggregation's emitting order (a hash map's) is unchanged by them.
 */
class PaneAggregatorKeyTest {

    /** The same components with the record's own generated methods. */
    private record Generated(long item, long category, long pane, long from) {}

    @Test
    void hashIsTheGeneratedRecordHash() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            long item = random.nextLong();
            long category = random.nextInt(1_000);
            long pane = random.nextLong(0, 4_000_000_000_000L);
            long from = random.nextBoolean() ? 0L : pane + random.nextLong(1, 100_000_000L);
            assertThat(new PaneAggregator.Key(item, category, pane, from).hashCode())
                    .isEqualTo(new Generated(item, category, pane, from).hashCode());
        }
    }

    @Test
    void equalWhenEveryComponentIs() {
        PaneAggregator.Key key = new PaneAggregator.Key(1, 2, 3, 4);
        assertThat(key).isEqualTo(new PaneAggregator.Key(1, 2, 3, 4));
        assertThat(key).isNotEqualTo(new PaneAggregator.Key(9, 2, 3, 4));
        assertThat(key).isNotEqualTo(new PaneAggregator.Key(1, 9, 3, 4));
        assertThat(key).isNotEqualTo(new PaneAggregator.Key(1, 2, 9, 4));
        assertThat(key).isNotEqualTo(new PaneAggregator.Key(1, 2, 3, 9));
        assertThat(key).isNotEqualTo(new Generated(1, 2, 3, 4));
        assertThat(key).isNotEqualTo(null);
    }
}
