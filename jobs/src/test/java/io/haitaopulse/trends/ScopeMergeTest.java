package io.haitaopulse.trends;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.schema.HotItem;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
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
        var h = new KeyedOneInputStreamOperatorTestHarness<Long, ShardCandidates, HotItem>(
                new KeyedProcessOperator<>(new ScopeMerge(new SlidingWindows(10, 5, allowedLateness), 3)),
                c -> c.windowEnd,
                Types.LONG);
        h.open();
        return h;
    }

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
        assertThat(ranked(h))
                .containsExactly("all 1:1=5", "all 2:3=4", "all 3:2=3", "7 1:2=3", "7 2:4=3", "7 3:3=1", "8 1:1=5");
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
}
