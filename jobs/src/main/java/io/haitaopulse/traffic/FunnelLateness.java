package io.haitaopulse.traffic;

import io.haitaopulse.io.LatenessRule;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.OrderStatus;

/** Lateness of the funnel's events (VIEW and CART clicks, CREATED and PAID orders): hour windows. */
final class FunnelLateness implements LatenessRule {

    private static final long serialVersionUID = 1L;
    private final TumblingWindow hour;

    FunnelLateness(TumblingWindow hour) {
        this.hour = hour;
    }

    static boolean used(Object body) {
        return body instanceof Click c && (c.getAction() == ClickAction.VIEW || c.getAction() == ClickAction.CART)
                || body instanceof Order o && (o.getStatus() == OrderStatus.CREATED || o.getStatus() == OrderStatus.PAID);
    }

    @Override
    public Verdict judge(Object body, long ts, long watermark) {
        if (!used(body)) {
            return Verdict.IGNORE;
        }
        return hour.isFinal(ts, watermark) ? Verdict.LATE : Verdict.USE;
    }

    @Override
    public String lateReason(Object body, long ts, long watermark) {
        return "funnel: event time " + ts + " is behind watermark " + watermark + "; its hour is final (allowed lateness "
                + hour.lateness() + " ms), so it is not counted";
    }
}
