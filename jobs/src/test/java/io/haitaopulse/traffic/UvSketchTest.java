package io.haitaopulse.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UvSketchTest {

    @Test
    void countsDistinctHashesExactlyUpToTheLimitWhateverTheirValues() {
        UvSketch s = UvSketch.exactUpTo(5_000);
        Set<Long> reference = new HashSet<>();
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 20_000; i++) {
            // Few distinct values, so most adds are repeats; 0 and values that collide in the table included.
            long h = switch (i % 4) {
                case 0 -> 0L;
                case 1 -> r.nextLong(4_000) << 40;
                default -> r.nextLong(1_000);
            };
            s.add(h);
            reference.add(h);
            assertThat(s.count()).isEqualTo(reference.size());
        }
        assertThat(s.isExact()).isTrue();
    }

    @Test
    void oneUserPastTheLimitSwitchesToAnEstimateWithinThreeStandardErrors() {
        UvSketch s = UvSketch.exactUpTo(30_000);
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
    void limitZeroIsAPlainHyperLogLog() {
        UvSketch s = UvSketch.exactUpTo(0);
        s.add(42L);
        assertThat(s.isExact()).isFalse();
        assertThat(s.count()).isEqualTo(1);
    }
}
