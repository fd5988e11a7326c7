package io.haitaopulse.traffic;

import io.haitaopulse.io.LatenessRule;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.OrderStatus;

/**
 * Lateness for order_timeouts: a CREATED order is late when event time has already passed its
 * timeout (the timeout was due before the job knew the order existed). Payments are never late
 * here: a payment after the timeout is exactly what the table flags.
 */
final class TimeoutLateness implements LatenessRule {

    private static final long serialVersionUID = 1L;
    private final long timeout;

    TimeoutLateness(long timeout) {
        this.timeout = timeout;
    }

    @Override
    public Verdict judge(Object body, long ts, long watermark) {
        if (!(body instanceof Order o)) {
            return Verdict.IGNORE;
        }
        if (o.getStatus() == OrderStatus.PAID) {
            return Verdict.USE;
        }
        if (o.getStatus() != OrderStatus.CREATED) {
            return Verdict.IGNORE;
        }
        return ts + timeout <= watermark ? Verdict.LATE : Verdict.USE;
    }

    @Override
    public String lateReason(Object body, long ts, long watermark) {
        return "order_timeouts: order created at " + ts + " arrived at watermark " + watermark + ", after its payment timeout "
                + (ts + timeout) + ", so it is not checked";
    }
}
