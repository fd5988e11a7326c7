package io.haitaopulse.uplift;

import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.io.LatenessRule;
import io.haitaopulse.schema.Campaign;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.Exposure;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.OrderStatus;

/**
 * The uplift job consumes campaigns, exposures, clicks (attribution) and PAID/RETURNED orders.
 * Its rows are as of multiples of the slide; an event is late once the first row that would
 * reflect it is final. Campaign definitions are never late: a late definition still defines its campaign.
 */
final class UpliftLateness implements LatenessRule {

    private static final long serialVersionUID = 1L;

    private final SlidingWindows slots;

    UpliftLateness(SlidingWindows slots) {
        this.slots = slots;
    }

    @Override
    public Verdict judge(Object body, long ts, long watermark) {
        if (body instanceof Campaign) {
            return Verdict.USE;
        }
        boolean used = body instanceof Exposure || body instanceof Click
                || (body instanceof Order o && (o.getStatus() == OrderStatus.PAID || o.getStatus() == OrderStatus.RETURNED));
        if (!used) {
            return Verdict.IGNORE;
        }
        return slots.isLate(ts, watermark) ? Verdict.LATE : Verdict.USE;
    }

    @Override
    public String lateReason(Object body, long ts, long watermark) {
        long asOf = slots.lastWindowEnd(ts);
        return "uplift: event time " + ts + " is behind watermark " + watermark + "; the uplift and attribution rows as of " + asOf
                + " that would first reflect it are final (allowed lateness " + slots.allowedLateness() + " ms)";
    }
}
