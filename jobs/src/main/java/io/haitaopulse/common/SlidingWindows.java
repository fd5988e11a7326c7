package io.haitaopulse.common;

import java.io.Serializable;
import java.time.Duration;

/**
 * Epoch-aligned sliding windows {@code [start, start + size)} with {@code start} a multiple of
 * {@code slide}, decomposed into panes of {@code gcd(size, slide)} so that every event is counted
 * once, in its pane, and a window is the sum of its panes.
 *
 * <p>Lateness follows Flink's window semantics: a window is final (fired and, after the allowed
 * lateness, purged) once the watermark reaches {@code end - 1 + allowedLateness}; an event is
 * late when every window that contains it is purged. All methods are pure and work for negative
 * timestamps too.
 */
public final class SlidingWindows implements Serializable {

    private static final long serialVersionUID = 1L;

    private final long size;
    private final long slide;
    private final long pane;
    private final long allowedLateness;

    /** Creates the windows; {@code 0 < slide <= size}, {@code allowedLateness >= 0}. */
    public SlidingWindows(Duration size, Duration slide, Duration allowedLateness) {
        this(size.toMillis(), slide.toMillis(), allowedLateness.toMillis());
    }

    /** Creates the windows from milliseconds; {@code 0 < slide <= size}, {@code allowedLateness >= 0}. */
    public SlidingWindows(long sizeMs, long slideMs, long allowedLatenessMs) {
        if (slideMs <= 0 || sizeMs <= 0) {
            throw new IllegalArgumentException("window and slide must be positive");
        }
        if (slideMs > sizeMs) {
            throw new IllegalArgumentException("slide must not exceed the window");
        }
        if (allowedLatenessMs < 0) {
            throw new IllegalArgumentException("allowed lateness must not be negative");
        }
        this.size = sizeMs;
        this.slide = slideMs;
        this.pane = gcd(sizeMs, slideMs);
        this.allowedLateness = allowedLatenessMs;
    }

    public long size() {
        return size;
    }

    public long slide() {
        return slide;
    }

    /** Pane length: the largest length that divides both size and slide. */
    public long pane() {
        return pane;
    }

    public long allowedLateness() {
        return allowedLateness;
    }

    /** Start of the pane containing {@code ts}. */
    public long paneStart(long ts) {
        return Math.floorDiv(ts, pane) * pane;
    }

    /** End (exclusive) of the last window containing {@code ts}. */
    public long lastWindowEnd(long ts) {
        return Math.floorDiv(ts, slide) * slide + size;
    }

    /** End (exclusive) of the first window containing {@code ts}. */
    public long firstWindowEnd(long ts) {
        // The first start is the smallest multiple of slide strictly greater than ts - size.
        return Math.floorDiv(ts - size, slide) * slide + slide + size;
    }

    /**
     * The largest {@code t <= watermark} at which a window can fire or be purged: every fire time
     * ({@code end - 1}) and purge time ({@code end - 1 + allowedLateness}) is {@code -1} modulo
     * {@code gcd(pane, allowedLateness)}, so a watermark rounded down to that grid fires the same
     * timers and judges the same windows purged as the exact one. {@link Long#MIN_VALUE} and
     * {@link Long#MAX_VALUE} stay as they are.
     */
    public long alignToWindowTimers(long watermark) {
        if (watermark == Long.MIN_VALUE || watermark == Long.MAX_VALUE) {
            return watermark;
        }
        long grid = allowedLateness == 0 ? pane : gcd(pane, allowedLateness);
        return Math.floorDiv(watermark + 1, grid) * grid - 1;
    }

    /** Whether {@code end} is the end of some window (window starts are multiples of slide). */
    public boolean isWindowEnd(long end) {
        return Math.floorMod(end - size, slide) == 0;
    }

    /** Event-time instant at which the window ending at {@code end} fires. */
    public static long fireTime(long end) {
        return end - 1;
    }

    /** Event-time instant after which the window ending at {@code end} accepts no more data. */
    public long purgeTime(long end) {
        return end - 1 + allowedLateness;
    }

    /**
     * Smallest pane start still needed once event time has reached {@code time}: a pane is dropped
     * when the last window containing it is purged.
     */
    public long minRetainedPaneStart(long time) {
        long x = time + 1 - size - allowedLateness;
        return Math.floorDiv(x, slide) * slide + slide;
    }

    /** Whether an event at {@code ts} is late under {@code watermark}: all its windows are purged. */
    public boolean isLate(long ts, long watermark) {
        return purgeTime(lastWindowEnd(ts)) <= watermark;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
