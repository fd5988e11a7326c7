package io.haitaopulse.trends;

import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.schema.HotItem;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Merges the per-shard Top-N candidates of one window (keyed by window end) into the global
 * Top-N with scope "all". Exact: shards partition the items, so the global Top-N is inside the
 * union of the shard Top-Ns. A re-fired shard sends new counts for its items; counts only grow,
 * so keeping the largest count seen per item stays exact. State is dropped when the window is
 * purged.
 */
public final class AllScopeMerge extends KeyedProcessFunction<Long, HotItem, HotItem> {

    private static final long serialVersionUID = 1L;

    private final SlidingWindows windows;
    private final int topN;
    private transient MapState<Long, Long> views;

    public AllScopeMerge(SlidingWindows windows, int topN) {
        this.windows = windows;
        this.topN = topN;
    }

    @Override
    public void open(OpenContext openContext) {
        views = getRuntimeContext().getMapState(new MapStateDescriptor<>("candidate-views", Types.LONG, Types.LONG));
    }

    @Override
    public void processElement(HotItem candidate, Context ctx, Collector<HotItem> out) throws Exception {
        long end = ctx.getCurrentKey();
        Long seen = views.get(candidate.getItemId());
        if (seen == null || candidate.getViews() > seen) {
            views.put(candidate.getItemId(), candidate.getViews());
        }
        // Before the window fired this is its firing; after, a re-fire on the next watermark.
        ctx.timerService().registerEventTimeTimer(SlidingWindows.fireTime(end));
        ctx.timerService().registerEventTimeTimer(windows.purgeTime(end));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<HotItem> out) throws Exception {
        long end = ctx.getCurrentKey();
        if (timestamp == SlidingWindows.fireTime(end)) {
            TopN top = new TopN(topN);
            for (Map.Entry<Long, Long> e : views.entries()) {
                top.offer(e.getKey(), e.getValue());
            }
            long[][] best = top.drainBestFirst();
            Instant start = Instant.ofEpochMilli(end - windows.size());
            for (int i = 0; i < best.length; i++) {
                out.collect(new HotItem(start, Instant.ofEpochMilli(end), "all", i + 1, best[i][0], best[i][1]));
            }
        }
        if (timestamp >= windows.purgeTime(end)) {
            views.clear();
        }
    }
}
