package io.haitaopulse.trends;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.schema.HotItem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Windows of 10 ms sliding by 5 ms (ends 5, 10, 15, …), top 2, one shard, items of category 7
 * unless a test says otherwise. Pane counts, by hand:
 * <pre>
 *   item  pane 0  pane 5      window [-5,5)  [0,10)  [5,15)
 *   1       2       1                2         3        1
 *   2       1       2                1         3        2
 *   3       -       3                -         3        3
 * </pre>
 */
class ShardTopNTest {

    private static final long CATEGORY = 7L;

    private static KeyedOneInputStreamOperatorTestHarness<Long, ShardPaneCounts, ShardCandidates> harness(
            long allowedLateness) throws Exception {
        ShardTopN fn = new ShardTopN(new SlidingWindows(10, 5, allowedLateness), 2);
        KeyedOneInputStreamOperatorTestHarness<Long, ShardPaneCounts, ShardCandidates> h =
                new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(fn), b -> 0L, Types.LONG);
        h.open();
        return h;
    }

    private static void feedHandExample(
            KeyedOneInputStreamOperatorTestHarness<Long, ShardPaneCounts, ShardCandidates> h) throws Exception {
        h.processElement(batch(new PaneCount(1, CATEGORY, 0, 2)), 0);
        h.processElement(batch(new PaneCount(2, CATEGORY, 0, 1)), 0);
        h.processElement(batch(new PaneCount(1, CATEGORY, 5, 1)), 0);
        h.processElement(batch(new PaneCount(2, CATEGORY, 5, 2)), 0);
        h.processElement(batch(new PaneCount(3, CATEGORY, 5, 3)), 0);
    }

    /** Counts as the pre-aggregation sends them: one record per shard (this harness has one). */
    private static ShardPaneCounts batch(PaneCount... counts) {
        return new ShardPaneCounts(0L, counts);
    }

    private static HotItem row(String scope, long end, int rank, long item, long views) {
        return new HotItem(Instant.ofEpochMilli(end - 10), Instant.ofEpochMilli(end), scope, rank, item, views);
    }

    /**
     * The candidates emitted so far as rows: per firing, "all" then each category, ranked within
     * the shard.
     */
    static List<HotItem> rowsOf(KeyedOneInputStreamOperatorTestHarness<?, ?, ShardCandidates> h) {
        List<HotItem> rows = new ArrayList<>();
        for (ShardCandidates c : h.extractOutputValues()) {
            Instant start = Instant.ofEpochMilli(c.windowEnd - 10);
            Instant end = Instant.ofEpochMilli(c.windowEnd);
            for (int i = 0; i < c.allItems.length; i++) {
                rows.add(new HotItem(start, end, "all", i + 1, c.allItems[i], c.allViews[i]));
            }
            int rank = 0;
            for (int i = 0; i < c.categoryItems.length; i++) {
                rank = i > 0 && c.categoryIds[i] == c.categoryIds[i - 1] ? rank + 1 : 1;
                rows.add(new HotItem(
                        start, end, Long.toString(c.categoryIds[i]), rank, c.categoryItems[i], c.categoryViews[i]));
            }
        }
        return rows;
    }

    /** The rows of a window whose items all have category 7: the same ranking for "all" and "7". */
    private static List<HotItem> rows(long end, long... itemViews) {
        List<HotItem> rows = new ArrayList<>();
        for (String scope : List.of("all", "7")) {
            for (int i = 0; i < itemViews.length; i += 2) {
                rows.add(row(scope, end, i / 2 + 1, itemViews[i], itemViews[i + 1]));
            }
        }
        return rows;
    }

    @Test
    void ranksEachWindowByViewsThenItemIdAndFreesAllState() throws Exception {
        var h = harness(0);
        feedHandExample(h);
        h.processWatermark(4);
        assertThat(rowsOf(h)).containsExactlyElementsOf(rows(5, 1, 2, 2, 1));
        h.getOutput().clear();
        h.processWatermark(9);
        // Three-way tie at 3 views: smaller item ids win.
        assertThat(rowsOf(h)).containsExactlyElementsOf(rows(10, 1, 3, 2, 3));
        h.getOutput().clear();
        h.processWatermark(14);
        assertThat(rowsOf(h)).containsExactlyElementsOf(rows(15, 3, 3, 2, 2));
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void lateDataWithinAllowedLatenessRefiresTheWindowAndStateIsFreedAfterThePurge() throws Exception {
        var h = harness(5);
        feedHandExample(h);
        h.processWatermark(9);
        h.getOutput().clear();
        // Window [-5,5) was purged at 9, [0,10) accepts data until 14: only it changes.
        h.processElement(batch(new PaneCount(3, CATEGORY, 0, 1)), 0);
        assertThat(rowsOf(h)).isEmpty();
        h.processWatermark(14);
        List<HotItem> expected = new ArrayList<>(rows(10, 3, 4, 1, 3));
        expected.addAll(rows(15, 3, 3, 2, 2));
        assertThat(rowsOf(h)).containsExactlyElementsOf(expected);
        assertThat(h.numKeyedStateEntries()).isPositive();
        h.getOutput().clear();
        h.processWatermark(19);
        assertThat(rowsOf(h)).isEmpty();
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void dataForPurgedWindowsChangesNothing() throws Exception {
        var h = harness(0);
        h.processWatermark(20);
        h.processElement(batch(new PaneCount(1, CATEGORY, 0, 5)), 0);
        h.processWatermark(30);
        assertThat(rowsOf(h)).isEmpty();
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void aQuietGapBetweenBurstsEmitsNoEmptyWindows() throws Exception {
        var h = harness(0);
        h.processElement(batch(new PaneCount(1, CATEGORY, 0, 1)), 0);
        h.processElement(batch(new PaneCount(1, CATEGORY, 100, 4)), 0);
        h.processWatermark(Long.MAX_VALUE);
        List<HotItem> out = rowsOf(h);
        assertThat(out)
                .extracting(r -> r.getWindowEnd().toEpochMilli() + "/" + r.getScope() + "=" + r.getViews())
                .containsExactly(
                        "5/all=1", "5/7=1", "10/all=1", "10/7=1", "105/all=4", "105/7=4", "110/all=4", "110/7=4");
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void partlyLateViewsCountOnlyInTheWindowsTheirSourceHadOpenWhateverThisOperatorsWatermark() throws Exception {
        var h = harness(0);
        feedHandExample(h);
        // Its source had already closed [-5,5) and [0,10) (from = 15), but this operator's own
        // watermark lags (another source is slower): the view must still count only in [5,15).
        h.processElement(batch(new PaneCount(3, CATEGORY, 0, 5, 15)), 0);
        h.processWatermark(14);
        List<HotItem> expected = new ArrayList<>(rows(5, 1, 2, 2, 1));
        expected.addAll(rows(10, 1, 3, 2, 3));
        expected.addAll(rows(15, 3, 3, 2, 2));
        assertThat(rowsOf(h)).containsExactlyElementsOf(expected);
        assertThat(h.numKeyedStateEntries()).isZero();
        h.close();
    }

    /**
     * Item 1 is viewed under categories 7 and 8, item 2 under 8 only:
     * <pre>
     *   item  category  pane 0  pane 5      window [-5,5)  [0,10)  [5,15)
     *   1     7           2       -                2         2        -
     *   1     8           3       1                3         4        1
     *   2     8           4       -                4         4        -
     * </pre>
     * Each category ranks the views seen under it; "all" ranks every view of the item.
     */
    @Test
    void anItemUnderTwoCategoriesCountsInEachWithItsViewsThereAndInAllWithEveryView() throws Exception {
        var h = harness(0);
        h.processElement(batch(new PaneCount(1, 7, 0, 2)), 0);
        h.processElement(batch(new PaneCount(2, 8, 0, 4)), 0);
        h.processElement(batch(new PaneCount(1, 8, 0, 3)), 0);
        h.processElement(batch(new PaneCount(1, 8, 5, 1)), 0);
        h.processWatermark(Long.MAX_VALUE);
        assertThat(rowsOf(h))
                .containsExactly(
                        row("all", 5, 1, 1, 5),
                        row("all", 5, 2, 2, 4),
                        row("7", 5, 1, 1, 2),
                        row("8", 5, 1, 2, 4),
                        row("8", 5, 2, 1, 3),
                        row("all", 10, 1, 1, 6),
                        row("all", 10, 2, 2, 4),
                        row("7", 10, 1, 1, 2),
                        // A tie: the smaller item id first.
                        row("8", 10, 1, 1, 4),
                        row("8", 10, 2, 2, 4),
                        row("all", 15, 1, 1, 1),
                        row("8", 15, 1, 1, 1));
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    /**
     * A batch registers timers once per pane and first window, not once per count: on random
     * counts (panes around the watermark, some partly late, some for purged windows, two
     * categories) under three allowed latenesses, batches of random sizes give, firing by firing,
     * the rows and the timers of the same counts sent one by one.
     */
    @Test
    void aBatchGivesExactlyWhatItsCountsGiveOneByOne() throws Exception {
        SplittableRandom r = new SplittableRandom(17);
        for (int round = 0; round < 60; round++) {
            long lateness = 5L * (round % 3);
            var single = harness(lateness);
            var batched = harness(lateness);
            long wm = -1;
            for (int step = 0; step < 40; step++) {
                PaneCount[] counts = new PaneCount[1 + r.nextInt(8)];
                for (int i = 0; i < counts.length; i++) {
                    long pane = 5L * (Math.max(wm, 0) / 5 + r.nextInt(-3, 4));
                    long from = r.nextInt(4) == 0 ? pane + 5L * (2 + r.nextInt(2)) : 0L;
                    counts[i] = new PaneCount(1 + r.nextInt(6), 7 + r.nextInt(2), pane, 1 + r.nextInt(3), from);
                }
                for (PaneCount c : counts) {
                    single.processElement(batch(c), 0);
                }
                batched.processElement(batch(counts), 0);
                assertThat(batched.numEventTimeTimers())
                        .as("round %d step %d", round, step)
                        .isEqualTo(single.numEventTimeTimers());
                wm += r.nextInt(8);
                single.processWatermark(wm);
                batched.processWatermark(wm);
                assertThat(rowsOf(batched)).as("round %d step %d", round, step).isEqualTo(rowsOf(single));
            }
            single.processWatermark(Long.MAX_VALUE);
            batched.processWatermark(Long.MAX_VALUE);
            assertThat(rowsOf(batched))
                    .as("round %d", round)
                    .isEqualTo(rowsOf(single))
                    .isNotEmpty();
            assertThat(batched.numKeyedStateEntries()).isZero();
            single.close();
            batched.close();
        }
    }
}
