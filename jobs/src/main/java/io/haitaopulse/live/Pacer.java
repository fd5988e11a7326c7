package io.haitaopulse.live;

/**
 * Paces a producer to a rate: after {@code n} records, the next is due {@code n / rate} seconds
 * after the start. A producer held up (a busy machine while a cluster starts, a slow broker) does
 * not burst afterwards to make up its schedule: it is never counted more than {@code slack} behind,
 * so over any stretch of time {@code d} it sends at most {@code rate × (d + slack)} records, plus
 * one. Times are {@link System#nanoTime()} values passed in, so the schedule is testable with
 * fixed instants.
 */
final class Pacer {

    private final double nanosPerRecord;
    private final long slackNanos;
    private long startNanos;

    /** A pacer of {@code ratePerSecond} (positive) records a second from {@code startNanos}. */
    Pacer(double ratePerSecond, long startNanos, long slackNanos) {
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive: " + ratePerSecond);
        }
        this.nanosPerRecord = 1e9 / ratePerSecond;
        this.startNanos = startNanos;
        this.slackNanos = slackNanos;
    }

    /**
     * How long to wait, at {@code nowNanos}, before sending the record after the {@code sent}th;
     * 0 when it is due. Moves the schedule on when it is more than the slack behind.
     */
    long waitNanos(long sent, long nowNanos) {
        long due = startNanos + (long) (sent * nanosPerRecord);
        long wait = due - nowNanos;
        if (wait < -slackNanos) {
            startNanos += -wait - slackNanos;
            return 0;
        }
        return Math.max(0, wait);
    }
}
