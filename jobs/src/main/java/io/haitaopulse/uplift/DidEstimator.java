package io.haitaopulse.uplift;

import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.io.EventTime;
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
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Observational estimate for campaigns without a hold-out that target categories (a site-wide
 * holiday discount on infant formula, say): difference-in-differences of GMV against every other
 * category. Per slot of the slide, r = ln((treated + 1) / (control + 1)) in cents; the estimate is
 * the mean r of the campaign's slots minus the mean r of the pre-period (as long as the campaign,
 * at most {@code pre-period}), with a Welch 95 % CI over slots, reported as a relative lift
 * {@code exp(d) − 1}. It assumes the two groups would have moved in parallel: it is labelled
 * observational and is no substitute for a hold-out.
 *
 * <p>Orders are a small share of events, so one key (0) holds the per-slot GMV by category for the
 * pre-period horizon; slots older than every pre-period still needed are dropped.
 */
public final class DidEstimator extends KeyedProcessFunction<Integer, Ingested, CampaignDid> {

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
        return c.getHoldoutPct() == 0.0 && c.getTargetCategoryIds() != null && !c.getTargetCategoryIds().isEmpty();
    }

    @Override
    public void open(OpenContext openContext) {
        history = getRuntimeContext().getMapState(new MapStateDescriptor<>("slot-gmv", Types.LONG, Types.POJO(SlotGmv.class)));
        campaigns = getRuntimeContext().getMapState(new MapStateDescriptor<>("did-campaigns", Types.STRING, Types.POJO(DidCampaign.class)));
        maxOrderTs = getRuntimeContext().getState(new ValueStateDescriptor<>("max-order-ts", Types.LONG));
    }

    @Override
    public void processElement(Ingested in, Context ctx, Collector<CampaignDid> out) throws Exception {
        Object body = in.getBody();
        if (body instanceof Campaign c && applies(c)) {
            DidCampaign d = new DidCampaign();
            d.start = c.getStartTs().toEpochMilli();
            d.end = c.getEndTs().toEpochMilli();
            d.targets = c.getTargetCategoryIds().stream().mapToLong(Long::longValue).sorted().distinct().toArray();
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
        Long maxTs = maxOrderTs.value();
        List<String> finished = new ArrayList<>();
        long oldestNeeded = timestamp - maxPre;
        for (Map.Entry<String, DidCampaign> e : campaigns.entries()) {
            DidCampaign d = e.getValue();
            long postStart = Math.floorDiv(d.start, slots.slide()) * slots.slide();
            long preStart = postStart - Math.min(maxPre, Math.max(slots.slide(), d.end - d.start));
            oldestNeeded = Math.min(oldestNeeded, preStart);
            if (!slots.isWindowEnd(asOf) || asOf <= d.lastEmitted || asOf <= postStart) {
                continue;
            }
            out.collect(estimate(e.getKey(), d, preStart, postStart, asOf));
            d.lastEmitted = asOf;
            long last = slots.lastWindowEnd(d.end);
            if (asOf >= last || (endOfInput && (maxTs == null || asOf > maxTs))) {
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
        long[] pre = new long[2];
        long[] post = new long[2];
        List<Double> preR = new ArrayList<>();
        List<Double> postR = new ArrayList<>();
        for (Map.Entry<Long, SlotGmv> e : history.entries()) {
            long slotStart = e.getKey() - slots.size();
            boolean isPre = slotStart >= preStart && slotStart < postStart;
            boolean isPost = slotStart >= postStart && slotStart < postEnd;
            if (!isPre && !isPost) {
                continue;
            }
            long[] tc = e.getValue().split(d.targets);
            double r = Math.log((tc[0] + 1.0) / (tc[1] + 1.0));
            long[] acc = isPre ? pre : post;
            acc[0] += tc[0];
            acc[1] += tc[1];
            (isPre ? preR : postR).add(r);
        }
        Double lift = null;
        Double low = null;
        Double high = null;
        if (!preR.isEmpty() && !postR.isEmpty()) {
            double diff = mean(postR) - mean(preR);
            lift = Math.exp(diff) - 1;
            if (preR.size() >= 2 && postR.size() >= 2) {
                double se = Math.sqrt(variance(preR) / preR.size() + variance(postR) / postR.size());
                low = Math.exp(diff - UpliftStats.Z * se) - 1;
                high = Math.exp(diff + UpliftStats.Z * se) - 1;
            }
        }
        Long incremental = pre[1] > 0 ? Math.round(post[0] - (double) pre[0] * post[1] / pre[1]) : null;
        return new CampaignDid(id, Instant.ofEpochMilli(asOf), METHOD, preR.size(), postR.size(), pre[0], post[0], pre[1], post[1],
                lift, low, high, incremental);
    }

    private static double mean(List<Double> xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return s / xs.size();
    }

    private static double variance(List<Double> xs) {
        double m = mean(xs);
        double s = 0;
        for (double x : xs) {
            s += (x - m) * (x - m);
        }
        return s / (xs.size() - 1);
    }
}
