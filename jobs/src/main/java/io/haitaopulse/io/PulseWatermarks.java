package io.haitaopulse.io;

import io.haitaopulse.schema.internal.Ingested;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.eventtime.WatermarksWithIdleness;

/**
 * Watermarks of every Pulse source: bounded out-of-orderness of {@code maxDelay}, emitted as soon
 * as an event advances them (not on a processing-time period) so that which events are late
 * depends only on the input order, never on how fast the machine is; plus source idleness so a
 * silent input does not stall event time. Dead letters carry no event time: they neither move the
 * watermark nor count as activity, so an input that delivers only garbage goes idle like a silent
 * one instead of holding every other input's event time back.
 */
public final class PulseWatermarks {

    private PulseWatermarks() {}

    /** The strategy for sources whose records are {@link Ingested}. */
    public static WatermarkStrategy<Ingested> strategy(Duration maxDelay, Duration idleTimeout) {
        return strategy(maxDelay, idleTimeout, (record, previous) -> EventTime.of(record));
    }

    /**
     * The same strategy for sources of other records (the benchmark's sources emit positions in
     * an in-memory topic); {@code timestamps} returns {@link EventTime#NONE} for records without
     * event time.
     */
    public static <T> WatermarkStrategy<T> strategy(
            Duration maxDelay, Duration idleTimeout, SerializableTimestampAssigner<T> timestamps) {
        long delay = maxDelay.toMillis();
        // Idleness is wired here rather than with withIdleness(): Flink's idleness wrapper counts
        // every record as activity, dead letters included, and must not see them.
        return WatermarkStrategy.<T>forGenerator(ctx -> {
                    WatermarkGenerator<T> g = new BoundedDisorder<>(delay);
                    if (!idleTimeout.isZero()) {
                        g = new WatermarksWithIdleness<>(g, idleTimeout, ctx.getInputActivityClock());
                    }
                    return new TimedRecordsOnly<>(g);
                })
                .withTimestampAssigner(timestamps);
    }

    /**
     * The strategy of a live input of definitions rather than events (campaigns, the catalogue):
     * records keep their timestamps, but the input emits no watermark and is idle from its first
     * periodic emit, so it never holds event time back.
     *
     * <p>A campaign is defined once, at or before its start, which is its event time. As progress of
     * its topic, a definition arriving on the quiet topic made the topic active with its start as
     * watermark and held every input there until the topic went idle again, an idle timeout of wall
     * time later (in the demo, which runs days of shop time in minutes, hours of shop time). Nothing
     * is judged by this input's watermark: definitions are never late, and each job reads them as
     * they arrive. Replays keep the event-time watermark of their files: a file of definitions is
     * read to its end at once, and a file that mixes them with events keeps its documented order.
     */
    public static <T> WatermarkStrategy<T> definitions(SerializableTimestampAssigner<T> timestamps) {
        return WatermarkStrategy.<T>forGenerator(ctx -> new AlwaysIdle<>()).withTimestampAssigner(timestamps);
    }

    /** The {@link #definitions} strategy for sources of {@link Ingested} records. */
    public static WatermarkStrategy<Ingested> definitions() {
        return definitions((record, previous) -> EventTime.of(record));
    }

    /** Emits no watermark and declares its input idle on every periodic emit. */
    static final class AlwaysIdle<T> implements WatermarkGenerator<T> {
        @Override
        public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
            // Definitions are no progress; see definitions().
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            // Flink's outputs pass the status on only when it changes.
            output.markIdle();
        }
    }

    /** Hands only records with an event time to {@code inner}; the others are not progress. */
    static final class TimedRecordsOnly<T> implements WatermarkGenerator<T> {
        private final WatermarkGenerator<T> inner;

        TimedRecordsOnly(WatermarkGenerator<T> inner) {
            this.inner = inner;
        }

        @Override
        public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
            if (eventTimestamp != EventTime.NONE) {
                inner.onEvent(event, eventTimestamp, output);
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            inner.onPeriodicEmit(output);
        }
    }

    /** Emits {@code maxTimestamp - delay - 1} whenever that value grows. */
    static final class BoundedDisorder<T> implements WatermarkGenerator<T> {
        private final long delay;
        private long maxTimestamp = Long.MIN_VALUE;
        private long emitted = Long.MIN_VALUE;

        BoundedDisorder(long delay) {
            this.delay = delay;
        }

        @Override
        public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
            if (eventTimestamp <= maxTimestamp) {
                return;
            }
            maxTimestamp = eventTimestamp;
            long candidate = saturatingSubtract(maxTimestamp, delay + 1);
            if (candidate > emitted) {
                emitted = candidate;
                output.emitWatermark(new Watermark(candidate));
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            // Everything is emitted on events; see the class comment.
        }

        private static long saturatingSubtract(long a, long b) {
            long r = a - b;
            return ((a ^ b) & (a ^ r)) < 0 ? Long.MIN_VALUE : r;
        }
    }
}
