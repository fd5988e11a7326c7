package io.haitaopulse.trends;

import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.schema.CategoryTrend;
import io.haitaopulse.schema.DemandTrend;
import io.haitaopulse.schema.TrendAlert;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Demand trends of every item of one category (the key), and the category's roll-up. Keyed by
 * category so that items share their category's hour-of-day profile.
 *
 * <p>A window is evaluated once, when it is final (its end plus the allowed lateness), so every
 * (window_end, item) row is written once. Evaluation of window {@code [s, e)}: fold the panes
 * before the recent span {@code [e - recent, e)} into the category's and each item's baseline,
 * then compare views with the baseline ({@link TrendModel}). Items with at least
 * {@code row-min-views} views in the window, and every trending item, get a demand_trends row;
 * the category gets one category_trends row (side output {@link #CATEGORY_TRENDS}).
 *
 * <p>State: panes are dropped once folded and out of the window; an item without activity for
 * the idle TTL is forgotten, and a category without items is cleared entirely, so state stays
 * bounded for an unbounded catalogue.
 */
public final class CategoryTrends extends KeyedProcessFunction<Long, ItemPaneActivity, DemandTrend> {

    private static final long serialVersionUID = 1L;

    /** The category_trends rows. */
    public static final OutputTag<CategoryTrend> CATEGORY_TRENDS =
            new OutputTag<>("category-trends", new AvroTypeInfo<>(CategoryTrend.class));

    /** The trend_alerts rows: one per trending window of an episode and one when it ends. */
    public static final OutputTag<TrendAlert> TREND_ALERTS =
            new OutputTag<>("trend-alerts", new AvroTypeInfo<>(TrendAlert.class));

    private final TrendModel model;
    /** Whether items the cut cannot change may be finished in pass 1 (see {@link #evaluate}). */
    private final boolean mayFinishEarly;
    /** Items holding panes: the ones a window evaluation visits. */
    private transient MapState<Long, ItemTrend> items;
    /**
     * Items without panes, kept for their baselines until the idle TTL. A window skips them: for
     * them it would only fold empty panes, and the same folds run, in the same order, when the
     * item has panes again, so their baselines come out identical while most windows visit a
     * fraction of the catalogue.
     */
    private transient MapState<Long, ItemTrend> idle;

    private transient ValueState<CategoryTrendState> category;

    CategoryTrends(TrendModel model) {
        this(model, true);
    }

    /**
     * With {@code settleEarly} false every item is finished after the cut, as the general case
     * does: the same rows and state, for tests that compare the two.
     */
    CategoryTrends(TrendModel model, boolean settleEarly) {
        this.model = model;
        this.mayFinishEarly = settleEarly;
    }

    @Override
    public void open(OpenContext openContext) {
        items = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("item-trends", Types.LONG, Types.POJO(ItemTrend.class)));
        idle = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("idle-item-trends", Types.LONG, Types.POJO(ItemTrend.class)));
        category = getRuntimeContext()
                .getState(new ValueStateDescriptor<>("category-trend", Types.POJO(CategoryTrendState.class)));
    }

    private SlidingWindows windows() {
        return model.windows;
    }

    @Override
    public void processElement(ItemPaneActivity a, Context ctx, Collector<DemandTrend> out) throws Exception {
        SlidingWindows w = windows();
        CategoryTrendState c = category.value();
        if (c == null) {
            c = new CategoryTrendState();
        }
        // A window evaluates once; data for windows already evaluated cannot change them.
        long firstEnd = Math.max(
                w.firstWindowEnd(a.paneStart),
                c.lastEvaluatedEnd == Long.MIN_VALUE ? Long.MIN_VALUE : c.lastEvaluatedEnd + w.slide());
        if (firstEnd > w.lastWindowEnd(a.paneStart) || a.paneStart <= c.baseline.foldedThrough) {
            return;
        }
        ItemTrend item = items.get(a.itemId);
        if (item == null) {
            item = idle.get(a.itemId);
            if (item != null) {
                idle.remove(a.itemId);
            } else {
                item = new ItemTrend();
            }
        }
        item.panes.add(a);
        item.lastActivePane = Math.max(item.lastActivePane, a.paneStart);
        items.put(a.itemId, item);
        c.totals.add(a);
        c.lastActivePane = Math.max(c.lastActivePane, a.paneStart);
        category.update(c);
        // Possibly behind the watermark already (the window ended, the chain has not reached it):
        // such a timer fires on the next watermark, with its own timestamp.
        ctx.timerService().registerEventTimeTimer(w.purgeTime(firstEnd));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DemandTrend> out) throws Exception {
        CategoryTrendState c = category.value();
        if (c == null) {
            return;
        }
        SlidingWindows w = windows();
        if (timestamp == c.cleanupAt) {
            c.cleanupAt = Long.MIN_VALUE;
            if (!expireIdle(c, timestamp, ctx)) {
                return;
            }
        }
        long end = timestamp + 1 - w.allowedLateness();
        if (!w.isWindowEnd(end) || end <= c.lastEvaluatedEnd) {
            return;
        }
        long nextPane = evaluate(c, end, ctx.getCurrentKey(), ctx, out);
        c.lastEvaluatedEnd = end;
        if (nextPane != Long.MAX_VALUE) {
            long next = Math.max(end + w.slide(), w.firstWindowEnd(nextPane));
            ctx.timerService().registerEventTimeTimer(w.purgeTime(next));
        } else {
            // Quiet: forget idle items once their time-to-live has passed.
            c.cleanupAt = Math.max(timestamp + 1, c.lastActivePane + model.idleTtl);
            ctx.timerService().registerEventTimeTimer(c.cleanupAt);
        }
        category.update(c);
    }

    /** One item's figures in the window being evaluated. */
    private static final class Evaluated {
        final ItemTrend item;
        /** The item's entry in the items state: written back through it, without a second lookup. */
        final Map.Entry<Long, ItemTrend> entry;

        long views;
        long carts;
        long buys;
        Double baseline;
        Double ratio;
        Double z;
        /** The item's tail probability, when it has a test. */
        double p = Double.NaN;
        /** Passes support, effect size and z: trending if also a discovery of its family. */
        boolean candidate;
        /** Finished in pass 1 ({@link #settle}): the window's cut cannot change its state. */
        boolean settled;

        Evaluated(Map.Entry<Long, ItemTrend> entry) {
            this.entry = entry;
            this.item = entry.getValue();
        }

        /** The item's id, read from its boxed key only when a row, an alert or a move needs it. */
        long itemId() {
            return entry.getKey();
        }

        boolean active() {
            return views + carts + buys > 0;
        }
    }

    /** Evaluates the window ending at {@code end}; returns the first pane held for a later window. */
    private long evaluate(
            CategoryTrendState c, long end, long categoryId, OnTimerContext ctx, Collector<DemandTrend> out)
            throws Exception {
        SlidingWindows w = windows();
        long start = end - w.size();
        long recentStart = end - model.recent;
        long foldThrough = end - model.tested() - model.pane();
        Seasonality s = c.seasonality;
        c.baseline.foldThrough(foldThrough, c.totals, model, s, true);
        c.viewerBaseline.foldThrough(foldThrough, c.totals, model, s, false, true);
        c.viewSum().foldThrough(foldThrough, c.totals, false, model);
        c.viewerSum().foldThrough(foldThrough, c.totals, true, model);
        // Decided once per window: the profile may complete while this window's panes are folded.
        boolean seasonal = model.profileReady(s);
        double windowFactors = model.factorSum(s, start, end);
        double recentFactors = model.factorSum(s, recentStart, end);
        long categoryWindowViews = PaneSeries.sum(c.totals, c.totals.views, start, end);
        int spans = model.spans;
        double[] spanFactors = new double[spans];
        long[] categorySpanViewers = new long[spans];
        for (int k = 0; k < spans; k++) {
            long from = end - (k + 1) * model.recent;
            spanFactors[k] = model.factorSum(s, from, end);
            categorySpanViewers[k] = c.totals.paneViewersIn(from, end);
        }
        // Panes before the next window are dropped below; fold them first so none is skipped.
        long nextStart = start + w.slide();
        // When the tested spans and the slide fit in the window (the defaults: 45 min and 5 min of
        // 1 h), the folds through the pane before the next window, after the cut, find every pane
        // folded already. Then an item that cannot trend and has no episode open is finished in
        // pass 1, while its objects are still in the cache: pass 3 revisiting every item's state
        // cost a second round of cache misses per visit.
        boolean settleEarly = mayFinishEarly && nextStart - model.pane() <= foldThrough;
        List<Evaluated> toIdle = new ArrayList<>();

        // Pass 1: every item's figures and test. Items are a family: which are trending is decided
        // over all of them together (Benjamini–Hochberg), so rows wait for the whole pass.
        List<Evaluated> evaluated = new ArrayList<>();
        int tested = 0;
        long nextPane = Long.MAX_VALUE;
        for (Map.Entry<Long, ItemTrend> e : items.entries()) {
            ItemTrend ahead = e.getValue();
            if (ahead.episode == null && ahead.panes.size > 0 && ahead.panes.starts[0] >= end) {
                // Every pane of this item is after the window: an input ran ahead of the watermark,
                // as on a backlog, where a third of the visits were such items. The window would
                // only fold empty panes into its baselines and shares, which the first window that
                // sees a pane of it folds the same way, in the same order; it has no figures, no
                // test, no row and no state change here, and its first pane is what it asks of the
                // next window.
                nextPane = Math.min(nextPane, ahead.panes.starts[0]);
                continue;
            }
            Evaluated ev = new Evaluated(e);
            evaluated.add(ev);
            ItemTrend item = ev.item;
            PaneSeries p = item.panes;
            item.baseline.foldThrough(foldThrough, p, model, s, false);
            item.viewerBaseline.foldThrough(foldThrough, p, model, s, false, true);
            item.viewShare().foldThrough(foldThrough, p, c.totals, c.viewSum(), false, model);
            item.viewerShare().foldThrough(foldThrough, p, c.totals, c.viewerSum(), true, model);
            // The window's views, carts and buys in one pass over the item's panes.
            for (int i = 0; i < p.size; i++) {
                long paneStart = p.starts[i];
                if (paneStart >= start && paneStart < end) {
                    ev.views += p.views[i];
                    ev.carts += p.carts[i];
                    ev.buys += p.buys[i];
                }
            }
            if (!ev.active() || !item.baseline.warm(model)) {
                nextPane = Math.min(nextPane, settle(ev, settleEarly, nextStart, toIdle));
                continue;
            }
            long[] spanViewers = new long[spans];
            p.paneViewersBySpan(end, model.recent, spanViewers);
            TrendModel.ItemTest test;
            if (seasonal) {
                ev.baseline = item.baseline.level * windowFactors;
                ev.ratio = ev.baseline > 0 ? ev.views / ev.baseline : null;
                // The test counts viewers: one user viewing an item ten times is one person.
                double[] expected = new double[spans];
                for (int k = 0; k < spans; k++) {
                    expected[k] = item.viewerBaseline.level * spanFactors[k];
                }
                test = model.seasonal(spanViewers, expected, item.viewerBaseline.relativeVariance());
                // The item must also stand out from its category: a swing of the whole category
                // (or of a night hour that a day of profile has not pinned down) is not an item's
                // trend. Both tests must reject, so the larger tail speaks (intersection-union).
                CategoryShare viewers = item.viewerShare();
                TrendModel.ItemTest guard = model.share(
                        spanViewers,
                        categorySpanViewers,
                        viewers.share(c.viewerSum(), model),
                        viewers.relativeVariance());
                if (test != null && guard != null) {
                    test = test.withTail(Math.max(test.p(), guard.p()));
                }
            } else {
                // Expected views of the window: the item's share of the rest of its category.
                double viewShare = item.viewShare().share(c.viewSum(), model);
                if (viewShare >= 0 && viewShare < TrendModel.MAX_SHARE) {
                    ev.baseline = viewShare / (1 - viewShare) * (categoryWindowViews - ev.views);
                    ev.ratio = ev.baseline > 0 ? ev.views / ev.baseline : null;
                }
                CategoryShare viewers = item.viewerShare();
                test = model.share(
                        spanViewers,
                        categorySpanViewers,
                        viewers.share(c.viewerSum(), model),
                        viewers.relativeVariance());
            }
            if (test != null) {
                ev.z = test.z();
                ev.p = test.p();
                tested++;
                ev.candidate = ev.ratio != null && model.candidate(ev.views, () -> p.viewersIn(start, end), test);
            }
            nextPane = Math.min(nextPane, settle(ev, settleEarly, nextStart, toIdle));
        }

        // Pass 2: the family's Benjamini–Hochberg cut over every tested item.
        double[] pValues = new double[tested];
        int n = 0;
        for (Evaluated ev : evaluated) {
            if (!Double.isNaN(ev.p)) {
                pValues[n++] = ev.p;
            }
        }
        double cut = TrendTail.cut(pValues, n, model.fdr);

        // The shares' category sums move on first: the items' shares fold against them below.
        c.viewSum().foldThrough(nextStart - model.pane(), c.totals, false, model);
        c.viewerSum().foldThrough(nextStart - model.pane(), c.totals, true, model);

        // Pass 3: rows, episodes, state.
        Instant ws = Instant.ofEpochMilli(start);
        Instant we = Instant.ofEpochMilli(end);
        int trendingItems = 0;
        long topItem = Long.MIN_VALUE;
        double topZ = Double.NEGATIVE_INFINITY;
        long activeItems = 0;
        for (Evaluated ev : evaluated) {
            ItemTrend item = ev.item;
            boolean trending = ev.candidate && ev.p <= cut;
            if (ev.active()) {
                activeItems++;
                if (trending) {
                    trendingItems++;
                    if (ev.z > topZ || (ev.z == topZ && ev.itemId() < topItem)) {
                        topZ = ev.z;
                        topItem = ev.itemId();
                    }
                }
                if (trending || ev.views >= model.rowMinViews) {
                    out.collect(new DemandTrend(
                            ws,
                            we,
                            ev.itemId(),
                            categoryId,
                            ev.views,
                            ev.carts,
                            ev.buys,
                            ev.baseline,
                            ev.ratio,
                            ev.z,
                            trending));
                }
                if (trending) {
                    if (item.episode == null) {
                        item.episode = TrendEpisode.start(end, ev.ratio, ev.z, ev.views);
                    } else {
                        item.episode.extend(end, ev.ratio, ev.z, ev.views);
                    }
                    ctx.output(TREND_ALERTS, alert(item.episode, ev.itemId(), categoryId, null));
                }
            }
            if (ev.settled) {
                continue;
            }
            // Every window the item is evaluated in without trending, active or not, ends its episode.
            if (item.episode != null && item.episode.lastWindowEnd != end) {
                ctx.output(TREND_ALERTS, alert(item.episode, ev.itemId(), categoryId, end));
                item.episode = null;
            }
            if (!settleEarly) {
                PaneSeries p = item.panes;
                item.baseline.foldThrough(nextStart - model.pane(), p, model, s, false);
                item.viewerBaseline.foldThrough(nextStart - model.pane(), p, model, s, false, true);
                item.viewShare().foldThrough(nextStart - model.pane(), p, c.totals, c.viewSum(), false, model);
                item.viewerShare().foldThrough(nextStart - model.pane(), p, c.totals, c.viewerSum(), true, model);
            }
            nextPane = Math.min(nextPane, keep(ev, nextStart, toIdle));
        }
        // Out of the items' iteration: moved once it is over.
        for (Evaluated ev : toIdle) {
            Long key = ev.entry.getKey();
            items.remove(key);
            idle.put(key, ev.item);
        }
        if (activeItems > 0) {
            emitCategory(
                    c,
                    categoryId,
                    start,
                    end,
                    windowFactors,
                    recentFactors,
                    activeItems,
                    trendingItems,
                    topItem == Long.MIN_VALUE ? null : topItem,
                    ctx);
        }
        c.baseline.foldThrough(nextStart - model.pane(), c.totals, model, s, true);
        c.viewerBaseline.foldThrough(nextStart - model.pane(), c.totals, model, s, false, true);
        c.totals.retainFrom(nextStart);
        return nextPane;
    }

    /**
     * Finishes an item in pass 1 when {@code settleEarly} and the window's cut cannot change it (not
     * a candidate, so not trending, and no episode open to end): {@link #keep}. Returns the first
     * pane it holds for a later window, or {@link Long#MAX_VALUE} when it is left to pass 3 or holds
     * none.
     */
    private static long settle(Evaluated ev, boolean settleEarly, long nextStart, List<Evaluated> toIdle) {
        if (!settleEarly || ev.candidate || ev.item.episode != null) {
            return Long.MAX_VALUE;
        }
        ev.settled = true;
        return keep(ev, nextStart, toIdle);
    }

    /**
     * An item's state after its last fold of the window: its panes before the next window dropped,
     * then queued in {@code toIdle} when none is left and no episode is open, else written back.
     * Returns its first pane for a later window ({@code nextStart} for an item kept for its episode
     * alone, which the next window ends if quiet), or {@link Long#MAX_VALUE} when queued.
     */
    private static long keep(Evaluated ev, long nextStart, List<Evaluated> toIdle) {
        ItemTrend item = ev.item;
        PaneSeries p = item.panes;
        p.retainFrom(nextStart);
        if (p.size == 0 && item.episode == null) {
            toIdle.add(ev);
            return Long.MAX_VALUE;
        }
        ev.entry.setValue(item);
        return p.size == 0 ? nextStart : p.firstStartFrom(nextStart);
    }

    private static TrendAlert alert(TrendEpisode e, long itemId, long categoryId, Long endedAt) {
        return new TrendAlert(
                itemId,
                categoryId,
                Instant.ofEpochMilli(e.startedAt),
                endedAt == null ? null : Instant.ofEpochMilli(endedAt),
                Instant.ofEpochMilli(e.lastWindowEnd),
                e.peakRatio,
                e.peakZ,
                e.peakViews);
    }

    private void emitCategory(
            CategoryTrendState c,
            long categoryId,
            long start,
            long end,
            double windowFactors,
            double recentFactors,
            long activeItems,
            int trendingItems,
            Long topItem,
            OnTimerContext ctx) {
        PaneSeries t = c.totals;
        long views = PaneSeries.sum(t, t.views, start, end);
        long carts = PaneSeries.sum(t, t.carts, start, end);
        long buys = PaneSeries.sum(t, t.buys, start, end);
        Double baseline = null;
        Double ratio = null;
        Double z = null;
        boolean trending = false;
        if (c.baseline.warm(model)) {
            baseline = c.baseline.level * windowFactors;
            double recentExpected = c.viewerBaseline.level * recentFactors;
            long recentViews = t.paneViewersIn(end - model.recent, end);
            ratio = baseline > 0 ? views / baseline : null;
            z = model.z(recentViews, recentExpected);
            trending = views >= model.minViews
                    && model.profileReady(c.seasonality)
                    && model.trending(views, t.viewersIn(start, end), recentViews, recentExpected);
        }
        ctx.output(
                CATEGORY_TRENDS,
                new CategoryTrend(
                        Instant.ofEpochMilli(start),
                        Instant.ofEpochMilli(end),
                        categoryId,
                        views,
                        carts,
                        buys,
                        activeItems,
                        baseline,
                        ratio,
                        z,
                        trending,
                        trendingItems,
                        topItem));
    }

    /**
     * Forgets items idle for the TTL and schedules the next expiry; clears the category when no
     * item is left. Returns whether the category still has state.
     */
    private boolean expireIdle(CategoryTrendState c, long now, OnTimerContext ctx) throws Exception {
        boolean any = false;
        long nextExpiry = Long.MAX_VALUE;
        for (Iterator<Map.Entry<Long, ItemTrend>> it = idle.iterator(); it.hasNext(); ) {
            ItemTrend item = it.next().getValue();
            if (item.lastActivePane + model.idleTtl <= now) {
                it.remove();
            } else {
                any = true;
                nextExpiry = Math.min(nextExpiry, item.lastActivePane + model.idleTtl);
            }
        }
        for (Iterator<Map.Entry<Long, ItemTrend>> it = items.iterator(); it.hasNext(); ) {
            ItemTrend item = it.next().getValue();
            if (item.panes.size == 0 && item.lastActivePane + model.idleTtl <= now) {
                it.remove();
            } else {
                any = true;
                nextExpiry = Math.min(nextExpiry, item.lastActivePane + model.idleTtl);
            }
        }
        if (!any) {
            items.clear();
            idle.clear();
            category.clear();
            return false;
        }
        c.cleanupAt = Math.max(now + 1, nextExpiry);
        ctx.timerService().registerEventTimeTimer(c.cleanupAt);
        category.update(c);
        return true;
    }
}
