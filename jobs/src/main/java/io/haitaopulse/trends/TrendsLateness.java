package io.haitaopulse.trends;

import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.io.LatenessRule;
import io.haitaopulse.schema.Click;

/**
 * The trends job consumes clicks; a click is late when every sliding window containing it has
 * been purged (fired, plus the allowed lateness).
 */
final class TrendsLateness implements LatenessRule {

    private static final long serialVersionUID = 1L;

    private final SlidingWindows windows;

    TrendsLateness(SlidingWindows windows) {
        this.windows = windows;
    }

    @Override
    public Verdict judge(Object body, long ts, long watermark) {
        if (!(body instanceof Click)) {
            return Verdict.IGNORE;
        }
        return windows.isLate(ts, watermark) ? Verdict.LATE : Verdict.USE;
    }

    @Override
    public String lateReason(Object body, long ts, long watermark) {
        long end = windows.lastWindowEnd(ts);
        return "trends: event time " + ts + " is behind watermark " + watermark + "; its last window ["
                + (end - windows.size()) + ", " + end + ") is final (allowed lateness " + windows.allowedLateness() + " ms)";
    }
}
