package io.haitaopulse.uplift;

import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.io.EventTime;
import io.haitaopulse.io.InputExtent;
import io.haitaopulse.schema.Campaign;
import io.haitaopulse.schema.CampaignDid;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.OrderLine;
import io.haitaopulse.schema.OrderStatus;
import io.haitaopulse.schema.internal.Ingested;
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
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Observational estimate for campaigns without a hold-out that target categories (a site-wide
 * holiday discount on infant formula, say): difference-in-differences of GMV against every other
 * category, campaign period against a pre-period as long as the campaign (at most
 * {@code pre-period}): {@code lift = (T_post / T_pre) / (C_post / C_pre) − 1} on GMV totals. Its
 * 95 % CI is {@code exp(ln(1 + lift) ± 1.96 se) − 1} with the delta method on the four log totals,
 * treating slots of the slide as independent: {@code se² = Σ_g n_g s_g² / S_g²} over the four
 * groups (slot count n, sample variance s² of per-slot GMV, total S). It assumes the two groups would have moved in parallel: it is labelled
 * observational and is no substitute for a hold-out.
 *
 * <p>At the end of input, rows go on as far as the input's event time reached ({@link InputExtent},
 * broadcast), then until one reflects the last order.
 *
 * <p>Orders are a small share of events, so one key (0) holds the per-slot GMV by category for the
 * pre-period horizon; slots older than every pre-period still needed are dropped.
 */
public final class DidEstimator extends KeyedBroadcastProcessFunction<Integer, Ingested, Long, CampaignDid> {

    private static final long serialVersionUID = 1L;
    static final String METHOD = "observational: difference-in-differences vs untreated categories";

    private final SlidingWindows slots;
    private final long maxPre;
    private transient MapState<Long, SlotGmv> history;
    private transient MapState<String, DidCampaign> campaigns;
    private transient ValueState<Long> maxOrderTs;

    DidEstimator(SlidingWindows tumbling, long maxPre) {
        this.slots = tumbling;
        this.maxPre = maxPre;
    }

    /** Whether the estimator handles {@code c}: no hold-out and at least one target category. */
    static boolean applies(Campaign c) {
        return c.getHoldoutPct() == 0.0
                && c.getTargetCategoryIds() != null
                && !c.getTargetCategoryIds().isEmpty();
    }

    @Override
    public void open(OpenContext openContext) {
        history = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("slot-gmv", Types.LONG, Types.POJO(SlotGmv.class)));
        campaigns = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("did-campaigns", Types.STRING, Types.POJO(DidCampaign.class)));
        maxOrderTs = getRuntimeContext().getState(new ValueStateDescriptor<>("max-order-ts", Types.LONG));
    }

    @Override
    public void processBroadcastElement(Long extent, Context ctx, Collector<CampaignDid> out) throws Exception {
        InputExtent.record(ctx.getBroadcastState(InputExtent.STATE), extent);
    }

    @Override
    public void processElement(Ingested in, ReadOnlyContext ctx, Collector<CampaignDid> out) throws Exception {
        Object body = in.getBody();
        if (body instanceof Campaign c && applies(c)) {
            DidCampaign d = new DidCampaign();
            d.start = c.getStartTs().toEpochMilli();
            d.end = c.getEndTs().toEpochMilli();
            d.targets = c.getTargetCategoryIds().stream()
                    .mapToLong(Long::longValue)
                    .sorted()
                    .distinct()
                    .toArray();
            campaigns.put(c.getCampaignId(), d);
            ctx.timerService().registerEventTimeTimer(slots.purgeTime(slots.lastWindowEnd(d.start)));
        } else if (body instanceof Order o && o.getStatus() == OrderStatus.PAID) {
            long ts = EventTime.of(in);
            long slotEnd = slots.lastWindowEnd(ts);
            SlotGmv g = history.get(slotEnd);
            if (g == null) {
                g = new SlotGmv();
                // Forget the slot once no pre-period can reach it.
                ctx.timerService().registerEventTimeTimer(slotEnd + maxPre);
            }
            for (OrderLine l : o.getLines()) {
                g.add(l.getCategoryId(), l.getQuantity() * l.getUnitPriceCents() - l.getDiscountCents());
            }
            history.put(slotEnd, g);
            Long max = maxOrderTs.value();
            maxOrderTs.update(max == null ? ts : Math.max(max, ts));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CampaignDid> out) throws Exception {
        long asOf = timestamp + 1 - slots.allowedLateness();
        boolean endOfInput = ctx.timerService().currentWatermark() == Long.MAX_VALUE;
        // At the end of input, rows go on as far as event time reached (InputExtent), as they would
        // in a run whose watermark had passed there before the end, whichever input ended last.
        boolean pastExtent = InputExtent.beyond(ctx.getBroadcastState(InputExtent.STATE), timestamp);
        Long maxTs = maxOrderTs.value();
        List<String> finished = new ArrayList<>();
        long oldestNeeded = timestamp - maxPre;
        for (Map.Entry<String, DidCampaign> e : campaigns.entries()) {
            DidCampaign d = e.getValue();
            long postStart = Math.floorDiv(d.start, slots.slide()) * slots.slide();
            // Whole slots: as long as the campaign, rounded up, at most the configured pre-period.
            long length = Math.min(maxPre, Math.max(slots.slide(), d.end - d.start));
            long preStart = postStart - Math.floorDiv(length + slots.slide() - 1, slots.slide()) * slots.slide();
            oldestNeeded = Math.min(oldestNeeded, preStart);
            if (!slots.isWindowEnd(asOf) || asOf <= d.lastEmitted || asOf <= postStart) {
                continue;
            }
            out.collect(estimate(e.getKey(), d, preStart, postStart, asOf));
            d.lastEmitted = asOf;
            long last = slots.lastWindowEnd(d.end);
            if (asOf >= last || (endOfInput && (maxTs == null || asOf > maxTs) && pastExtent)) {
                finished.add(e.getKey());
            } else {
                e.setValue(d);
                ctx.timerService().registerEventTimeTimer(slots.purgeTime(asOf + slots.slide()));
            }
        }
        for (String id : finished) {
            campaigns.remove(id);
        }
        List<Long> old = new ArrayList<>();
        for (Long slotEnd : history.keys()) {
            if (slotEnd - slots.size() < oldestNeeded && slotEnd + maxPre <= timestamp) {
                old.add(slotEnd);
            }
        }
        for (Long slotEnd : old) {
            history.remove(slotEnd);
        }
        if (history.isEmpty() && campaigns.isEmpty()) {
            history.clear();
            campaigns.clear();
            maxOrderTs.clear();
        }
    }

    private CampaignDid estimate(String id, DidCampaign d, long preStart, long postStart, long asOf) throws Exception {
        long postEnd = Math.min(asOf, slots.lastWindowEnd(d.end));
        // Per-slot GMV of treated and control categories, pre and post; slots without orders count as 0.
        List<long[]> pre = new ArrayList<>();
        List<long[]> post = new ArrayList<>();
        for (long slotStart = preStart; slotStart < postEnd; slotStart += slots.slide()) {
            SlotGmv g = history.get(slotStart + slots.size());
            long[] tc = g == null ? new long[2] : g.split(d.targets);
            (slotStart < postStart ? pre : post).add(tc);
        }
        long tPre = sum(pre, 0);
        long cPre = sum(pre, 1);
        long tPost = sum(post, 0);
        long cPost = sum(post, 1);
        Double lift = null;
        Double low = null;
        Double high = null;
        if (tPre > 0 && cPre > 0 && tPost > 0 && cPost > 0) {
            double logRatio = Math.log((double) tPost / tPre) - Math.log((double) cPost / cPre);
            lift = Math.exp(logRatio) - 1;
            if (pre.size() >= 2 && post.size() >= 2) {
                double se = Math.sqrt(
                        relVar(pre, 0, tPre) + relVar(pre, 1, cPre) + relVar(post, 0, tPost) + relVar(post, 1, cPost));
                low = Math.exp(logRatio - UpliftStats.Z * se) - 1;
                high = Math.exp(logRatio + UpliftStats.Z * se) - 1;
            }
        }
        Long incremental = cPre > 0 ? Math.round(tPost - (double) tPre * cPost / cPre) : null;
        return new CampaignDid(
                id,
                Instant.ofEpochMilli(asOf),
                METHOD,
                pre.size(),
                post.size(),
                tPre,
                tPost,
                cPre,
                cPost,
                lift,
                low,
                high,
                incremental);
    }

    private static long sum(List<long[]> slots, int k) {
        long s = 0;
        for (long[] x : slots) {
            s += x[k];
        }
        return s;
    }

    /** Variance of ln(total) by the delta method: n s² / total². */
    private static double relVar(List<long[]> slots, int k, long total) {
        double n = slots.size();
        double mean = (double) total / n;
        double v = 0;
        for (long[] x : slots) {
            v += (x[k] - mean) * (x[k] - mean);
        }
        v /= n - 1;
        return n * v / ((double) total * total);
    }
}
