package io.haitaopulse.live;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The producer's pacing on a simulated clock: the rate holds, also after the producer was held up. */
class PacerTest {

    private static final long MS = 1_000_000L;

    /** Send times (ns) of {@code records} records at 1,000 a second, the clock jumping 5 s after the tenth. */
    private static long[] sendTimes(int records, long slack) {
        Pacer pacer = new Pacer(1_000, 0, slack);
        long now = 0;
        long[] times = new long[records];
        for (int n = 0; n < records; n++) {
            times[n] = now;
            if (n == 9) {
                now += 5_000 * MS; // held up: a stalled broker, a machine busy starting a cluster
            }
            now += pacer.waitNanos(n + 1, now);
        }
        return times;
    }

    private static int sentWithin(long[] times, long from, long to) {
        int n = 0;
        for (long t : times) {
            if (t >= from && t < to) {
                n++;
            }
        }
        return n;
    }

    @Test
    void onScheduleTheRecordsAreEvenlySpaced() {
        Pacer pacer = new Pacer(1_000, 0, 100 * MS);
        assertThat(pacer.waitNanos(1, 0)).isEqualTo(MS);
        assertThat(pacer.waitNanos(1, MS)).isZero();
        assertThat(pacer.waitNanos(2, MS + MS / 2)).isEqualTo(MS / 2);
        assertThat(pacer.waitNanos(3, 3 * MS)).isZero();
    }

    @Test
    void aProducerHeldUpDoesNotBurstToCatchUp() {
        long[] times = sendTimes(20_000, 100 * MS);
        // Before the stall: ten records in the first 10 ms.
        assertThat(sentWithin(times, 0, 10 * MS)).isEqualTo(10);
        // In every second after it, at most rate × (1 s + slack) + 1, and the rate itself.
        for (long s = 5; s < 15; s++) {
            int n = sentWithin(times, s * 1000 * MS, (s + 1) * 1000 * MS);
            assertThat(n).as("records sent in second %d", s).isBetween(1_000, 1_101);
        }
    }

    @Test
    void withoutSlackTheScheduleMovesOnAtOnce() {
        long[] times = sendTimes(2_000, 0);
        assertThat(times[10]).isEqualTo(5_009 * MS);
        assertThat(times[11]).isEqualTo(5_010 * MS);
        assertThat(times[1_010]).isEqualTo(6_009 * MS);
    }
}
