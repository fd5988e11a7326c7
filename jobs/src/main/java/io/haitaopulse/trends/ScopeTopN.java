package io.haitaopulse.trends;

import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.schema.HotItem;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
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
 * Sliding-window Top-N of one scope, keyed by the scope: a category id, or a shard of the item
 * space for the global ranking. Keeps per item the pane counts still needed and, when a window
 * ends, sums each item's panes in the window and selects the Top-N with a bounded heap. Every
 * event was counted once, in its pane; no per-window copies exist.
 *
 * <p>Timers: one per window that has data, chained (a firing registers the next window only if a
 * pane falls in it), plus a purge timer when allowed lateness keeps panes after the last window.
 * A pane arriving after its window fired but before it was purged re-fires that window on the
 * next watermark, and the new rows replace the old (hot_items is an upsert table). When a scope
 * goes quiet all its state is gone after the last purge.
 *
 * <p>Output rows carry {@code scope} as given at construction or the category id; in the
 * sharded global mode ranks are within the shard and {@link AllScopeMerge} re-ranks them.
 */
public final class ScopeTopN extends KeyedProcessFunction<Long, PaneCount, HotItem> {

    private static final long serialVersionUID = 1L;

    /** Accumulator: pane counts that arrived after all their windows were purged; 0 unless a bug. */
    public static final String DROPPED_AFTER_PURGE = "pulse.hot-items.dropped-after-purge";

    /** Scope naming of the output rows. */
    public enum Mode {
        /** Keyed by category id; rows have {@code scope} = the category id. */
        CATEGORY,
        /** Keyed by a shard of item ids; rows have {@code scope} = "all" and shard-local ranks. */
        ALL_SHARD
    }

    private final SlidingWindows windows;
    private final int topN;
    private final Mode mode;

    private transient MapState<Long, ItemPanes> items;
    private transient ValueState<Long> lastFiredEnd;
    private transient LongCounter droppedAfterPurge;

    public ScopeTopN(SlidingWindows windows, int topN, Mode mode) {
        this.windows = windows;
        this.topN = topN;
        this.mode = mode;
    }

    @Override
    public void open(OpenContext openContext) {
        items = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("item-panes", Types.LONG, Types.POJO(ItemPanes.class)));
        lastFiredEnd = getRuntimeContext().getState(new ValueStateDescriptor<>("last-fired-end", Types.LONG));
        droppedAfterPurge = getRuntimeContext().getLongCounter(DROPPED_AFTER_PURGE);
    }

    @Override
    public void processElement(PaneCount pc, Context ctx, Collector<HotItem> out) throws Exception {
        long wm = ctx.timerService().currentWatermark();
        long pane = pc.paneStart;
        long lastEnd = windows.lastWindowEnd(pane);
        if (windows.purgeTime(lastEnd) <= wm) {
            // Cannot happen while lateness is judged behind the exchange that gathers every input
            // (Ingest.gather): such an event goes to late_events there. Counted as an alarm.
            droppedAfterPurge.add(pc.views);
            return;
        }
        ItemPanes panes = items.get(pc.itemId);
        if (panes == null) {
            panes = new ItemPanes();
        }
        panes.add(pane, pc.views, pc.fromWindowEnd);
        items.put(pc.itemId, panes);

        Long fired = lastFiredEnd.value();
        long firedEnd = fired == null ? Long.MIN_VALUE : fired;
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

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<HotItem> out) throws Exception {
        long end = timestamp + 1;
        boolean isEnd = windows.isWindowEnd(end);
        Long fired = lastFiredEnd.value();
        if (isEnd && fired != null && end <= fired) {
            emitWindow(end, ctx.getCurrentKey(), out, Long.MIN_VALUE);
            return;
        }
        long nextPane = Long.MAX_VALUE;
        boolean remains;
        if (isEnd) {
            // One pass over the items both ranks this window and drops panes no later window needs.
            nextPane = emitWindow(end, ctx.getCurrentKey(), out, windows.minRetainedPaneStart(timestamp));
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
     * Emits the Top-N of the window ending at {@code end} and drops panes starting before
     * {@code minStart} (and items left without panes); returns the first pane start held that
     * belongs to a later window, {@link Long#MAX_VALUE} when none does, or {@link #NOTHING_LEFT}.
     */
    private long emitWindow(long end, long key, Collector<HotItem> out, long minStart) throws Exception {
        long start = end - windows.size();
        long laterFrom = start + windows.slide();
        TopN top = new TopN(topN);
        long nextPane = Long.MAX_VALUE;
        boolean any = false;
        for (Iterator<Map.Entry<Long, ItemPanes>> it = items.iterator(); it.hasNext(); ) {
            Map.Entry<Long, ItemPanes> e = it.next();
            ItemPanes p = e.getValue();
            boolean prune = minStart != Long.MIN_VALUE;
            long views = prune ? p.sumThenRetain(start, end, minStart) : p.sum(start, end);
            if (views > 0) {
                top.offer(e.getKey(), views);
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
        String scope = mode == Mode.CATEGORY ? Long.toString(key) : "all";
        long[][] best = top.drainBestFirst();
        for (int i = 0; i < best.length; i++) {
            out.collect(new HotItem(
                    Instant.ofEpochMilli(start), Instant.ofEpochMilli(end), scope, i + 1, best[i][0], best[i][1]));
        }
        return any ? nextPane : NOTHING_LEFT;
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
