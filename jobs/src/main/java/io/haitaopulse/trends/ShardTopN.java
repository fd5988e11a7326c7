package io.haitaopulse.trends;

import io.haitaopulse.common.SlidingWindows;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Sliding-window Top-N candidates of every scope from one shard of the item space (the key, see
 * {@link TrendsPipeline#shardOf}): the shard's best items overall (scope "all") and per category.
 * Keeps per item the pane counts still needed and, when a window ends, sums each item's panes in
 * the window once and offers the sum to the "all" heap and to its category's, each bounded by N,
 * and emits the heaps as one {@link ShardCandidates} record.
 * Every event was counted once, in its pane; no per-window copies exist. {@link ScopeMerge}
 * merges the shards' candidates into each scope's ranking: exact, because the shards partition
 * the items, so a scope's Top-N is inside the union of the shards' Top-Ns of that scope.
 *
 * <p>One pass per shard serves every scope, where a separate operator keyed by category would
 * scan every live item a second time, shuffle every pane count a second time, and put a whole
 * category on one subtask however few categories there are.
 *
 * <p>Timers: one per window that has data, chained (a firing registers the next window only if a
 * pane falls in it), plus a purge timer when allowed lateness keeps panes after the last window.
 * A pane arriving after its window fired but before it was purged re-fires that window on the
 * next watermark, and the new rows replace the old (hot_items is an upsert table). When a shard
 * goes quiet all its state is gone after the last purge.
 *
 * <p>Candidates are in rank order within the shard; {@link ScopeMerge} ranks them.
 */
public final class ShardTopN extends KeyedProcessFunction<Long, ShardPaneCounts, ShardCandidates> {

    private static final long serialVersionUID = 1L;

    /** Accumulator: pane counts that arrived after all their windows were purged; 0 unless a bug. */
    public static final String DROPPED_AFTER_PURGE = "pulse.hot-items.dropped-after-purge";

    private final SlidingWindows windows;
    private final int topN;

    private transient MapState<Long, ItemPanes> items;
    private transient ValueState<Long> lastFiredEnd;
    private transient LongCounter droppedAfterPurge;

    public ShardTopN(SlidingWindows windows, int topN) {
        this.windows = windows;
        this.topN = topN;
    }

    @Override
    public void open(OpenContext openContext) {
        items = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("item-panes", Types.LONG, Types.POJO(ItemPanes.class)));
        lastFiredEnd = getRuntimeContext().getState(new ValueStateDescriptor<>("last-fired-end", Types.LONG));
        droppedAfterPurge = getRuntimeContext().getLongCounter(DROPPED_AFTER_PURGE);
    }

    /**
     * Adds a batch of pane counts of this shard. The timers a count asks for depend only on its
     * pane and first window, the watermark and the last window fired, and the last two do not move
     * within a batch: counts with the same pane and first window as the one before register none.
     */
    @Override
    public void processElement(ShardPaneCounts batch, Context ctx, Collector<ShardCandidates> out) throws Exception {
        long wm = ctx.timerService().currentWatermark();
        Long fired = lastFiredEnd.value();
        long firedEnd = fired == null ? Long.MIN_VALUE : fired;
        long timersPane = Long.MIN_VALUE;
        long timersFrom = Long.MIN_VALUE;
        for (PaneCount pc : batch.counts) {
            long pane = pc.paneStart;
            long lastEnd = windows.lastWindowEnd(pane);
            if (windows.purgeTime(lastEnd) <= wm) {
                // Cannot happen while lateness is judged behind the exchange that gathers every input
                // (Ingest.gather): such an event goes to late_events there. Counted as an alarm.
                droppedAfterPurge.add(pc.views);
                continue;
            }
            ItemPanes panes = items.get(pc.itemId);
            if (panes == null) {
                panes = new ItemPanes();
            }
            panes.add(pane, pc.views, pc.fromWindowEnd, pc.categoryId);
            items.put(pc.itemId, panes);
            if (pane == timersPane && pc.fromWindowEnd == timersFrom) {
                continue;
            }
            timersPane = pane;
            timersFrom = pc.fromWindowEnd;
            for (long end = windows.firstWindowEnd(pane); end <= lastEnd; end += windows.slide()) {
                if (windows.purgeTime(end) <= wm || end < pc.fromWindowEnd) {
                    continue; // final already (here, or at the views' source); nothing can change it
                }
                ctx.timerService().registerEventTimeTimer(SlidingWindows.fireTime(end));
                if (end > firedEnd) {
                    // The first window not yet fired starts (or joins) the chain; later ones follow it.
                    break;
                }
                // Fired but still accepting data: the timer re-fires it on the next watermark.
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ShardCandidates> out) throws Exception {
        long end = timestamp + 1;
        boolean isEnd = windows.isWindowEnd(end);
        Long fired = lastFiredEnd.value();
        if (isEnd && fired != null && end <= fired) {
            emitWindow(end, out, Long.MIN_VALUE);
            return;
        }
        long nextPane = Long.MAX_VALUE;
        boolean remains;
        if (isEnd) {
            // One pass over the items both ranks this window and drops panes no later window needs.
            nextPane = emitWindow(end, out, windows.minRetainedPaneStart(timestamp));
            lastFiredEnd.update(end);
            remains = nextPane != NOTHING_LEFT;
        } else {
            remains = prune(timestamp);
        }
        if (!remains) {
            items.clear();
            lastFiredEnd.clear();
            return;
        }
        if (isEnd) {
            if (nextPane != Long.MAX_VALUE) {
                // Skip quiet stretches: the next window to fire is the first that holds data.
                long next = Math.max(end + windows.slide(), windows.firstWindowEnd(nextPane));
                ctx.timerService().registerEventTimeTimer(SlidingWindows.fireTime(next));
            } else if (windows.purgeTime(end) > timestamp) {
                // Nothing falls in later windows: free what is left once it can no longer change.
                ctx.timerService().registerEventTimeTimer(windows.purgeTime(end));
            }
        }
    }

    /** {@link #emitWindow}'s answer when pruning left no pane at all. */
    private static final long NOTHING_LEFT = Long.MIN_VALUE;

    /**
     * Emits the Top-N candidates of every scope for the window ending at {@code end} and drops
     * panes starting before {@code minStart} (and items left without panes); returns the first
     * pane start held that belongs to a later window, {@link Long#MAX_VALUE} when none does, or
     * {@link #NOTHING_LEFT}.
     */
    private long emitWindow(long end, Collector<ShardCandidates> out, long minStart) throws Exception {
        long start = end - windows.size();
        long laterFrom = start + windows.slide();
        TopN all = new TopN(topN);
        CategoryHeaps byCategory = new CategoryHeaps(topN);
        long nextPane = Long.MAX_VALUE;
        boolean any = false;
        boolean prune = minStart != Long.MIN_VALUE;
        for (Iterator<Map.Entry<Long, ItemPanes>> it = items.iterator(); it.hasNext(); ) {
            Map.Entry<Long, ItemPanes> e = it.next();
            long item = e.getKey();
            ItemPanes p = e.getValue();
            // Read before the window step, which may drop the panes that made the item mixed.
            boolean mixed = p.mixed();
            long category = p.category;
            if (mixed) {
                for (long[] s : p.sumByCategory(start, end)) {
                    byCategory.of(s[0]).offer(item, s[1]);
                }
            }
            long views = prune ? p.sumThenRetain(start, end, minStart) : p.sum(start, end);
            if (views > 0) {
                all.offer(item, views);
                if (!mixed) {
                    byCategory.of(category).offer(item, views);
                }
            }
            if (prune) {
                if (p.size == 0) {
                    it.remove();
                    continue;
                }
                e.setValue(p);
            }
            any = true;
            nextPane = Math.min(nextPane, p.minStartFrom(laterFrom));
        }
        long[][] allBest = all.drainBestFirst();
        if (allBest.length > 0) {
            out.collect(byCategory.candidates(end, allBest));
        }
        return any ? nextPane : NOTHING_LEFT;
    }

    /**
     * One bounded heap per category seen in a window step; emitted in category order. Found by an
     * open-addressing table of category ids, so that an offer boxes nothing (every item with views
     * is offered to its category's heap).
     */
    private static final class CategoryHeaps {
        private final int topN;
        private long[] ids = new long[16];
        private TopN[] heaps = new TopN[16];
        private int size;

        CategoryHeaps(int topN) {
            this.topN = topN;
        }

        TopN of(long category) {
            int i = slot(category, ids, heaps);
            if (heaps[i] == null) {
                ids[i] = category;
                heaps[i] = new TopN(topN);
                if (2 * ++size > heaps.length) {
                    grow();
                }
                i = slot(category, ids, heaps);
            }
            return heaps[i];
        }

        /** The slot holding {@code category} in the table, or the empty slot where it would go. */
        private static int slot(long category, long[] ids, TopN[] heaps) {
            int mask = heaps.length - 1;
            int i = (int) ((category * 0x9E3779B97F4A7C15L) >>> 32) & mask;
            while (heaps[i] != null && ids[i] != category) {
                i = (i + 1) & mask;
            }
            return i;
        }

        private void grow() {
            long[] oldIds = ids;
            TopN[] oldHeaps = heaps;
            ids = new long[oldIds.length * 2];
            heaps = new TopN[oldHeaps.length * 2];
            for (int j = 0; j < oldHeaps.length; j++) {
                if (oldHeaps[j] != null) {
                    int i = slot(oldIds[j], ids, heaps);
                    ids[i] = oldIds[j];
                    heaps[i] = oldHeaps[j];
                }
            }
        }

        /** The shard's candidates: {@code allBest} for "all", then every category's, by category id. */
        ShardCandidates candidates(long end, long[][] allBest) {
            // Once per firing, off the offers' path: a sorted map gives the category order.
            TreeMap<Long, TopN> byId = new TreeMap<>();
            for (int i = 0; i < heaps.length; i++) {
                if (heaps[i] != null) {
                    byId.put(ids[i], heaps[i]);
                }
            }
            List<long[]> best = new ArrayList<>();
            List<Long> categoryOf = new ArrayList<>();
            for (Map.Entry<Long, TopN> e : byId.entrySet()) {
                for (long[] b : e.getValue().drainBestFirst()) {
                    best.add(b);
                    categoryOf.add(e.getKey());
                }
            }
            long[] categoryIds = categoryOf.stream().mapToLong(Long::longValue).toArray();
            return new ShardCandidates(end, allBest, categoryIds, best.toArray(new long[0][]));
        }
    }

    /** Drops panes no window can use after event time {@code time}; returns whether state remains. */
    private boolean prune(long time) throws Exception {
        long minStart = windows.minRetainedPaneStart(time);
        boolean any = false;
        for (Iterator<Map.Entry<Long, ItemPanes>> it = items.iterator(); it.hasNext(); ) {
            Map.Entry<Long, ItemPanes> e = it.next();
            ItemPanes p = e.getValue();
            if (p.retainFrom(minStart)) {
                e.setValue(p);
                any = true;
            } else {
                it.remove();
            }
        }
        return any;
    }
}
