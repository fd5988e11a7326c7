package io.haitaopulse.traffic;

import io.haitaopulse.io.EventLateness;
import io.haitaopulse.io.LatenessRule;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.OrderStatus;
import io.haitaopulse.schema.OrderTimeout;
import io.haitaopulse.schema.internal.Ingested;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Unpaid orders, keyed by order id, with event-time timers (clearer than a CEP pattern here: the
 * late-payment flag and the clean-up are two more timers, not a second pattern).
 *
 * <ul>
 *   <li>CREATED at c: a timer at c + timeout. When it fires and no PAID with event time at or before
 *       c + timeout has arrived, a row is emitted (with {@code paid_late_ts} already set if a later
 *       payment arrived first); otherwise the order is forgotten.
 *   <li>PAID at p: remembered (the earliest) while an order waits; after a timeout row the first
 *       payment sets {@code paid_late_ts} and the row is emitted again (the table is keyed by
 *       order_id, so it replaces the first). Duplicate payments change nothing.
 *   <li>A payment before its CREATED (arrival order) is kept until event time passes p + timeout,
 *       after which no CREATED with c ≤ p can be on time any more.
 *   <li>A timed-out order is remembered for the late-payment horizon, then forgotten: a payment
 *       after that is not flagged.
 * </ul>
 * Duplicate CREATED events keep the earliest creation time.
 */
final class PaymentTimeouts extends KeyedProcessFunction<String, Ingested, OrderTimeout> {

    private static final long serialVersionUID = 1L;
    static final long NONE = Long.MIN_VALUE;

    /**
     * Lateness for order_timeouts: a CREATED order is late when event time has already passed its
     * timeout (the timeout was due before the job knew the order existed). Payments are never late
     * here: a payment after the timeout is exactly what the table flags.
     */
    static LatenessRule lateness(long timeout) {
        return EventLateness.of(
                body -> body instanceof Order o
                        && (o.getStatus() == OrderStatus.PAID || o.getStatus() == OrderStatus.CREATED),
                (body, ts, watermark) -> ((Order) body).getStatus() == OrderStatus.CREATED && ts + timeout <= watermark,
                (ts, watermark) -> "order_timeouts: order created at " + ts + " arrived at watermark " + watermark
                        + ", after its payment timeout " + (ts + timeout) + ", so it is not checked");
    }

    private final long timeout;
    private final long horizon;
    private transient ValueState<Wait> state;

    PaymentTimeouts(long timeout, long horizon) {
        this.timeout = timeout;
        this.horizon = horizon;
    }

    /** What is known about one order. A Flink POJO. */
    public static class Wait {
        public String userId;
        public long created = NONE;
        /** Earliest payment seen, {@link #NONE} if none. */
        public long paid = NONE;

        public boolean timedOut;

        public Wait() {}
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("order-wait", Types.POJO(Wait.class)));
    }

    @Override
    public void processElement(Ingested in, Context ctx, Collector<OrderTimeout> out) throws Exception {
        Order o = (Order) in.getBody();
        long ts = o.getTs().toEpochMilli();
        Wait w = state.value();
        if (o.getStatus() == OrderStatus.CREATED) {
            if (w == null) {
                w = new Wait();
            }
            if (w.timedOut || (w.created != NONE && w.created <= ts)) {
                return;
            }
            w.created = ts;
            w.userId = o.getUserId();
            state.update(w);
            ctx.timerService().registerEventTimeTimer(ts + timeout);
            return;
        }
        // PAID
        if (w == null) {
            if (ts + timeout <= ctx.timerService().currentWatermark()) {
                // No CREATED with an earlier time can be on time any more: nothing to wait for.
                return;
            }
            w = new Wait();
        }
        if (w.timedOut) {
            // The earliest payment after the timeout, whatever the arrival order.
            if (w.paid == NONE || ts < w.paid) {
                w.paid = ts;
                state.update(w);
                out.collect(row(ctx.getCurrentKey(), w));
            }
            return;
        }
        if (w.paid == NONE || ts < w.paid) {
            w.paid = ts;
            state.update(w);
            if (w.created == NONE) {
                ctx.timerService().registerEventTimeTimer(ts + timeout);
            }
        }
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<OrderTimeout> out) throws Exception {
        Wait w = state.value();
        if (w == null) {
            return;
        }
        if (w.created == NONE) {
            if (t >= w.paid + timeout) {
                state.clear();
            }
            return;
        }
        long due = w.created + timeout;
        if (!w.timedOut && t >= due) {
            if (w.paid != NONE && w.paid <= due) {
                state.clear();
                return;
            }
            w.timedOut = true;
            state.update(w);
            out.collect(row(ctx.getCurrentKey(), w));
            ctx.timerService().registerEventTimeTimer(due + horizon);
        } else if (w.timedOut && t >= due + horizon) {
            state.clear();
        }
    }

    private OrderTimeout row(String orderId, Wait w) {
        return new OrderTimeout(
                orderId,
                w.userId,
                Instant.ofEpochMilli(w.created),
                Instant.ofEpochMilli(w.created + timeout),
                w.paid == NONE ? null : Instant.ofEpochMilli(w.paid));
    }
}
