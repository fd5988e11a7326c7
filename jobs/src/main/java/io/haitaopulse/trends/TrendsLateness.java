package io.haitaopulse.trends;

import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.io.LatenessRule;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.OrderStatus;

/**
 * The trends job consumes clicks and PAID orders (buys). As in Flink's window operator, a click counts in every window
 * containing it that is not yet purged (fired, plus the allowed lateness); it is late when all of
 * them are purged, and partly late when only the earlier ones are. Both kinds are reported.
 */
final class TrendsLateness implements LatenessRule {

    private static final long serialVersionUID = 1L;

    private final SlidingWindows windows;

    TrendsLateness(SlidingWindows windows) {
        this.windows = windows;
    }

    @Override
    public Verdict judge(Object body, long ts, long watermark) {
        boolean used = body instanceof Click || (body instanceof Order o && o.getStatus() == OrderStatus.PAID);
        if (!used) {
            return Verdict.IGNORE;
        }
        if (windows.isLate(ts, watermark)) {
            return Verdict.LATE;
        }
        return windows.purgeTime(windows.firstWindowEnd(ts)) <= watermark ? Verdict.PARTIAL : Verdict.USE;
    }

    @Override
    public String lateReason(Object body, long ts, long watermark) {
        long last = windows.lastWindowEnd(ts);
        if (windows.purgeTime(last) <= watermark) {
            return "trends: event time " + ts + " is behind watermark " + watermark + "; its last window ["
                    + (last - windows.size()) + ", " + last + ") is final (allowed lateness " + windows.allowedLateness()
                    + " ms), so it is not counted";
        }
        long lastFinal = windows.firstWindowEnd(ts);
        while (windows.purgeTime(lastFinal + windows.slide()) <= watermark) {
            lastFinal += windows.slide();
        }
        return "trends: event time " + ts + " is behind watermark " + watermark + "; windows ending at or before "
                + lastFinal + " are final, so it counts only in later hot_items windows (demand trends leave it out)";
    }
}
