package io.haitaopulse.sourcing;

import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.io.LatenessRule;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.OrderStatus;
import io.haitaopulse.schema.Review;

/**
 * The sourcing job consumes views, PAID and RETURNED orders and reviews; one is late once the
 * first shortlist that would reflect it (the next cadence boundary) is final.
 */
final class SourcingLateness implements LatenessRule {

    private static final long serialVersionUID = 1L;

    private final SlidingWindows cadence;

    SourcingLateness(SlidingWindows cadence) {
        this.cadence = cadence;
    }

    @Override
    public Verdict judge(Object body, long ts, long watermark) {
        boolean used = (body instanceof Click c && c.getAction() == ClickAction.VIEW) || body instanceof Review
                || (body instanceof Order o && (o.getStatus() == OrderStatus.PAID || o.getStatus() == OrderStatus.RETURNED));
        if (!used) {
            return Verdict.IGNORE;
        }
        return cadence.isLate(ts, watermark) ? Verdict.LATE : Verdict.USE;
    }

    @Override
    public String lateReason(Object body, long ts, long watermark) {
        return "sourcing: event time " + ts + " is behind watermark " + watermark + "; the shortlist as of "
                + cadence.lastWindowEnd(ts) + " that would first reflect it is final";
    }
}
