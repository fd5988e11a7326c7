package io.haitaopulse.traffic;

import io.haitaopulse.common.DistinctUsers;
import io.haitaopulse.io.EventLateness;
import io.haitaopulse.io.LatenessRule;
import io.haitaopulse.privacy.KAnonymity;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.Traffic;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * PV and UV of one traffic segment (dimension and value) per minute and per hour, keyed by
 * {@link TrafficPipeline#segment}. A window's row is emitted when the watermark reaches its end and
 * again for every VIEW that arrives within the allowed lateness; the window is forgotten when it
 * is final. Minute UV is exact; hour UV is exact up to the configured limit. Rows of a segment
 * (not of "all") with 1 to k−1 users are suppressed ({@link KAnonymity}).
 */
final class TrafficCounter extends KeyedProcessFunction<String, DistinctPartial, Traffic> {

    private static final long serialVersionUID = 1L;

    /** Lateness of VIEW clicks for the traffic table: late when their hour is final, partly when only their minute is. */
    static LatenessRule lateness(TumblingWindow minute, TumblingWindow hour) {
        return EventLateness.of(
                        body -> body instanceof Click c && c.getAction() == ClickAction.VIEW,
                        (body, ts, watermark) -> hour.isFinal(ts, watermark),
                        (ts, watermark) -> "traffic: event time " + ts + " is behind watermark " + watermark
                                + "; its minute and hour windows are final (allowed lateness " + hour.lateness()
                                + " ms), so it is not counted")
                .partlyWhen(
                        (body, ts, watermark) -> minute.isFinal(ts, watermark),
                        (ts, watermark) -> "traffic: event time " + ts + " is behind watermark " + watermark
                                + "; its minute window is final, so it counts only in its hour");
    }

    /**
     * Hour UV beyond the exact limit is a sketch of 2^14 registers: relative standard error about
     * 1.04 / sqrt(16384) ≈ 0.81 % (CONTRACTS §3: uv_exact is false on those rows).
     */
    static final int LG_K = 14;

    private final TumblingWindow minute;
    private final TumblingWindow hour;
    private final int exactHourLimit;
    private final KAnonymity kAnonymity;
    private transient MapState<Long, Acc> minutes;
    private transient MapState<Long, Acc> hours;

    TrafficCounter(TumblingWindow minute, TumblingWindow hour, int exactHourLimit, KAnonymity kAnonymity) {
        this.minute = minute;
        this.hour = hour;
        this.exactHourLimit = exactHourLimit;
        this.kAnonymity = kAnonymity;
    }

    /** PV and users of one window. A Flink POJO. */
    public static class Acc {
        public long pv;
        public DistinctUsers users;

        public Acc() {}
    }

    @Override
    public void open(OpenContext openContext) {
        minutes = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("traffic-minutes", Types.LONG, Types.POJO(Acc.class)));
        hours = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("traffic-hours", Types.LONG, Types.POJO(Acc.class)));
        kAnonymity.open(getRuntimeContext());
    }

    @Override
    public void processElement(DistinctPartial hit, Context ctx, Collector<Traffic> out) throws Exception {
        long wm = ctx.timerService().currentWatermark();
        if (hit.minuteOpen) {
            add(minutes, minute, "1m", Integer.MAX_VALUE, hit, wm, ctx, out);
        }
        add(hours, hour, "1h", exactHourLimit, hit, wm, ctx, out);
    }

    private void add(
            MapState<Long, Acc> state,
            TumblingWindow w,
            String granularity,
            int limit,
            DistinctPartial hit,
            long wm,
            Context ctx,
            Collector<Traffic> out)
            throws Exception {
        long start = w.start(hit.windowStart);
        Acc acc = state.get(start);
        if (acc == null) {
            acc = new Acc();
            acc.users = DistinctUsers.exactUpTo(limit, LG_K);
            ctx.timerService().registerEventTimeTimer(w.fireTime(start));
            ctx.timerService().registerEventTimeTimer(w.purgeTime(start));
        }
        acc.pv += hit.events;
        for (int i = 0; i < hit.size; i++) {
            acc.users.add(hit.users[i]);
        }
        state.put(start, acc);
        if (w.fireTime(start) <= wm) {
            // Within the allowed lateness: the row was emitted already and is corrected now.
            emit(ctx.getCurrentKey(), start, w, granularity, acc, out);
        }
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<Traffic> out) throws Exception {
        fire(ctx.getCurrentKey(), minutes, minute, "1m", t, out);
        fire(ctx.getCurrentKey(), hours, hour, "1h", t, out);
    }

    private void fire(
            String key, MapState<Long, Acc> state, TumblingWindow w, String granularity, long t, Collector<Traffic> out)
            throws Exception {
        long fired = t + 1 - w.size();
        Acc acc = state.get(fired);
        if (acc != null && w.fireTime(fired) == t) {
            emit(key, fired, w, granularity, acc, out);
        }
        long purged = t + 1 - w.size() - w.lateness();
        if (state.contains(purged) && w.purgeTime(purged) == t) {
            state.remove(purged);
        }
    }

    private void emit(
            String segmentKey, long start, TumblingWindow w, String granularity, Acc acc, Collector<Traffic> out) {
        String[] segment = segmentKey.split("\u0000", 2);
        long uv = acc.users.count();
        if (!TrafficPipeline.ALL.equals(segment[0]) && !kAnonymity.publish(uv)) {
            return;
        }
        out.collect(new Traffic(
                Instant.ofEpochMilli(start),
                Instant.ofEpochMilli(start + w.size()),
                granularity,
                segment[0],
                segment[1],
                acc.pv,
                uv,
                acc.users.isExact()));
    }
}
