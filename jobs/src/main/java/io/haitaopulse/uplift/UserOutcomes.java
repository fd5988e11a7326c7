package io.haitaopulse.uplift;

import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.io.EventLateness;
import io.haitaopulse.io.EventTime;
import io.haitaopulse.io.LatenessRule;
import io.haitaopulse.schema.Arm;
import io.haitaopulse.schema.Campaign;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.Exposure;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.OrderLine;
import io.haitaopulse.schema.OrderStatus;
import io.haitaopulse.schema.internal.Ingested;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per user (the key): which campaigns the user is exposed to, in which arm, and the user's
 * outcome per campaign (CONTRACTS §3): conversion = any PAID order in
 * {@code [first exposure, end]}; revenue = PAID value minus RETURNED value in that interval;
 * returns = RETURNED value in it; and for CUPED the same three over the lookback
 * {@code [first exposure − L, first exposure)}. Emits the change of the user's contribution to
 * each campaign's scoreboard.
 *
 * <p>Work happens in event-time order: an event only registers a timer at its own time, and the
 * user's outcomes are recomputed when the watermark reaches it. So a scoreboard row as of
 * {@code t} reflects exactly the events before {@code t}, whatever their arrival order, and a
 * campaign definition (event time = its start) is known before its exposures are evaluated.
 *
 * <p>State is released: a campaign's entry once its last scoreboard row is final, exposures to a
 * campaign never defined after a TTL, an order once no campaign of the user, no future
 * exposure and no future exposure's covariate (an order stays for the lookback L after its time,
 * so the order history is bounded by the orders of the last L per user) can need it, and the user's history (first PAID order, for the coupon funnel's "first
 * order") a TTL after the user's last activity.
 */
public final class UserOutcomes extends KeyedBroadcastProcessFunction<String, Ingested, Campaign, ScoreInput> {

    private static final long serialVersionUID = 1L;

    /**
     * The uplift job consumes campaigns, exposures, clicks (attribution) and PAID/RETURNED orders.
     * Its rows are as of multiples of the slide; an event is late once the first row that would
     * reflect it is final. Campaign definitions are never late: a late definition still defines its campaign.
     */
    static LatenessRule lateness(SlidingWindows slots) {
        return EventLateness.of(
                body -> body instanceof Campaign
                        || body instanceof Exposure
                        || body instanceof Click
                        || (body instanceof Order o
                                && (o.getStatus() == OrderStatus.PAID || o.getStatus() == OrderStatus.RETURNED)),
                (body, ts, watermark) -> !(body instanceof Campaign) && slots.isLate(ts, watermark),
                (ts, watermark) -> "uplift: event time " + ts + " is behind watermark " + watermark
                        + "; the uplift and attribution rows as of " + slots.lastWindowEnd(ts)
                        + " that would first reflect it are final (allowed lateness " + slots.allowedLateness()
                        + " ms)");
    }

    /** Campaign definitions, broadcast to every subtask. */
    public static final MapStateDescriptor<String, Campaign> CAMPAIGNS =
            new MapStateDescriptor<>("campaigns", Types.STRING, new AvroTypeInfo<>(Campaign.class));

    /** Rows of the scoreboard are as of multiples of the slide; a slot is final at its purge time. */
    private final SlidingWindows slots;

    private final long unknownCampaignTtl;
    private final long historyTtl;
    /** CUPED lookback L; 0: no covariate. */
    private final long cupedLookback;

    private transient MapState<String, CampaignExposure> exposures;
    private transient ValueState<OrderLog> orders;
    /** First PAID order and last activity of the user, kept for the history TTL after the last activity. */
    private transient ValueState<UserHistory> history;

    UserOutcomes(SlidingWindows slots, long unknownCampaignTtl, long historyTtl, long cupedLookback) {
        this.slots = slots;
        this.unknownCampaignTtl = unknownCampaignTtl;
        this.historyTtl = historyTtl;
        this.cupedLookback = cupedLookback;
    }

    @Override
    public void open(OpenContext openContext) {
        exposures = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("exposures", Types.STRING, Types.POJO(CampaignExposure.class)));
        orders = getRuntimeContext().getState(new ValueStateDescriptor<>("orders", Types.POJO(OrderLog.class)));
        history = getRuntimeContext().getState(new ValueStateDescriptor<>("history", Types.POJO(UserHistory.class)));
    }

    @Override
    public void processElement(Ingested in, ReadOnlyContext ctx, Collector<ScoreInput> out) throws Exception {
        Object body = in.getBody();
        long ts = EventTime.ofBody(body);
        if (body instanceof Exposure e) {
            CampaignExposure x = exposures.get(e.getCampaignId());
            if (x == null) {
                x = new CampaignExposure();
            }
            x.add(ts, e.getArm() == Arm.TREATMENT ? 0 : 1);
            exposures.put(e.getCampaignId(), x);
        } else if (body instanceof Order o
                && (o.getStatus() == OrderStatus.PAID || o.getStatus() == OrderStatus.RETURNED)) {
            OrderLog log = orders.value();
            if (log == null) {
                log = new OrderLog();
            }
            boolean paid = o.getStatus() == OrderStatus.PAID;
            log.add(ts, value(o), paid, paid && o.getCouponId() != null ? o.getCampaignId() : null);
            orders.update(log);
        } else {
            return;
        }
        ctx.timerService().registerEventTimeTimer(ts);
    }

    @Override
    public void processBroadcastElement(Campaign c, Context ctx, Collector<ScoreInput> out) throws Exception {
        ctx.getBroadcastState(CAMPAIGNS).put(c.getCampaignId(), c);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ScoreInput> out) throws Exception {
        ReadOnlyBroadcastState<String, Campaign> campaigns = ctx.getBroadcastState(CAMPAIGNS);
        OrderLog stored = orders.value();
        final OrderLog log = stored == null ? new OrderLog() : stored;
        UserHistory h = history.value();
        if (h == null) {
            h = new UserHistory();
        }
        h.firstPaid = Math.min(h.firstPaid, log.firstPaidAtOrBefore(timestamp));
        for (int i = 0; i < log.size; i++) {
            if (log.ts[i] <= timestamp) {
                h.lastActivity = Math.max(h.lastActivity, log.ts[i]);
            }
        }
        for (CampaignExposure x : exposures.values()) {
            for (int i = 0; i < x.size; i++) {
                if (x.ts[i] <= timestamp) {
                    h.lastActivity = Math.max(h.lastActivity, x.ts[i]);
                }
            }
        }
        final long first = h.firstPaid;
        long nextCleanup = Long.MAX_VALUE;
        List<String> done = new ArrayList<>();
        List<long[]> neededIntervals = new ArrayList<>();
        boolean unknownPending = false;
        for (Map.Entry<String, CampaignExposure> entry : exposures.entries()) {
            CampaignExposure x = entry.getValue();
            Campaign c = campaigns.get(entry.getKey());
            if (c == null) {
                long expiry = x.firstSeen + unknownCampaignTtl;
                if (expiry <= timestamp) {
                    done.add(entry.getKey());
                } else {
                    unknownPending = true;
                    nextCleanup = Math.min(nextCleanup, expiry);
                }
                continue;
            }
            recompute(entry.getKey(), c, x, log, first, timestamp, cupedLookback, out);
            entry.setValue(x);
            long end = c.getEndTs().toEpochMilli();
            long finalAt = slots.purgeTime(slots.lastWindowEnd(end));
            if (finalAt <= timestamp) {
                done.add(entry.getKey());
            } else {
                nextCleanup = Math.min(nextCleanup, finalAt);
                neededIntervals.add(new long[] {c.getStartTs().toEpochMilli(), end});
            }
        }
        for (String id : done) {
            exposures.remove(id);
        }
        if (exposures.isEmpty()) {
            exposures.clear();
        }
        // An order is kept while an exposure before it could still arrive on time, or while a
        // campaign of this user still counts it (or a campaign not defined yet might).
        final boolean keepAll = unknownPending;
        long[] orderDeadline = {Long.MAX_VALUE};
        log.retain(i -> {
            long t = log.ts[i];
            if (keepAll) {
                return true;
            }
            for (long[] iv : neededIntervals) {
                if (t <= iv[1]) {
                    return true;
                }
            }
            // The latest exposure that can still arrive on time and see this order in its lookback
            // is at t + L (with L = 0, at t: the order may still be in its campaign interval).
            long onTimeUntil = slots.purgeTime(slots.lastWindowEnd(t + cupedLookback));
            if (onTimeUntil > timestamp) {
                orderDeadline[0] = Math.min(orderDeadline[0], onTimeUntil);
                return true;
            }
            return false;
        });
        nextCleanup = Math.min(nextCleanup, orderDeadline[0]);
        if (log.size == 0) {
            orders.clear();
        } else {
            orders.update(log);
        }
        if (nextCleanup != Long.MAX_VALUE) {
            ctx.timerService().registerEventTimeTimer(nextCleanup);
        }
        long historyExpiry = h.lastActivity == Long.MIN_VALUE ? Long.MIN_VALUE : h.lastActivity + historyTtl;
        if (historyExpiry <= timestamp && log.size == 0 && exposures.isEmpty()) {
            history.clear();
            return;
        }
        // The history's own timer, one per user, moved on when it fires: registering each new
        // expiry would leave a timer per burst of activity for the whole 30-day TTL. While orders or
        // exposures are held, their deadlines come later and forget the history then. Firings
        // without new events recompute the same outcomes and emit nothing, so no row changes.
        if (historyExpiry > timestamp && h.forgetAt <= timestamp) {
            h.forgetAt = historyExpiry;
            ctx.timerService().registerEventTimeTimer(historyExpiry);
        }
        history.update(h);
    }

    /**
     * Brings the user's contribution to campaign {@code id} up to event time {@code ts} and emits the
     * change. Only events at or before {@code ts} count, even if later ones have arrived already:
     * their own timers bring them in, so every change carries the time of the event that caused it.
     * An event behind the time already evaluated (it arrived behind the watermark, in a slot that is
     * not final) is evaluated as of that later time and its change carries its own time: both are in
     * the same open slot, so every row still reflects exactly the events before it. The covariates
     * only see orders before the first exposure, which is at or before the evaluated time.
     */
    private static void recompute(
            String id,
            Campaign c,
            CampaignExposure x,
            OrderLog log,
            long firstPaidTs,
            long ts,
            long lookback,
            Collector<ScoreInput> out) {
        long start = c.getStartTs().toEpochMilli();
        long asOf = Math.max(ts, x.evaluatedAt);
        long end = Math.min(c.getEndTs().toEpochMilli(), asOf);
        int first = x.firstWithin(start, end);
        boolean counted = first >= 0;
        int arm = counted ? x.arms[first] : 0;
        Outcome now = Outcome.NONE;
        boolean firstOrder = false;
        boolean redeemed = false;
        if (counted) {
            long fe = x.ts[first];
            double conv = log.paidWithin(fe, end) ? 1 : 0;
            Outcome o = new Outcome(conv, log.netValueWithin(fe, end), log.returnedValueWithin(fe, end), 0, 0, 0);
            if (lookback > 0) {
                long from = fe - lookback;
                long to = fe - 1;
                o = new Outcome(
                        o.conv(),
                        o.rev(),
                        o.ret(),
                        log.paidWithin(from, to) ? 1 : 0,
                        log.netValueWithin(from, to),
                        log.returnedValueWithin(from, to));
            }
            now = o;
            firstOrder = conv == 1 && firstPaidTs >= fe;
            redeemed = log.redeemedWithin(id, fe, end);
        }
        Outcome before = x.counted ? x.outcome() : Outcome.NONE;
        if (x.counted && counted && x.countedArm == arm) {
            if (!now.equals(before) || firstOrder != x.firstOrder || redeemed != x.redeemed) {
                out.collect(ScoreInput.change(
                        id,
                        arm,
                        0,
                        before,
                        now,
                        flag(firstOrder) - flag(x.firstOrder),
                        flag(redeemed) - flag(x.redeemed),
                        ts));
            }
        } else {
            if (x.counted) {
                out.collect(ScoreInput.change(
                        id, x.countedArm, -1, before, Outcome.NONE, -flag(x.firstOrder), -flag(x.redeemed), ts));
            }
            if (counted) {
                out.collect(ScoreInput.change(id, arm, 1, Outcome.NONE, now, flag(firstOrder), flag(redeemed), ts));
            }
        }
        x.evaluatedAt = asOf;
        x.counted = counted;
        x.countedArm = arm;
        x.setOutcome(now);
        x.firstOrder = firstOrder;
        x.redeemed = redeemed;
    }

    private static long flag(boolean b) {
        return b ? 1 : 0;
    }

    /** Value of an order event's lines in cents: quantity × unit price − discount. */
    static long value(Order o) {
        long v = 0;
        for (OrderLine l : o.getLines()) {
            v += l.getQuantity() * l.getUnitPriceCents() - l.getDiscountCents();
        }
        return v;
    }
}
