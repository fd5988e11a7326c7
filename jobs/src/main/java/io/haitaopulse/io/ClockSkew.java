package io.haitaopulse.io;

import io.haitaopulse.common.Durations;
import io.haitaopulse.common.PulseOptions;
import io.haitaopulse.schema.Campaign;
import io.haitaopulse.schema.DeadLetter;
import io.haitaopulse.schema.internal.Ingested;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.configuration.Configuration;

/**
 * The clock-skew rule of ingest: an event whose time is implausible against the clock of the
 * system that wrote it or read it is a dead letter, never an event. Without the rule one record
 * stamped in the year 2286 would push its source's watermark centuries ahead and make every later
 * event late. Dead-lettering was chosen over clamping: a clamped event would be counted in a
 * window it did not happen in.
 *
 * <p>The reference clock is the Kafka record's timestamp on the live path (the producer's clock
 * when it wrote the record, or the broker's) and the wall clock of the reader for files (nothing in
 * a file can be from the future). Ahead of the reference by more than {@code maxFuture}: dead
 * letter. Behind it by more than {@code maxPast}: dead letter too, but only where the reference
 * is the writer's clock (Kafka); a file of last year's events is what replay is for. A limit of
 * zero switches its check off; a reference below zero (Kafka's "no timestamp") skips both.
 * Campaign definitions are exempt: they are published ahead of their start, which is their
 * event time.
 *
 * @param maxFutureMs largest plausible lead over the reference, 0 = unchecked
 * @param maxPastMs largest plausible lag behind a writer's clock, 0 = unchecked
 */
public record ClockSkew(long maxFutureMs, long maxPastMs) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The rule {@code conf} configures ({@link PulseOptions#MAX_FUTURE_SKEW}, {@link PulseOptions#MAX_PAST_SKEW}). */
    public static ClockSkew of(Configuration conf) {
        return new ClockSkew(
                conf.get(PulseOptions.MAX_FUTURE_SKEW).toMillis(),
                conf.get(PulseOptions.MAX_PAST_SKEW).toMillis());
    }

    /** The defaults of the options. */
    public static ClockSkew defaults() {
        return of(new Configuration());
    }

    /**
     * The dead-letter reason when {@code body}'s event time is implausible against
     * {@code referenceTs} (named {@code reference} in the reason), else null.
     */
    public String violation(Object body, long referenceTs, String reference, boolean checkPast) {
        long ts = EventTime.ofBody(body);
        if (ts == EventTime.NONE || body instanceof Campaign || referenceTs < 0) {
            return null;
        }
        if (maxFutureMs > 0 && ts > referenceTs && gap(ts, referenceTs) > maxFutureMs) {
            return "clock skew: event time " + instant(ts) + " is " + about(gap(ts, referenceTs)) + " ahead of "
                    + reference + " " + instant(referenceTs) + " (pulse.max-future-skew is "
                    + Durations.format(Duration.ofMillis(maxFutureMs)) + ")";
        }
        if (checkPast && maxPastMs > 0 && ts < referenceTs && gap(referenceTs, ts) > maxPastMs) {
            return "clock skew: event time " + instant(ts) + " is " + about(gap(referenceTs, ts)) + " behind "
                    + reference + " " + instant(referenceTs) + " (pulse.max-past-skew is "
                    + Durations.format(Duration.ofMillis(maxPastMs)) + ")";
        }
        return null;
    }

    /** {@code later - earlier}, saturated at {@link Long#MAX_VALUE}. */
    private static long gap(long later, long earlier) {
        try {
            return Math.subtractExact(later, earlier);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** A gap for people: days or hours with one decimal, exact below an hour. */
    private static String about(long ms) {
        if (ms >= 86_400_000L) {
            return String.format(java.util.Locale.ROOT, "%.1f days", ms / 86_400_000.0);
        }
        if (ms >= 3_600_000L) {
            return String.format(java.util.Locale.ROOT, "%.1f hours", ms / 3_600_000.0);
        }
        return Durations.format(Duration.ofMillis(ms));
    }

    /** {@code parser} with the rule applied against the reader's wall clock (files: the future only). */
    public LineParser checking(LineParser parser) {
        return new Checked(parser, this);
    }

    private static String instant(long ms) {
        try {
            return Instant.ofEpochMilli(ms).toString();
        } catch (java.time.DateTimeException e) {
            return ms + " ms";
        }
    }

    /** A parser whose events are dead letters when their time is ahead of the wall clock. */
    private record Checked(LineParser parser, ClockSkew rule) implements LineParser {
        private static final long serialVersionUID = 1L;

        @Override
        public Ingested parse(byte[] buf, int off, int len, String source, long ingestTs) {
            Ingested parsed = parser.parse(buf, off, len, source, ingestTs);
            if (parsed == null || parsed.getBody() instanceof DeadLetter) {
                return parsed;
            }
            String reason = rule.violation(parsed.getBody(), ingestTs, "the wall clock at ingest", false);
            return reason == null ? parsed : DeadLetters.of(buf, off, len, source, reason, ingestTs);
        }
    }
}
