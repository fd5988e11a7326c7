package io.haitaopulse.trends;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.schema.HotItem;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Windows of 10 ms sliding by 5 ms (ends 5, 10, 15, …), top 2, one category (key 7). Pane
 * counts, by hand:
 * <pre>
 *   item  pane 0  pane 5      window [-5,5)  [0,10)  [5,15)
 *   1       2       1                2         3        1
 *   2       1       2                1         3        2
 *   3       -       3                -         3        3
 * </pre>
 */
class ScopeTopNTest {

    private static final long CATEGORY = 7L;

    private static KeyedOneInputStreamOperatorTestHarness<Long, PaneCount, HotItem> harness(
            long allowedLateness, ScopeTopN.Mode mode) throws Exception {
        ScopeTopN fn = new ScopeTopN(new SlidingWindows(10, 5, allowedLateness), 2, mode);
        KeyedOneInputStreamOperatorTestHarness<Long, PaneCount, HotItem> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(fn), pc -> pc.categoryId, Types.LONG);
        h.open();
        return h;
    }

    private static void feedHandExample(KeyedOneInputStreamOperatorTestHarness<Long, PaneCount, HotItem> h)
            throws Exception {
        h.processElement(new PaneCount(1, CATEGORY, 0, 2), 0);
        h.processElement(new PaneCount(2, CATEGORY, 0, 1), 0);
        h.processElement(new PaneCount(1, CATEGORY, 5, 1), 0);
        h.processElement(new PaneCount(2, CATEGORY, 5, 2), 0);
        h.processElement(new PaneCount(3, CATEGORY, 5, 3), 0);
    }

    private static HotItem row(long end, int rank, long item, long views) {
        return new HotItem(Instant.ofEpochMilli(end - 10), Instant.ofEpochMilli(end), "7", rank, item, views);
    }

    @Test
    void ranksEachWindowByViewsThenItemIdAndFreesAllState() throws Exception {
        var h = harness(0, ScopeTopN.Mode.CATEGORY);
        feedHandExample(h);
        h.processWatermark(4);
        assertThat(h.extractOutputValues()).containsExactly(row(5, 1, 1, 2), row(5, 2, 2, 1));
        h.getOutput().clear();
        h.processWatermark(9);
        // Three-way tie at 3 views: smaller item ids win.
        assertThat(h.extractOutputValues()).containsExactly(row(10, 1, 1, 3), row(10, 2, 2, 3));
        h.getOutput().clear();
        h.processWatermark(14);
        assertThat(h.extractOutputValues()).containsExactly(row(15, 1, 3, 3), row(15, 2, 2, 2));
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void lateDataWithinAllowedLatenessRefiresTheWindowAndStateIsFreedAfterThePurge() throws Exception {
        var h = harness(5, ScopeTopN.Mode.CATEGORY);
        feedHandExample(h);
        h.processWatermark(9);
        h.getOutput().clear();
        // Window [-5,5) was purged at 9, [0,10) accepts data until 14: only it changes.
        h.processElement(new PaneCount(3, CATEGORY, 0, 1), 0);
        assertThat(h.extractOutputValues()).isEmpty();
        h.processWatermark(14);
        assertThat(h.extractOutputValues())
                .containsExactly(
                        row(10, 1, 3, 4), row(10, 2, 1, 3),
                        row(15, 1, 3, 3), row(15, 2, 2, 2));
        assertThat(h.numKeyedStateEntries()).isPositive();
        h.getOutput().clear();
        h.processWatermark(19);
        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void dataForPurgedWindowsChangesNothing() throws Exception {
        var h = harness(0, ScopeTopN.Mode.CATEGORY);
        h.processWatermark(20);
        h.processElement(new PaneCount(1, CATEGORY, 0, 5), 0);
        h.processWatermark(30);
        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void aQuietGapBetweenBurstsEmitsNoEmptyWindows() throws Exception {
        var h = harness(0, ScopeTopN.Mode.ALL_SHARD);
        h.processElement(new PaneCount(1, CATEGORY, 0, 1), 0);
        h.processElement(new PaneCount(1, CATEGORY, 100, 4), 0);
        h.processWatermark(Long.MAX_VALUE);
        List<HotItem> out = h.extractOutputValues();
        assertThat(out).extracting(r -> r.getWindowEnd().toEpochMilli()).containsExactly(5L, 10L, 105L, 110L);
        assertThat(out).extracting(HotItem::getScope).containsOnly("all");
        assertThat(out).extracting(HotItem::getViews).containsExactly(1L, 1L, 4L, 4L);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void partlyLateViewsCountOnlyInTheWindowsTheirSourceHadOpenWhateverThisOperatorsWatermark() throws Exception {
        var h = harness(0, ScopeTopN.Mode.CATEGORY);
        feedHandExample(h);
        // Its source had already closed [-5,5) and [0,10) (from = 15), but this operator's own
        // watermark lags (another source is slower): the view must still count only in [5,15).
        h.processElement(new PaneCount(3, CATEGORY, 0, 5, 15), 0);
        h.processWatermark(14);
        assertThat(h.extractOutputValues())
                .containsExactly(
                        row(5, 1, 1, 2), row(5, 2, 2, 1),
                        row(10, 1, 1, 3), row(10, 2, 2, 3),
                        row(15, 1, 3, 3), row(15, 2, 2, 2));
        assertThat(h.numKeyedStateEntries()).isZero();
        h.close();
    }
}
