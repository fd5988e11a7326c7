package io.haitaopulse.uplift;

import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.io.InputExtent;
import io.haitaopulse.privacy.KAnonymity;
import io.haitaopulse.schema.Arm;
import io.haitaopulse.schema.CampaignKind;
import io.haitaopulse.schema.CampaignUplift;
import io.haitaopulse.schema.CouponFunnel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * One campaign's scoreboard (keyed by campaign id): sufficient statistics per arm and metric,
 * and a campaign_uplift row per metric at every multiple of the slide from the campaign's start
 * until the first one after its end; the row as of {@code b} reflects every event before {@code b}
 * and is written when that is final (b − 1 + allowed lateness). At the end of input the rows go
 * on as far as the input's event time reached ({@link io.haitaopulse.io.InputExtent}, broadcast
 * to every subtask), then until one reflects all of the campaign's input, then stop: the rows of
 * a campaign without exposures do not depend on which input finished last. State is dropped
 * after the last row.
 */
public final class CampaignScoreboard extends KeyedBroadcastProcessFunction<String, ScoreInput, Long, CampaignUplift> {

    private static final long serialVersionUID = 1L;

    /** Metric names of the rows. */
    public static final String CONVERSION = "conversion";

    public static final String REVENUE = "revenue_per_user";

    /** The guardrail: returned value per exposed user, lower is better. */
    public static final String RETURNS = "returns_per_user";

    /** coupon_funnel rows of NEW_USER_COUPON campaigns. */
    public static final OutputTag<CouponFunnel> COUPON_FUNNEL =
            new OutputTag<>("coupon-funnel", new AvroTypeInfo<>(CouponFunnel.class));

    private final SlidingWindows slots;
    private final double tauConversion;
    private final double tauRevenue;
    private transient ValueState<Scoreboard> board;
    /** Changes not yet in a written row, by the end of their slot: a row reflects exactly the events before it. */
    private transient MapState<Long, ArmSums> pending;

    /** coupon_funnel rows break a campaign's users down by arm: a segment, so k-anonymous. */
    private final KAnonymity kAnonymity;

    CampaignScoreboard(SlidingWindows slots, double tauConversion, double tauRevenue, KAnonymity kAnonymity) {
        this.slots = slots;
        this.tauConversion = tauConversion;
        this.tauRevenue = tauRevenue;
        this.kAnonymity = kAnonymity;
    }

    @Override
    public void open(OpenContext openContext) {
        board = getRuntimeContext().getState(new ValueStateDescriptor<>("scoreboard", Types.POJO(Scoreboard.class)));
        pending = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("pending-changes", Types.LONG, Types.POJO(ArmSums.class)));
        kAnonymity.open(getRuntimeContext());
    }

    @Override
    public void processBroadcastElement(Long extent, Context ctx, Collector<CampaignUplift> out) throws Exception {
        InputExtent.record(ctx.getBroadcastState(InputExtent.STATE), extent);
    }

    @Override
    public void processElement(ScoreInput in, ReadOnlyContext ctx, Collector<CampaignUplift> out) throws Exception {
        Scoreboard b = board.value();
        if (b == null) {
            b = new Scoreboard();
        }
        if (in.definition) {
            b.defined = true;
            b.start = in.start;
            b.end = in.end;
            b.holdoutPct = in.holdoutPct;
            b.kind = in.kind;
            b.maxTs = Math.max(b.maxTs, in.start);
            ctx.timerService()
                    .registerEventTimeTimer(fireTime(Math.max(slotEnd(in.start), b.lastEmitted + slots.slide())));
        } else {
            long slot = slotEnd(in.ts);
            if (slot <= b.lastEmitted) {
                // Only after an idle source resumed behind the others: count it from the next row on.
                b.total.apply(in);
            } else {
                ArmSums sums = pending.get(slot);
                if (sums == null) {
                    sums = new ArmSums();
                }
                sums.apply(in);
                pending.put(slot, sums);
            }
            b.maxTs = Math.max(b.maxTs, in.ts);
        }
        board.update(b);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CampaignUplift> out) throws Exception {
        Scoreboard b = board.value();
        long asOf = timestamp + 1 - slots.allowedLateness();
        if (b == null || !b.defined || asOf <= b.lastEmitted) {
            return;
        }
        List<Long> applied = new ArrayList<>();
        for (Map.Entry<Long, ArmSums> e : pending.entries()) {
            if (e.getKey() <= asOf) {
                b.total.add(e.getValue());
                applied.add(e.getKey());
            }
        }
        for (Long slot : applied) {
            pending.remove(slot);
        }
        emit(b.total, b.holdoutPct, ctx.getCurrentKey(), asOf, out);
        if (CampaignKind.NEW_USER_COUPON.name().equals(b.kind)) {
            // Exposed users are distinct users of the arm; the other counts are subsets of them.
            if (kAnonymity.publish(b.total.nT)) {
                ctx.output(
                        COUPON_FUNNEL,
                        funnel(
                                ctx.getCurrentKey(),
                                asOf,
                                Arm.TREATMENT,
                                b.total.nT,
                                b.total.firstOrdersT,
                                b.total.redeemedT));
            }
            if (kAnonymity.publish(b.total.nC)) {
                ctx.output(
                        COUPON_FUNNEL,
                        funnel(
                                ctx.getCurrentKey(),
                                asOf,
                                Arm.CONTROL,
                                b.total.nC,
                                b.total.firstOrdersC,
                                b.total.redeemedC));
            }
        }
        b.lastEmitted = asOf;
        long last = slotEnd(b.end);
        // At the end of input, first every row event time passed (as an uninterrupted run would
        // have written them while it advanced), then until the campaign's own input is reflected.
        boolean endOfInput = ctx.timerService().currentWatermark() == Long.MAX_VALUE
                && asOf > b.maxTs
                && InputExtent.beyond(ctx.getBroadcastState(InputExtent.STATE), fireTime(asOf));
        if (asOf >= last || endOfInput) {
            board.clear();
            pending.clear();
            return;
        }
        ctx.timerService().registerEventTimeTimer(fireTime(asOf + slots.slide()));
        board.update(b);
    }

    private void emit(ArmSums b, double holdoutPct, String id, long asOf, Collector<CampaignUplift> out) {
        Instant at = Instant.ofEpochMilli(asOf);
        Long incremental = null;
        if (b.nT > 0 && b.nC > 0) {
            incremental = Math.round((b.revT / b.nT - b.revC / b.nC) * b.nT);
        }
        out.collect(UpliftStats.row(
                id, CONVERSION, at, b.conversionT(), b.conversionC(), holdoutPct, tauConversion, incremental, false));
        out.collect(UpliftStats.row(
                id, REVENUE, at, b.revenueT(), b.revenueC(), holdoutPct, tauRevenue, incremental, false));
        // Returns are cents like revenue: the always-valid interval uses the revenue's mixing scale.
        out.collect(UpliftStats.row(
                id, RETURNS, at, b.returnsT(), b.returnsC(), holdoutPct, tauRevenue, incremental, true));
    }

    private static CouponFunnel funnel(String id, long asOf, Arm arm, long exposed, long firstOrders, long redeemed) {
        return new CouponFunnel(
                id,
                Instant.ofEpochMilli(asOf),
                arm,
                exposed,
                firstOrders,
                redeemed,
                exposed == 0 ? null : (double) firstOrders / exposed,
                exposed == 0 ? null : (double) redeemed / exposed);
    }

    /** The end of the slot containing {@code ts}: the first row that reflects it. */
    private long slotEnd(long ts) {
        return slots.lastWindowEnd(ts);
    }

    private long fireTime(long asOf) {
        return slots.purgeTime(asOf);
    }
}
