package io.haitaopulse.bench;

import io.haitaopulse.common.PulseOptions;
import io.haitaopulse.live.Topics;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.internal.Ingested;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Hot items the way the classic Flink course teaches it (the "UserBehaviorAnalysis" HotItems
 * job): filter page views into a POJO, {@code keyBy(item)}, {@link SlidingEventTimeWindows} with
 * an incremental count and a window function that tags the count with its window end, then
 * {@code keyBy(window end)} and a {@link KeyedProcessFunction} that buffers the counts in
 * {@link ListState} and sorts them on a timer at the window end. As ours, it ranks globally and
 * per category (second Top-N keyed by category and window end), most views first, ties by the
 * smaller item id.
 */
public final class ClassicHotItems implements BenchCase {

    @Override
    public String name() {
        return "hot_items_classic";
    }

    @Override
    public String description() {
        return "DataStream course approach: SlidingEventTimeWindows count + ListState Top-N";
    }

    @Override
    public List<Topics.Input<?>> inputs() {
        return List.of(Topics.CLICKS);
    }

    /** A page view, as the course's UserBehavior POJO. */
    public static class UserBehavior {
        public String userId;
        public long itemId;
        public long categoryId;
        public long timestamp;

        public UserBehavior() {}

        UserBehavior(String userId, long itemId, long categoryId, long timestamp) {
            this.userId = userId;
            this.itemId = itemId;
            this.categoryId = categoryId;
            this.timestamp = timestamp;
        }
    }

    /** Views of one item in one window, as the course's ItemViewCount POJO. */
    public static class ItemViewCount {
        public long itemId;
        public long categoryId;
        public long windowEnd;
        public long viewCount;

        public ItemViewCount() {}

        ItemViewCount(long itemId, long categoryId, long windowEnd, long viewCount) {
            this.itemId = itemId;
            this.categoryId = categoryId;
            this.windowEnd = windowEnd;
            this.viewCount = viewCount;
        }
    }

    @Override
    public void build(Inputs in, String collectId) {
        Configuration conf = in.jobConf();
        int top = conf.get(PulseOptions.TOP);
        DataStream<Ingested> clicks = in.source(Topics.CLICKS);
        DataStream<UserBehavior> views = clicks.flatMap(
                        (Ingested e, Collector<UserBehavior> out) -> {
                            if (e.getBody() instanceof Click c && c.getAction() == ClickAction.VIEW) {
                                out.collect(new UserBehavior(
                                        c.getUserId(),
                                        c.getItemId(),
                                        c.getCategoryId(),
                                        c.getTs().toEpochMilli()));
                            }
                        },
                        Types.POJO(UserBehavior.class))
                .name("page-views");
        DataStream<ItemViewCount> counts = views.keyBy(v -> v.itemId, Types.LONG)
                .window(SlidingEventTimeWindows.of(conf.get(PulseOptions.WINDOW), conf.get(PulseOptions.SLIDE)))
                .aggregate(
                        new CountAgg(),
                        new WindowResult(),
                        PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO,
                        PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO,
                        Types.POJO(ItemViewCount.class))
                .name("classic-window-count")
                .uid("classic-window-count");
        DataStream<HotRow> global = counts.keyBy(c -> c.windowEnd, Types.LONG)
                .process(new TopNHotItems<Long>(top, false), Outputs.hotRowType())
                .name("classic-top-n-all")
                .uid("classic-top-n-all");
        DataStream<HotRow> perCategory = counts.keyBy(
                        c -> Tuple2.of(c.categoryId, c.windowEnd), Types.TUPLE(Types.LONG, Types.LONG))
                .process(new TopNHotItems<Tuple2<Long, Long>>(top, true), Outputs.hotRowType())
                .name("classic-top-n-category")
                .uid("classic-top-n-category");
        DataStream<HotRow> rows = global.union(perCategory);
        if (collectId != null) {
            Outputs.collect(rows, collectId);
        } else {
            Outputs.discard(rows, "hot_items");
        }
    }

    /** Counts views; accumulator and result also carry the item's category: {count, category}. */
    static final class CountAgg implements AggregateFunction<UserBehavior, long[], long[]> {
        private static final long serialVersionUID = 1L;

        @Override
        public long[] createAccumulator() {
            return new long[2];
        }

        @Override
        public long[] add(UserBehavior value, long[] acc) {
            acc[0]++;
            acc[1] = value.categoryId;
            return acc;
        }

        @Override
        public long[] getResult(long[] acc) {
            return acc;
        }

        @Override
        public long[] merge(long[] a, long[] b) {
            return new long[] {a[0] + b[0], a[1] != 0 ? a[1] : b[1]};
        }
    }

    /** Tags the count with its window end. */
    static final class WindowResult extends ProcessWindowFunction<long[], ItemViewCount, Long, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(Long item, Context ctx, Iterable<long[]> counts, Collector<ItemViewCount> out) {
            long[] c = counts.iterator().next();
            out.collect(new ItemViewCount(item, c[1], ctx.window().getEnd(), c[0]));
        }
    }

    /** Buffers the counts of one window (and category) in ListState; sorts them when the window has ended. */
    static final class TopNHotItems<K> extends KeyedProcessFunction<K, ItemViewCount, HotRow> {
        private static final long serialVersionUID = 1L;
        private final int topSize;
        private final boolean perCategory;
        private transient ListState<ItemViewCount> itemState;

        TopNHotItems(int topSize, boolean perCategory) {
            this.topSize = topSize;
            this.perCategory = perCategory;
        }

        @Override
        public void open(OpenContext openContext) {
            itemState = getRuntimeContext()
                    .getListState(new ListStateDescriptor<>("item-state", TypeInformation.of(ItemViewCount.class)));
        }

        @Override
        public void processElement(ItemViewCount value, Context ctx, Collector<HotRow> out) throws Exception {
            itemState.add(value);
            ctx.timerService().registerEventTimeTimer(value.windowEnd + 1);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<HotRow> out) throws Exception {
            List<ItemViewCount> all = new ArrayList<>();
            for (ItemViewCount c : itemState.get()) {
                all.add(c);
            }
            itemState.clear();
            all.sort((a, b) -> a.viewCount != b.viewCount
                    ? Long.compare(b.viewCount, a.viewCount)
                    : Long.compare(a.itemId, b.itemId));
            for (int i = 0; i < Math.min(topSize, all.size()); i++) {
                ItemViewCount c = all.get(i);
                out.collect(new HotRow(
                        c.windowEnd, perCategory ? Long.toString(c.categoryId) : "all", i + 1, c.itemId, c.viewCount));
            }
        }
    }
}
