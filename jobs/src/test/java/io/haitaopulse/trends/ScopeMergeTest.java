package io.haitaopulse.trends;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.schema.HotItem;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

class ScopeMergeTest {

    /** A shard's candidates for the window ending at 10: "all" as {item, views} pairs, then per category {category, item, views}. */
    private static ShardCandidates candidates(long[][] all, long[]... categories) {
        long[][] best = new long[categories.length][];
        long[] ids = new long[categories.length];
        for (int i = 0; i < categories.length; i++) {
            ids[i] = categories[i][0];
            best[i] = new long[] {categories[i][1], categories[i][2]};
        }
        return new ShardCandidates(10, all, ids, best);
    }

    private static KeyedOneInputStreamOperatorTestHarness<Long, ShardCandidates, HotItem> harness(long allowedLateness)
            throws Exception {
        return harness(allowedLateness, null);
    }

    /** A harness of the current version, restored from {@code savepoint} when it is not null. */
    private static KeyedOneInputStreamOperatorTestHarness<Long, ShardCandidates, HotItem> harness(
            long allowedLateness, OperatorSubtaskState savepoint) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<Long, ShardCandidates, HotItem>(
                new KeyedProcessOperator<>(new ScopeMerge(new SlidingWindows(10, 5, allowedLateness), 3)),
                c -> c.windowEnd,
                Types.LONG);
        if (savepoint != null) {
            h.initializeState(savepoint);
        }
        h.open();
        return h;
    }

    /** The rows of shard A's and shard B's candidates below, whichever version received them. */
    private static final String[] BOTH_SHARDS = {
        "all 1:1=5", "all 2:3=4", "all 3:2=3", "7 1:2=3", "7 2:4=3", "7 3:3=1", "8 1:1=5"
    };

    private static List<String> ranked(KeyedOneInputStreamOperatorTestHarness<?, ShardCandidates, HotItem> h) {
        return h.extractOutputValues().stream()
                .map(r -> r.getScope() + " " + r.getRank() + ":" + r.getItemId() + "=" + r.getViews())
                .toList();
    }

    @Test
    void mergesShardCandidatesIntoEachScopesTopNAndForgetsTheWindow() throws Exception {
        var h = harness(0);
        // Shard A's top 2 of "all" and of categories 7 and 8, then shard B's.
        h.processElement(candidates(new long[][] {{1, 5}, {2, 3}}, new long[] {7, 2, 3}, new long[] {8, 1, 5}), 0);
        h.processElement(candidates(new long[][] {{3, 4}, {4, 3}}, new long[] {7, 4, 3}, new long[] {7, 3, 1}), 0);
        h.processWatermark(9);
        assertThat(ranked(h)).containsExactly(BOTH_SHARDS);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void aRefiredShardsLargerCountsReplaceTheRowsUntilThePurge() throws Exception {
        var h = harness(5);
        h.processElement(candidates(new long[][] {{1, 5}, {2, 3}}, new long[] {7, 1, 5}, new long[] {7, 2, 3}), 0);
        h.processWatermark(9);
        assertThat(ranked(h)).containsExactly("all 1:1=5", "all 2:2=3", "7 1:1=5", "7 2:2=3");
        h.getOutput().clear();
        // A late pane re-fired the shard: item 2 now has 6 views in the window.
        h.processElement(candidates(new long[][] {{2, 6}, {1, 5}}, new long[] {7, 2, 6}, new long[] {7, 1, 5}), 0);
        h.processWatermark(10);
        assertThat(ranked(h)).containsExactly("all 1:2=6", "all 2:1=5", "7 1:2=6", "7 2:1=5");
        h.processWatermark(14);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void aSavepointOfTheEarlierLayoutMergesWithWhatArrivesAfterIt() throws Exception {
        var before = new KeyedOneInputStreamOperatorTestHarness<Long, ShardCandidates, HotItem>(
                new KeyedProcessOperator<>(new EarlierLayout()), c -> c.windowEnd, Types.LONG);
        before.open();
        before.processElement(candidates(new long[][] {{1, 5}, {2, 3}}, new long[] {7, 2, 3}, new long[] {8, 1, 5}), 0);
        OperatorSubtaskState savepoint = before.snapshot(1, 1);
        before.close();

        var h = harness(0, savepoint);
        h.processElement(candidates(new long[][] {{3, 4}, {4, 3}}, new long[] {7, 4, 3}, new long[] {7, 3, 1}), 0);
        h.processWatermark(9);
        // The same rows as when both shards arrive at this version.
        assertThat(ranked(h)).containsExactly(BOTH_SHARDS);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    /**
     * The state layout of the released versions before shard records were kept as they came:
     * one map per scope under the same names, merged on arrival, with the same timers.
     */
    private static final class EarlierLayout extends KeyedProcessFunction<Long, ShardCandidates, HotItem> {
        private static final long serialVersionUID = 1L;
        private transient MapState<Long, Long> all;
        private transient MapState<Tuple2<Long, Long>, Long> byCategory;

        @Override
        public void open(OpenContext openContext) {
            all = getRuntimeContext().getMapState(new MapStateDescriptor<>("all-views", Types.LONG, Types.LONG));
            byCategory = getRuntimeContext()
                    .getMapState(new MapStateDescriptor<>(
                            "category-views", Types.TUPLE(Types.LONG, Types.LONG), Types.LONG));
        }

        @Override
        public void processElement(ShardCandidates c, Context ctx, Collector<HotItem> out) throws Exception {
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
            long end = ctx.getCurrentKey();
            ctx.timerService().registerEventTimeTimer(SlidingWindows.fireTime(end));
            ctx.timerService().registerEventTimeTimer(new SlidingWindows(10, 5, 0).purgeTime(end));
        }
    }
}
