package io.haitaopulse.traffic;

import java.io.Serializable;

/**
 * An epoch-aligned tumbling window size with allowed lateness: a window {@code [start, end)}
 * fires when the watermark reaches {@code end - 1} and is final (purged) when it reaches
 * {@code end - 1 + lateness}.
 */
record TumblingWindow(long size, long lateness) implements Serializable {

    long start(long ts) {
        return Math.floorDiv(ts, size) * size;
    }

    long fireTime(long start) {
        return start + size - 1;
    }

    long purgeTime(long start) {
        return start + size - 1 + lateness;
    }

    /** Whether the window of {@code ts} is final at {@code watermark}. */
    boolean isFinal(long ts, long watermark) {
        return purgeTime(start(ts)) <= watermark;
    }
}
