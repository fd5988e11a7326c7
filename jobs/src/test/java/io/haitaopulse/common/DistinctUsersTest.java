package io.haitaopulse.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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
    void mergingExactSetsStaysExact() {
        DistinctUsers a = of(0, 30);
        a.merge(of(20, 50));
        assertThat(a.isExact()).isTrue();
        assertThat(a.count()).isEqualTo(50);
    }

    @Test
    void largeCountsAreEstimatedWithinFourStandardErrors() {
        // Standard error of HyperLogLog with 4096 registers: 1.04 / 64 = 1.625 %.
        for (int n : new int[] {100, 1_000, 10_000, 200_000}) {
            DistinctUsers d = of(0, n);
            assertThat(d.isExact()).isFalse();
            assertThat((double) d.count()).as("n=%d", n).isCloseTo(n, org.assertj.core.data.Offset.offset(n * 4 * 0.01625));
        }
    }

    @Test
    void mergingSketchesCountsTheUnion() {
        DistinctUsers a = of(0, 5_000);
        a.merge(of(2_500, 7_500));
        a.merge(of(7_000, 7_010));
        assertThat((double) a.count()).isCloseTo(7_500, org.assertj.core.data.Offset.offset(7_500 * 4 * 0.01625));
    }
}
