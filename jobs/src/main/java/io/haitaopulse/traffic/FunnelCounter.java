package io.haitaopulse.traffic;

import io.haitaopulse.common.DistinctUsers;
import io.haitaopulse.io.EventLateness;
import io.haitaopulse.io.LatenessRule;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.Funnel;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.OrderStatus;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The funnel of one category per hour, keyed by category: distinct users at each stage, exact.
 * Emitted when the watermark reaches the hour's end, re-emitted for each event within the
 * allowed lateness, forgotten when final.
 */
final class FunnelCounter extends KeyedProcessFunction<Long, DistinctPartial, Funnel> {

    private static final long serialVersionUID = 1L;

    /** Lateness of the funnel's events (VIEW and CART clicks, CREATED and PAID orders): late when their hour is final. */
    static LatenessRule lateness(TumblingWindow hour) {
        return EventLateness.of(
                body -> body instanceof Click c
                                && (c.getAction() == ClickAction.VIEW || c.getAction() == ClickAction.CART)
                        || body instanceof Order o
                                && (o.getStatus() == OrderStatus.CREATED || o.getStatus() == OrderStatus.PAID),
                (body, ts, watermark) -> hour.isFinal(ts, watermark),
                (ts, watermark) -> "funnel: event time " + ts + " is behind watermark " + watermark
                        + "; its hour is final (allowed lateness " + hour.lateness() + " ms), so it is not counted");
    }

    static final int VIEW = 0;
    static final int CART = 1;
    static final int ORDER = 2;
    static final int PAID = 3;

    private final TumblingWindow hour;
    private transient MapState<Long, Stages> hours;

    FunnelCounter(TumblingWindow hour) {
        this.hour = hour;
    }

    /** Users per stage of one hour. A Flink POJO. */
    public static class Stages {
        public DistinctUsers viewers;
        public DistinctUsers carters;
        public DistinctUsers orderers;
        public DistinctUsers payers;

        public Stages() {}

        static Stages empty() {
            Stages s = new Stages();
            s.viewers = DistinctUsers.exactUpTo(Integer.MAX_VALUE, DistinctUsers.LG_K);
            s.carters = DistinctUsers.exactUpTo(Integer.MAX_VALUE, DistinctUsers.LG_K);
            s.orderers = DistinctUsers.exactUpTo(Integer.MAX_VALUE, DistinctUsers.LG_K);
            s.payers = DistinctUsers.exactUpTo(Integer.MAX_VALUE, DistinctUsers.LG_K);
            return s;
        }
    }

    @Override
    public void open(OpenContext openContext) {
        hours = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("funnel-hours", Types.LONG, Types.POJO(Stages.class)));
    }

    @Override
    public void processElement(DistinctPartial hit, Context ctx, Collector<Funnel> out) throws Exception {
        long start = hit.windowStart;
        Stages s = hours.get(start);
        if (s == null) {
            s = Stages.empty();
            ctx.timerService().registerEventTimeTimer(hour.fireTime(start));
            ctx.timerService().registerEventTimeTimer(hour.purgeTime(start));
        }
        DistinctUsers stage = switch (hit.stage) {
            case VIEW -> s.viewers;
            case CART -> s.carters;
            case ORDER -> s.orderers;
            case PAID -> s.payers;
            default -> throw new IllegalArgumentException("unknown funnel stage " + hit.stage);
        };
        for (int i = 0; i < hit.size; i++) {
            stage.add(hit.users[i]);
        }
        hours.put(start, s);
        if (hour.fireTime(start) <= ctx.timerService().currentWatermark()) {
            emit(ctx.getCurrentKey(), start, s, out);
        }
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<Funnel> out) throws Exception {
        long fired = t + 1 - hour.size();
        Stages s = hours.get(fired);
        if (s != null && hour.fireTime(fired) == t) {
            emit(ctx.getCurrentKey(), fired, s, out);
        }
        long purged = t + 1 - hour.size() - hour.lateness();
        if (hour.purgeTime(purged) == t) {
            hours.remove(purged);
        }
    }

    private void emit(long category, long start, Stages s, Collector<Funnel> out) {
        long viewers = s.viewers.count();
        long carters = s.carters.count();
        long orderers = s.orderers.count();
        long payers = s.payers.count();
        out.collect(new Funnel(
                Instant.ofEpochMilli(start),
                Instant.ofEpochMilli(start + hour.size()),
                category,
                viewers,
                carters,
                orderers,
                payers,
                rate(carters, viewers),
                rate(orderers, carters),
                rate(payers, orderers),
                rate(payers, viewers)));
    }

    static Double rate(long n, long d) {
        return d == 0 ? null : (double) n / d;
    }
}
