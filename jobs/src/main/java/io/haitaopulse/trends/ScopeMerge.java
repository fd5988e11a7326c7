package io.haitaopulse.trends;

import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.schema.HotItem;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Merges the shards' Top-N candidates of one window (keyed by window end) into the Top-N of every
 * scope: "all" and each category. Exact: shards partition the items, so a scope's Top-N is inside
 * the union of the shards' Top-Ns of that scope. A re-fired shard sends new counts for its items;
 * counts only grow, so keeping the largest count seen per item and scope stays exact, and the
 * re-fire emits every scope's rows again (hot_items is an upsert table). State is dropped when
 * the window is purged.
 */
public final class ScopeMerge extends KeyedProcessFunction<Long, ShardCandidates, HotItem> {

    private static final long serialVersionUID = 1L;

    private final SlidingWindows windows;
    private final int topN;
    /** Scope "all": item → views. */
    private transient MapState<Long, Long> all;
    /** Per category: (category, item) → views. */
    private transient MapState<Tuple2<Long, Long>, Long> byCategory;

    public ScopeMerge(SlidingWindows windows, int topN) {
        this.windows = windows;
        this.topN = topN;
    }

    @Override
    public void open(OpenContext openContext) {
        all = getRuntimeContext().getMapState(new MapStateDescriptor<>("all-views", Types.LONG, Types.LONG));
        byCategory = getRuntimeContext()
                .getMapState(
                        new MapStateDescriptor<>("category-views", Types.TUPLE(Types.LONG, Types.LONG), Types.LONG));
    }

    @Override
    public void processElement(ShardCandidates c, Context ctx, Collector<HotItem> out) throws Exception {
        long end = ctx.getCurrentKey();
        for (int i = 0; i < c.allItems.length; i++) {
            Long seen = all.get(c.allItems[i]);
            if (seen == null || c.allViews[i] > seen) {
                all.put(c.allItems[i], c.allViews[i]);
            }
        }
        for (int i = 0; i < c.categoryItems.length; i++) {
            Tuple2<Long, Long> key = Tuple2.of(c.categoryIds[i], c.categoryItems[i]);
            Long seen = byCategory.get(key);
            if (seen == null || c.categoryViews[i] > seen) {
                byCategory.put(key, c.categoryViews[i]);
            }
        }
        // Before the window fired this is its firing; after, a re-fire on the next watermark.
        ctx.timerService().registerEventTimeTimer(SlidingWindows.fireTime(end));
        ctx.timerService().registerEventTimeTimer(windows.purgeTime(end));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<HotItem> out) throws Exception {
        long end = ctx.getCurrentKey();
        if (timestamp == SlidingWindows.fireTime(end)) {
            Instant start = Instant.ofEpochMilli(end - windows.size());
            Instant we = Instant.ofEpochMilli(end);
            TopN top = new TopN(topN);
            for (Map.Entry<Long, Long> e : all.entries()) {
                top.offer(e.getKey(), e.getValue());
            }
            emit(top, "all", start, we, out);
            Map<Long, TopN> categories = new TreeMap<>();
            for (Map.Entry<Tuple2<Long, Long>, Long> e : byCategory.entries()) {
                categories.computeIfAbsent(e.getKey().f0, c -> new TopN(topN)).offer(e.getKey().f1, e.getValue());
            }
            for (Map.Entry<Long, TopN> e : categories.entrySet()) {
                emit(e.getValue(), Long.toString(e.getKey()), start, we, out);
            }
        }
        if (timestamp >= windows.purgeTime(end)) {
            all.clear();
            byCategory.clear();
        }
    }

    private static void emit(TopN top, String scope, Instant start, Instant end, Collector<HotItem> out) {
        long[][] best = top.drainBestFirst();
        for (int i = 0; i < best.length; i++) {
            out.collect(new HotItem(start, end, scope, i + 1, best[i][0], best[i][1]));
        }
    }
}
