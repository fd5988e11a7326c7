package io.haitaopulse.io;

import io.haitaopulse.schema.internal.Ingested;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
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
        return WatermarkStrategy.<T>forGenerator(ctx -> events(delay, idleTimeout, ctx))
                .withTimestampAssigner(timestamps);
    }

    /**
     * The strategy of a live input of definitions rather than events (campaigns, the catalogue):
     * the same as {@link #strategy(Duration, Duration)} until the input has delivered its first
     * definition, and after that idle from the first periodic emit without a new one.
     *
     * <p>Until its first definition the input holds event time back like any other (for at most
     * the idle timeout), so the definitions already in the topic reach every job before the
     * events' event time passes them: the uplift rows of a campaign start from its definition, as
     * in a replay, where the campaigns file is read before the other files' watermarks pass it.
     * After that a definition is a single record on a quiet topic: with the idle timeout it made
     * the topic active at the campaign's start and held every input there for the whole timeout (in
     * the demo, which runs days of shop time in minutes, hours of shop time). Now the hold lasts
     * until the next periodic emit, and the definition, sent before the idle status on the same
     * channel, still reaches each job before the other inputs' event time can pass it.
     */
    public static WatermarkStrategy<Ingested> definitions(Duration maxDelay, Duration idleTimeout) {
        long delay = maxDelay.toMillis();
        return WatermarkStrategy.<Ingested>forGenerator(
                        ctx -> new IdleAfterDefinitions<>(events(delay, idleTimeout, ctx)))
                .withTimestampAssigner((record, previous) -> EventTime.of(record));
    }

    /** The generator of {@link #strategy(Duration, Duration, SerializableTimestampAssigner)}. */
    private static <T> WatermarkGenerator<T> events(
            long delay, Duration idleTimeout, WatermarkGeneratorSupplier.Context ctx) {
        WatermarkGenerator<T> g = new BoundedDisorder<>(delay);
        // Idleness is wired here rather than with withIdleness(): Flink's idleness wrapper counts
        // every record as activity, dead letters included, and must not see them.
        if (!idleTimeout.isZero()) {
            g = new WatermarksWithIdleness<>(g, idleTimeout, ctx.getInputActivityClock());
        }
        return new TimedRecordsOnly<>(g);
    }

    /** Declares its input idle on each periodic emit once a definition came, and none since the last emit. */
    static final class IdleAfterDefinitions<T> implements WatermarkGenerator<T> {
        private final WatermarkGenerator<T> inner;
        private boolean delivered;
        private boolean sinceLastEmit;

        IdleAfterDefinitions(WatermarkGenerator<T> inner) {
            this.inner = inner;
        }

        @Override
        public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
            // A definition that moves the watermark makes the input active again (Flink's output
            // does that when a watermark is emitted); one that does not leaves it idle.
            inner.onEvent(event, eventTimestamp, output);
            if (eventTimestamp != EventTime.NONE) {
                delivered = true;
                sinceLastEmit = true;
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            if (delivered && !sinceLastEmit) {
                // Flink's outputs pass the status on only when it changes.
                output.markIdle();
            } else {
                inner.onPeriodicEmit(output);
            }
            sinceLastEmit = false;
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
