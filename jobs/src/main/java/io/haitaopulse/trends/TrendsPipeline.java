package io.haitaopulse.trends;

import io.haitaopulse.common.PulseJob;
import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.io.Ingest;
import io.haitaopulse.io.OutputTable;
import io.haitaopulse.io.TableSinks;
import io.haitaopulse.schema.DemandTrend;
import io.haitaopulse.schema.HotItem;
import io.haitaopulse.schema.LateEvent;
import io.haitaopulse.schema.internal.Ingested;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The {@code trends} job for buying teams: hot items (sliding-window Top-N of VIEW clicks,
 * globally and per category), demand trends (which items and categories are taking off) and trend
 * alerts (each item's trending episodes, as they open, extend and end).
 *
 * <pre>
 * sources ─ bot filter (all inputs, keyed by user) ─ route ─┬─ ViewPaneAggregator     (chained: views per item, category, pane)
 *                                                          │    └─ keyBy(item shard) ─ ShardTopN ─ keyBy(window_end) ─ ScopeMerge ─ hot_items
 *                                                          └─ ActivityPaneAggregator (chained: views, viewers, carts, buys per item, category, pane)
 *                                                               └─ keyBy(category)   ─ CategoryTrends ─ demand_trends, category_trends, trend_alerts
 * </pre>
 *
 * Every ranking (global and per category) is computed in {@value #ALL_SHARDS} shards of the item space
 * ({@link #shardOf}), one pass per shard for all scopes, so that no single subtask sees every item
 * or a whole category; {@link ScopeMerge} merges the shards' Top-Ns per scope.
 */
public final class TrendsPipeline implements PulseJob {

    /** Job name. */
    public static final String NAME = "trends";

    /** Shards of the item space for the rankings; a few per subtask balances the load. */
    static final int ALL_SHARDS = 32;

    private final SlidingWindows windows;
    private final int top;
    private final TrendModel trendModel;

    /** Builds the job from its validated settings. */
    public TrendsPipeline(TrendSettings settings) {
        this.windows = settings.pulse().windows();
        this.top = settings.pulse().top();
        this.trendModel = new TrendModel(settings);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<OutputTable<?>> tables() {
        return List.of(
                OutputTable.HOT_ITEMS,
                OutputTable.DEMAND_TRENDS,
                OutputTable.CATEGORY_TRENDS,
                OutputTable.TREND_ALERTS);
    }

    @Override
    public List<OutputTable<?>> referenceTables() {
        return List.of(OutputTable.ITEMS);
    }

    @Override
    public DataStream<LateEvent> build(DataStream<Ingested> events, boolean byUser, TableSinks sinks) {
        Ingest.Routed routed = Ingest.route(events, PaneAggregator.lateness(windows), NAME);
        sinks.write(OutputTable.HOT_ITEMS, hotItems(routed.events(), windows, top));

        DataStream<Ingested> in = routed.events();
        // The exchange's type, not state's: CategoryTrends keeps its own POJO state types.
        DataStream<ItemPaneActivity> activity = in.transform(
                        "trends-pane-activity",
                        PaneExchangeType.ITEM_PANE_ACTIVITY,
                        new ActivityPaneAggregator(windows))
                .uid("trends-pane-activity")
                .setParallelism(in.getParallelism());
        SingleOutputStreamOperator<DemandTrend> trends = activity.keyBy(a -> a.categoryId, Types.LONG)
                .process(new CategoryTrends(trendModel), new AvroTypeInfo<>(DemandTrend.class))
                .name("demand-trends")
                .uid("demand-trends");
        sinks.write(OutputTable.DEMAND_TRENDS, trends);
        sinks.write(OutputTable.CATEGORY_TRENDS, trends.getSideOutput(CategoryTrends.CATEGORY_TRENDS));
        // An episode's rows all come from the subtask of its category, in order: a sink that keeps
        // the order of its input (every one does) ends with the episode's newest row per key.
        sinks.write(OutputTable.TREND_ALERTS, trends.getSideOutput(CategoryTrends.TREND_ALERTS));
        return routed.late();
    }

    /**
     * The shard of the global ranking that holds {@code itemId}: Fibonacci hashing of the id, modulo
     * {@value #ALL_SHARDS}. The items of one shard then differ in their low bits, which the shard's
     * per-item hash map indexes by; a plain {@code itemId % ALL_SHARDS} would give every item of a
     * shard the same five low bits and crowd them into 1/32 of the buckets.
     */
    static long shardOf(long itemId) {
        // Fibonacci hashing: the high half of the product mixes every bit of the id.
        return Long.remainderUnsigned((itemId * 0x9E3779B97F4A7C15L) >>> 32, ALL_SHARDS);
    }

    /**
     * The hot-items half of this job alone (same routing, same operators, no demand trends), for
     * the benchmark's {@code hot_items_pulse}.
     */
    public static PulseJob hotItemsOnly(TrendSettings settings) {
        TrendsPipeline full = new TrendsPipeline(settings);
        return new PulseJob() {
            @Override
            public String name() {
                return NAME;
            }

            @Override
            public List<OutputTable<?>> tables() {
                return List.of(OutputTable.HOT_ITEMS);
            }

            @Override
            public DataStream<LateEvent> build(DataStream<Ingested> events, boolean byUser, TableSinks sinks) {
                Ingest.Routed routed = Ingest.route(events, PaneAggregator.lateness(full.windows), NAME);
                sinks.write(OutputTable.HOT_ITEMS, hotItems(routed.events(), full.windows, full.top));
                return routed.late();
            }
        };
    }

    /**
     * The hot_items rows (per category and scope "all") of {@code events}, already routed by
     * {@link PaneAggregator#lateness}. Exposed on its own so that the benchmark can run
     * hot items without demand trends.
     */
    public static DataStream<HotItem> hotItems(DataStream<Ingested> events, SlidingWindows windows, int top) {
        // The exchange's type, not state's: ShardTopN keeps its own POJO state types.
        DataStream<ShardPaneCounts> panes = events.transform(
                        "hot-items-pane-counts", PaneExchangeType.SHARD_PANE_COUNTS, new ViewPaneAggregator(windows))
                .uid("hot-items-pane-counts")
                .setParallelism(events.getParallelism());
        return panes.keyBy(batch -> batch.shard, Types.LONG)
                .process(new ShardTopN(windows, top), Types.POJO(ShardCandidates.class))
                .name("hot-items-shard-top-n")
                // v3: one pass serves every scope (categories too); v2 state holds no categories.
                .uid("hot-items-shard-top-n-v3")
                .keyBy(c -> c.windowEnd, Types.LONG)
                .process(new ScopeMerge(windows, top), new AvroTypeInfo<>(HotItem.class))
                .name("hot-items-top-n")
                .uid("hot-items-top-n");
    }
}
