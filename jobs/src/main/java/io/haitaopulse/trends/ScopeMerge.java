package io.haitaopulse.trends;

import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.schema.HotItem;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
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
 *
 * <p>The shards' records are kept as they came, one list append each, and merged when the window
 * fires: a shard sends its candidates once per window (again only on a re-fire), so merging into
 * maps as they arrive cost a state lookup and update per candidate, about twice the firing's work.
 * Savepoints of the earlier layout (a map per scope, merged on arrival) restore into the same
 * operator, and their merged counts take part in the firing.
 */
public final class ScopeMerge extends KeyedProcessFunction<Long, ShardCandidates, HotItem> {

    private static final long serialVersionUID = 1L;

    private final SlidingWindows windows;
    private final int topN;
    /** Every shard record of the window, as it came. */
    private transient ListState<ShardCandidates> received;
    /** Scope "all": item → views, merged on arrival; only in state restored from the earlier layout. */
    private transient MapState<Long, Long> all;
    /** Per category: (category, item) → views; only in state restored from the earlier layout. */
    private transient MapState<Tuple2<Long, Long>, Long> byCategory;

    public ScopeMerge(SlidingWindows windows, int topN) {
        this.windows = windows;
        this.topN = topN;
    }

    @Override
    public void open(OpenContext openContext) {
        received = getRuntimeContext()
                .getListState(new ListStateDescriptor<>("shard-candidates", Types.POJO(ShardCandidates.class)));
        all = getRuntimeContext().getMapState(new MapStateDescriptor<>("all-views", Types.LONG, Types.LONG));
        byCategory = getRuntimeContext()
                .getMapState(
                        new MapStateDescriptor<>("category-views", Types.TUPLE(Types.LONG, Types.LONG), Types.LONG));
    }

    @Override
    public void processElement(ShardCandidates c, Context ctx, Collector<HotItem> out) throws Exception {
        long end = ctx.getCurrentKey();
        received.add(c);
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
            // The largest count per item and scope: a re-fired shard's counts only grow.
            Map<Long, Long> allViews = new HashMap<>();
            Map<Long, Map<Long, Long>> categoryViews = new TreeMap<>();
            for (ShardCandidates c : received.get()) {
                for (int i = 0; i < c.allItems.length; i++) {
                    allViews.merge(c.allItems[i], c.allViews[i], Math::max);
                }
                for (int i = 0; i < c.categoryItems.length; i++) {
                    categoryViews
                            .computeIfAbsent(c.categoryIds[i], k -> new HashMap<>())
                            .merge(c.categoryItems[i], c.categoryViews[i], Math::max);
                }
            }
            for (Map.Entry<Long, Long> e : all.entries()) {
                allViews.merge(e.getKey(), e.getValue(), Math::max);
            }
            for (Map.Entry<Tuple2<Long, Long>, Long> e : byCategory.entries()) {
                categoryViews
                        .computeIfAbsent(e.getKey().f0, k -> new HashMap<>())
                        .merge(e.getKey().f1, e.getValue(), Math::max);
            }
            emit(allViews, "all", start, we, out);
            for (Map.Entry<Long, Map<Long, Long>> e : categoryViews.entrySet()) {
                emit(e.getValue(), Long.toString(e.getKey()), start, we, out);
            }
        }
        if (timestamp >= windows.purgeTime(end)) {
            received.clear();
            all.clear();
            byCategory.clear();
        }
    }

    private void emit(Map<Long, Long> views, String scope, Instant start, Instant end, Collector<HotItem> out) {
        TopN top = new TopN(topN);
        for (Map.Entry<Long, Long> e : views.entrySet()) {
            top.offer(e.getKey(), e.getValue());
        }
        long[][] best = top.drainBestFirst();
        for (int i = 0; i < best.length; i++) {
            out.collect(new HotItem(start, end, scope, i + 1, best[i][0], best[i][1]));
        }
    }
}
