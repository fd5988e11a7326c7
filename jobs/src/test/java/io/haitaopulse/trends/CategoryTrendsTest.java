package io.haitaopulse.trends;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.haitaopulse.common.DistinctUsers;
import io.haitaopulse.common.PulseOptions;
import io.haitaopulse.schema.CategoryTrend;
import io.haitaopulse.schema.DemandTrend;
import io.haitaopulse.schema.TrendAlert;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Windows of 10 ms sliding by 5 ms, recent span 5 ms, half-life one pane (a = 0.5), warm after
 * one pane, thresholds: 3 views, 2 viewers, ratio 2, z 1, false discovery rate 0.1, no
 * overdispersion; rows for items with 2+ views; a flat profile. Category 7: item 1 has 2, 2, 8
 * views (and viewers) in panes 0, 5, 10; item 2 one view in pane 0.
 *
 * <pre>
 * item 1  window end  fold   level  W2     baseline  recent exp.  views  recent  ratio  z
 *         5           -      -      -      -         -            2      2       -      -
 *         10          p0=2   2      1      4         2            4      2       1.0    0
 *         15          p5=2   2      0.5    4         2            10     8       2.5    6/sqrt(2 + 0.25*4)   trending
 *         20          p10=8  5      0.375  10        5            8      0       0.8    -5/sqrt(5 + 0.075*25)
 * W2: sum of squared weights, (1 - a)^2 W2 + a^2; the level's relative variance v = W2 / level.
 * At 15 the tail of a negative binomial with mean 2 and inverse size 0.25 at 8 is 0.0088232
 * (summed independently), the only item tested: a discovery at q = 0.1.
 * category (3, 2, 8 views): level 3 → 2.5 → 5.25
 * </pre>
 */
class CategoryTrendsTest {

    static Configuration conf(long warmupMs) {
        Configuration c = new Configuration();
        c.set(PulseOptions.WINDOW, Duration.ofMillis(10));
        c.set(PulseOptions.SLIDE, Duration.ofMillis(5));
        c.set(TrendOptions.RECENT, Duration.ofMillis(5));
        c.set(TrendOptions.MAX_RECENT, Duration.ofMillis(5));
        c.set(TrendOptions.HALF_LIFE, Duration.ofMillis(5));
        c.set(TrendOptions.WARMUP, Duration.ofMillis(warmupMs));
        c.set(TrendOptions.MIN_VIEWS, 3L);
        c.set(TrendOptions.MIN_USERS, 2L);
        c.set(TrendOptions.MIN_RATIO, 2.0);
        c.set(TrendOptions.MIN_Z, 1.0);
        c.set(TrendOptions.OVERDISPERSION, 0.0);
        c.set(TrendOptions.FDR, 0.1);
        c.set(TrendOptions.ROW_MIN_VIEWS, 2L);
        c.set(TrendOptions.IDLE_TTL, Duration.ofMillis(100));
        c.set(TrendOptions.TIMEZONE_OFFSET, Duration.ZERO);
        // Milliseconds of data: no daily profile can exist, the flat one is what is tested here.
        c.set(TrendOptions.REQUIRE_DAILY_PROFILE, false);
        return c;
    }

    private static ItemPaneActivity views(long item, long pane, int views, String... users) {
        ItemPaneActivity a = new ItemPaneActivity(item, 7L, pane);
        a.views = views;
        for (String u : users) {
            a.viewers.add(DistinctUsers.hash(u));
        }
        return a;
    }

    private static KeyedOneInputStreamOperatorTestHarness<Long, ItemPaneActivity, DemandTrend> run(long warmupMs)
            throws Exception {
        var h = harness(conf(warmupMs));
        h.processElement(views(1, 0, 2, "a", "b"), 0);
        h.processElement(views(2, 0, 1, "z"), 0);
        h.processElement(views(1, 5, 2, "a", "c"), 0);
        // Pre-aggregation may deliver one pane in parts: 3 + 5 views of pane 10.
        h.processElement(views(1, 10, 3, "a", "b", "c"), 0);
        h.processElement(views(1, 10, 5, "d", "e", "f", "g", "h"), 0);
        h.processWatermark(Long.MAX_VALUE);
        return h;
    }

    @Test
    void flagsTheSpikeWithExactBaselineRatioAndZ() throws Exception {
        var h = run(5);
        List<DemandTrend> rows = h.extractOutputValues();
        assertThat(rows).extracting(r -> r.getWindowEnd().toEpochMilli()).containsExactly(5L, 10L, 15L, 20L);
        assertThat(rows).extracting(DemandTrend::getItemId).containsOnly(1L);
        assertThat(rows).extracting(DemandTrend::getViews).containsExactly(2L, 4L, 10L, 8L);
        assertThat(rows).extracting(DemandTrend::getTrending).containsExactly(false, false, true, false);
        DemandTrend first = rows.get(0);
        assertThat(first.getBaseline()).isNull();
        assertThat(first.getRatio()).isNull();
        assertThat(first.getZ()).isNull();
        assertThat(rows.get(1).getBaseline()).isEqualTo(4.0);
        assertThat(rows.get(1).getRatio()).isEqualTo(1.0);
        assertThat(rows.get(1).getZ()).isEqualTo(0.0);
        assertThat(rows.get(2).getBaseline()).isEqualTo(4.0);
        assertThat(rows.get(2).getRatio()).isEqualTo(2.5);
        assertThat(rows.get(2).getZ()).isCloseTo(6 / Math.sqrt(3), within(1e-12));
        assertThat(rows.get(3).getBaseline()).isEqualTo(10.0);
        assertThat(rows.get(3).getRatio()).isEqualTo(0.8);
        assertThat(rows.get(3).getZ()).isCloseTo(-5 / Math.sqrt(6.875), within(1e-12));

        List<CategoryTrend> cats = h.getSideOutput(CategoryTrends.CATEGORY_TRENDS).stream()
                .map(StreamRecord::getValue)
                .toList();
        assertThat(cats).extracting(CategoryTrend::getViews).containsExactly(3L, 5L, 10L, 8L);
        assertThat(cats).extracting(CategoryTrend::getActiveItems).containsExactly(2L, 2L, 1L, 1L);
        assertThat(cats).extracting(CategoryTrend::getTrendingItems).containsExactly(0, 0, 1, 0);
        assertThat(cats).extracting(CategoryTrend::getTopTrendingItemId).containsExactly(null, null, 1L, null);
        assertThat(cats.get(1).getBaseline()).isEqualTo(6.0);
        assertThat(cats.get(1).getZ()).isCloseTo(-1 / Math.sqrt(3), within(1e-12));
        assertThat(cats.get(2).getBaseline()).isEqualTo(5.0);
        assertThat(cats.get(2).getRatio()).isEqualTo(2.0);
        assertThat(cats.get(2).getZ()).isCloseTo(5.5 / Math.sqrt(2.5), within(1e-12));
        assertThat(cats.get(2).getTrending()).isTrue();
        assertThat(cats.get(3).getBaseline()).isEqualTo(10.5);
        assertThat(cats.get(3).getZ()).isCloseTo(-5.25 / Math.sqrt(5.25), within(1e-12));
    }

    @Test
    void idleItemsAndCategoriesAreForgottenAfterTheTtl() throws Exception {
        var h = run(5);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void nothingTrendsBeforeTheWarmUp() throws Exception {
        // Three panes of history needed: at window 15 only two (panes 0 and 5) have been folded.
        var h = run(15);
        List<DemandTrend> rows = h.extractOutputValues();
        assertThat(rows.get(1).getBaseline()).isNull();
        assertThat(rows.get(2).getBaseline()).isNull();
        assertThat(rows.get(2).getTrending()).isFalse();
        assertThat(rows.get(3).getBaseline()).isEqualTo(10.0);
    }

    @Test
    void tooFewDistinctViewersNeverTrend() throws Exception {
        Configuration c = conf(5);
        c.set(TrendOptions.MIN_USERS, 9L); // item 1 has 8 viewers in [5,15)
        var h = harness(c);
        h.processElement(views(1, 0, 2, "a", "b"), 0);
        h.processElement(views(1, 5, 2, "a", "c"), 0);
        h.processElement(views(1, 10, 8, "a", "b", "c", "d", "e", "f", "g", "h"), 0);
        h.processWatermark(Long.MAX_VALUE);
        assertThat(h.extractOutputValues()).extracting(DemandTrend::getTrending).containsOnly(false);
    }

    private static List<TrendAlert> alerts(
            KeyedOneInputStreamOperatorTestHarness<Long, ItemPaneActivity, DemandTrend> h) {
        return h.getSideOutput(CategoryTrends.TREND_ALERTS).stream()
                .map(StreamRecord::getValue)
                .toList();
    }

    @Test
    void aTrendingWindowOpensAnEpisodeAndTheNextWindowWithoutTrendingEndsIt() throws Exception {
        // Item 1 trends in the window ending at 15 only (see the table above): one row as the
        // episode opens, one when the window ending at 20 is evaluated without trending.
        List<TrendAlert> alerts = alerts(run(5));
        TrendAlert open = new TrendAlert(
                1L, 7L, Instant.ofEpochMilli(15), null, Instant.ofEpochMilli(15), 2.5, 6 / Math.sqrt(3), 10L);
        TrendAlert ended = new TrendAlert(
                1L,
                7L,
                Instant.ofEpochMilli(15),
                Instant.ofEpochMilli(20),
                Instant.ofEpochMilli(15),
                2.5,
                6 / Math.sqrt(3),
                10L);
        assertThat(alerts).containsExactly(open, ended);
    }

    @Test
    void anEpisodeLastsWhileConsecutiveWindowsTrendKeepsItsPeaksAndEndsWhenTheItemFallsQuiet() throws Exception {
        // Panes 0 and 5 give a level of 1 viewer per pane (W2 = 0.5); then 4 and 6 viewers:
        // trending at 15 (recent 4 vs 1, tail 0.0452675) and at 20 (recent 6 vs 1 + 0.5 * (4 - 1) =
        // 2.5, ratio 2.4, W2 = 0.375, tail 0.0692148); after pane 15 nothing, so the window ending
        // at 25 (6 views, no recent viewers) ends the episode.
        List<DemandTrend> rows = risingItem(conf(5)).extractOutputValues();
        assertThat(rows).extracting(r -> r.getWindowEnd().toEpochMilli()).containsExactly(10L, 15L, 20L, 25L);
        assertThat(rows).extracting(DemandTrend::getTrending).containsExactly(false, true, true, false);
        DemandTrend w15 = rows.get(1);
        DemandTrend w20 = rows.get(2);
        var h = risingItem(conf(5));
        List<TrendAlert> alerts = alerts(h);
        assertThat(alerts).hasSize(3);
        assertThat(alerts).extracting(TrendAlert::getStartedAt).containsOnly(Instant.ofEpochMilli(15));
        assertThat(alerts)
                .extracting(TrendAlert::getLastWindowEnd)
                .containsExactly(Instant.ofEpochMilli(15), Instant.ofEpochMilli(20), Instant.ofEpochMilli(20));
        assertThat(alerts).extracting(TrendAlert::getEndedAt).containsExactly(null, null, Instant.ofEpochMilli(25));
        TrendAlert last = alerts.get(2);
        assertThat(last.getPeakViews()).isEqualTo(Math.max(w15.getViews(), w20.getViews()));
        assertThat(last.getPeakRatio()).isEqualTo(Math.max(w15.getRatio(), w20.getRatio()));
        assertThat(last.getPeakZ()).isEqualTo(Math.max(w15.getZ(), w20.getZ()));
        assertThat(h.numKeyedStateEntries()).isZero();
    }

    private static KeyedOneInputStreamOperatorTestHarness<Long, ItemPaneActivity, DemandTrend> risingItem(
            Configuration c) throws Exception {
        var h = harness(c);
        h.processElement(views(1, 0, 1, "a"), 0);
        h.processElement(views(1, 5, 1, "b"), 0);
        h.processElement(views(1, 10, 4, "c", "d", "e", "f"), 0);
        h.processElement(views(1, 15, 6, "g", "h", "i", "j", "k", "l"), 0);
        h.processWatermark(Long.MAX_VALUE);
        return h;
    }

    @Test
    void theExactTailDecidesAgainstTheFalseDiscoveryRate() throws Exception {
        // Tails 0.0452675 (window 15) and 0.0692148 (window 20): at q = 0.05 only the first is a
        // discovery, at q = 0.04 neither, although ratio and z pass in both.
        Configuration c = conf(5);
        c.set(TrendOptions.FDR, 0.05);
        assertThat(risingItem(c).extractOutputValues())
                .extracting(DemandTrend::getTrending)
                .containsExactly(false, true, false, false);
        c.set(TrendOptions.FDR, 0.04);
        assertThat(risingItem(c).extractOutputValues())
                .extracting(DemandTrend::getTrending)
                .containsOnly(false);
    }

    @Test
    void itemsOfAWindowAreOneFamily() throws Exception {
        // Item 1 alone trends at 15 with tail 0.0088232 <= 0.1 / 1. With item 3 tested beside it
        // (2 viewers per pane throughout: recent 2 vs 2, tail 1), the family has two members and
        // the cut for the smallest tail is 0.1 / 2 = 0.05: still a discovery. With q = 0.015 it is
        // alone (0.0088 <= 0.015) but not among two (0.0088 > 0.0075).
        Configuration c = conf(5);
        c.set(TrendOptions.FDR, 0.015);
        var alone = harness(c);
        var pair = harness(c);
        for (var h : List.of(alone, pair)) {
            h.processElement(views(1, 0, 2, "a", "b"), 0);
            h.processElement(views(1, 5, 2, "a", "c"), 0);
            h.processElement(views(1, 10, 8, "a", "b", "c", "d", "e", "f", "g", "h"), 0);
        }
        for (long pane = 0; pane <= 10; pane += 5) {
            pair.processElement(views(3, pane, 2, "x", "y"), 0);
        }
        alone.processWatermark(Long.MAX_VALUE);
        pair.processWatermark(Long.MAX_VALUE);
        assertThat(alone.extractOutputValues())
                .filteredOn(r -> r.getItemId() == 1L)
                .extracting(DemandTrend::getTrending)
                .containsExactly(false, false, true, false);
        assertThat(pair.extractOutputValues())
                .filteredOn(r -> r.getItemId() == 1L)
                .extracting(DemandTrend::getTrending)
                .containsOnly(false);
    }

    private static KeyedOneInputStreamOperatorTestHarness<Long, ItemPaneActivity, DemandTrend> dayOne(double fdr)
            throws Exception {
        Configuration c = conf(5);
        // Milliseconds of data never complete a daily profile: the share test decides.
        c.set(TrendOptions.REQUIRE_DAILY_PROFILE, true);
        c.set(TrendOptions.FDR, fdr);
        var h = harness(c);
        h.processElement(views(1, 0, 2, "a", "b"), 0);
        h.processElement(views(1, 5, 2, "a", "c"), 0);
        h.processElement(views(1, 10, 8, "a", "b", "c", "d", "e", "f", "g", "h"), 0);
        for (long pane = 0; pane <= 10; pane += 5) {
            h.processElement(views(2, pane, 6, "p", "q", "r", "s", "t", "u"), 0);
        }
        h.processWatermark(Long.MAX_VALUE);
        return h;
    }

    /**
     * Before the daily profile is complete, item 1 (2, 2, 8 viewers) is tested on its share of
     * category 7 (8, 8, 14 viewers per pane, item 2 the rest). Decay 0.5 per pane. Window 15:
     * the item's discounted viewers 0.5 * 2 + 2 = 3 (squared weights 0.25 * 2 + 2 = 2.5) over the
     * category's 0.5 * 8 + 8 = 12: share 0.25, relative variance 2.5 / 9. Beta concentration
     * 0.75 / (0.25 * 2.5 / 9) - 1 = 9.8, so 8 of 14 viewers of pane 10 against a beta-binomial
     * (14, 2.45, 7.35): mean 3.5, variance 14 * 0.25 * 0.75 * 23.8 / 10.8, z = 1.8709891, tail
     * 0.0672937 (summed independently); rest of the category 6 viewers, expected 6 / 3 = 2: ratio
     * 4. Views of the window [5, 15): 10 of the category's 22, share of views 0.25, baseline
     * 12 / 3 = 4, ratio 2.5. Two items tested: a discovery when 0.0673 <= q / 2.
     */
    @Test
    void onDayOneItemsAreTestedOnTheirShareOfTheCategory() throws Exception {
        List<DemandTrend> rows = dayOne(0.2).extractOutputValues().stream()
                .filter(r -> r.getItemId() == 1L)
                .toList();
        assertThat(rows).extracting(r -> r.getWindowEnd().toEpochMilli()).containsExactly(5L, 10L, 15L, 20L);
        DemandTrend w15 = rows.get(2);
        assertThat(w15.getBaseline()).isCloseTo(4.0, within(1e-12));
        assertThat(w15.getRatio()).isCloseTo(2.5, within(1e-12));
        assertThat(w15.getZ()).isCloseTo(1.8709891074231402, within(1e-12));
        assertThat(rows).extracting(DemandTrend::getTrending).containsExactly(false, false, true, false);
        // Item 2 is below its share at 15: never trending.
        assertThat(dayOne(0.2).extractOutputValues())
                .filteredOn(r -> r.getItemId() == 2L)
                .extracting(DemandTrend::getTrending)
                .containsOnly(false);
        assertThat(dayOne(0.13).extractOutputValues())
                .extracting(DemandTrend::getTrending)
                .containsOnly(false);
    }

    private static List<DemandTrend> itemOneBesideItemTwo(double fdr, int itemTwoLastPaneViewers) throws Exception {
        Configuration c = conf(5);
        c.set(TrendOptions.FDR, fdr);
        var h = harness(c);
        h.processElement(views(1, 0, 2, "a", "b"), 0);
        h.processElement(views(1, 5, 2, "a", "c"), 0);
        h.processElement(views(1, 10, 8, "a", "b", "c", "d", "e", "f", "g", "h"), 0);
        h.processElement(views(2, 0, 6, "p", "q", "r", "s", "t", "u"), 0);
        h.processElement(views(2, 5, 6, "p", "q", "r", "s", "t", "u"), 0);
        String[] users = new String[itemTwoLastPaneViewers];
        for (int i = 0; i < users.length; i++) {
            users[i] = "v" + i;
        }
        h.processElement(views(2, 10, users.length, users), 0);
        h.processWatermark(Long.MAX_VALUE);
        return h.extractOutputValues().stream().filter(r -> r.getItemId() == 1L).toList();
    }

    /**
     * With the profile in use, item 1 (the table above: tail 0.0088232 against its level) must
     * also stand out from its category, the share test of {@link #onDayOneItemsAreTestedOnTheirShareOfTheCategory}
     * (tail 0.0672937), and the larger tail decides. Two items tested: a discovery at q = 0.2
     * (0.0673 <= 0.1), none at q = 0.1 (0.0673 > 0.05), though the level test alone would pass.
     * When the whole category rises fourfold (item 2 too: 6, 6, 24 viewers) the item's share does
     * not move, and it does not trend even at q = 0.2.
     */
    @Test
    void withTheProfileAnItemMustAlsoStandOutFromItsCategory() throws Exception {
        assertThat(itemOneBesideItemTwo(0.2, 6))
                .extracting(DemandTrend::getTrending)
                .containsExactly(false, false, true, false);
        assertThat(itemOneBesideItemTwo(0.1, 6))
                .extracting(DemandTrend::getTrending)
                .containsOnly(false);
        List<DemandTrend> categoryRises = itemOneBesideItemTwo(0.2, 24);
        assertThat(categoryRises.get(2).getRatio())
                .as("still 2.5 times its own baseline")
                .isEqualTo(2.5);
        assertThat(categoryRises).extracting(DemandTrend::getTrending).containsOnly(false);
    }

    /** An opened harness of {@link CategoryTrends} with the options of {@code c}. */
    /**
     * An input that runs ahead of the watermark (a backlog) delivers an item's panes long before
     * their windows; the windows before them skip that item. Item 3 has a view in pane 0 and four
     * in pane 15: delivered at once, the window ending at 15 sees only its future pane 15;
     * delivered just in time, the item is idle then. Every row is the same either way, and the
     * item's row at 20 shows its baseline folded through the skipped window.
     */
    @Test
    void panesFarAheadOfTheWatermarkGiveTheSameRowsAsPanesJustInTime() throws Exception {
        var early = harness(conf(5));
        early.processElement(views(1, 0, 2, "a", "b"), 0);
        early.processElement(views(3, 0, 1, "y"), 0);
        early.processElement(views(1, 5, 2, "a", "c"), 0);
        early.processElement(views(1, 10, 8, "a", "b", "c", "d", "e", "f", "g", "h"), 0);
        early.processElement(views(3, 15, 4, "p", "q", "r", "s"), 0);
        early.processWatermark(Long.MAX_VALUE);

        var inTime = harness(conf(5));
        inTime.processElement(views(1, 0, 2, "a", "b"), 0);
        inTime.processElement(views(3, 0, 1, "y"), 0);
        inTime.processElement(views(1, 5, 2, "a", "c"), 0);
        inTime.processElement(views(1, 10, 8, "a", "b", "c", "d", "e", "f", "g", "h"), 0);
        // Windows up to the one ending at 15 are final (no allowed lateness): evaluated without pane 15.
        inTime.processWatermark(14);
        inTime.processElement(views(3, 15, 4, "p", "q", "r", "s"), 0);
        inTime.processWatermark(Long.MAX_VALUE);

        List<String> rows =
                early.extractOutputValues().stream().map(Object::toString).toList();
        assertThat(rows)
                .isEqualTo(inTime.extractOutputValues().stream()
                        .map(Object::toString)
                        .toList());
        assertThat(sideRows(early)).isEqualTo(sideRows(inTime));
        // Item 3 at 20: pane 15's four views against a level folded over panes 0, 5 and 10
        // (1, 0, 0: the plain mean 1, then halved twice, 0.25), times the window's two panes.
        DemandTrend item3 = early.extractOutputValues().stream()
                .filter(r -> r.getItemId() == 3L && r.getWindowEnd().toEpochMilli() == 20L)
                .findFirst()
                .orElseThrow();
        assertThat(item3.getViews()).isEqualTo(4L);
        assertThat(item3.getBaseline()).isEqualTo(0.5);
    }

    private static List<String> sideRows(
            KeyedOneInputStreamOperatorTestHarness<Long, ItemPaneActivity, DemandTrend> h) {
        return h.getSideOutput(CategoryTrends.CATEGORY_TRENDS).stream()
                .map(r -> r.getValue().toString())
                .toList();
    }

    private static KeyedOneInputStreamOperatorTestHarness<Long, ItemPaneActivity, DemandTrend> harness(Configuration c)
            throws Exception {
        return harness(c, false);
    }

    private static KeyedOneInputStreamOperatorTestHarness<Long, ItemPaneActivity, DemandTrend> harness(
            Configuration c, boolean rocksDb) throws Exception {
        return harness(c, rocksDb, true, null);
    }

    private static KeyedOneInputStreamOperatorTestHarness<Long, ItemPaneActivity, DemandTrend> harness(
            Configuration c, boolean rocksDb, boolean settleEarly, OperatorSubtaskState restore) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<Long, ItemPaneActivity, DemandTrend>(
                new KeyedProcessOperator<>(new CategoryTrends(new TrendModel(TrendSettings.from(c)), settleEarly)),
                a -> a.categoryId,
                Types.LONG);
        if (rocksDb) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    /**
     * Items the window's cut cannot change are finished in the pass that tests them; the others
     * after the cut. Random streams (items rising and falling, going idle and coming back, the
     * watermark moving in random steps, restores from snapshots) give the same rows, category rows
     * and alerts, in the same order, whether items are finished early or all after the cut, on heap
     * state and on RocksDB, where only what is written back counts. (RocksDB visits a category's
     * items in the order of their keys' bytes, so its rows of one window come in another order.)
     */
    @Test
    // An item finished early with its episode open would keep the windows going for ever.
    @Timeout(120)
    void itemsFinishedBeforeTheCutGiveTheRowsOfItemsFinishedAfterIt() throws Exception {
        int trendingRows = 0;
        int endedEpisodes = 0;
        for (int round = 0; round < 12; round++) {
            List<List<String>> outputs = new java.util.ArrayList<>();
            // Heap and RocksDB, each with items finished early and after the cut.
            for (int variant = 0; variant < 4; variant++) {
                boolean rocksDb = variant >= 2;
                boolean settleEarly = variant % 2 == 0;
                java.util.Random random = new java.util.Random(round);
                var h = harness(conf(5), rocksDb, settleEarly, null);
                List<String> out = new java.util.ArrayList<>();
                long watermark = -1;
                for (long pane = 0; pane < 300; pane += 5) {
                    for (long item = 1; item <= 8; item++) {
                        // Quiet items, items that go idle for a while, and bursts that trend.
                        if (random.nextInt(4) == 0 || (item % 3 == 0 && (pane / 50) % 2 == 1)) {
                            continue;
                        }
                        int users = random.nextInt(10) == 0 ? 6 + random.nextInt(10) : 1 + random.nextInt(2);
                        String[] who = new String[users];
                        for (int u = 0; u < users; u++) {
                            who[u] = "u" + item + "-" + random.nextInt(40);
                        }
                        h.processElement(views(item, pane, users + random.nextInt(3), who), 0);
                    }
                    if (random.nextInt(3) == 0) {
                        watermark = pane + random.nextInt(5);
                        h.processWatermark(watermark);
                    }
                    if (random.nextInt(12) == 0) {
                        OperatorSubtaskState snapshot = h.snapshot(pane, pane);
                        collect(h, out);
                        h.close();
                        h = harness(conf(5), rocksDb, settleEarly, snapshot);
                        h.processWatermark(watermark);
                    }
                }
                h.processWatermark(Long.MAX_VALUE);
                collect(h, out);
                h.close();
                outputs.add(out);
            }
            assertThat(outputs.get(1)).as("round %d, heap", round).isEqualTo(outputs.get(0));
            assertThat(outputs.get(3)).as("round %d, RocksDB", round).isEqualTo(outputs.get(2));
            assertThat(outputs.get(2))
                    .as("round %d, RocksDB and heap", round)
                    .containsExactlyInAnyOrderElementsOf(outputs.get(0));
            trendingRows += (int) outputs.get(0).stream()
                    .filter(r -> r.contains("\"trending\": true"))
                    .count();
            endedEpisodes += (int) outputs.get(0).stream()
                    .filter(r -> r.contains("\"ended_at\": \""))
                    .count();
        }
        // The streams reach what the early finish must leave alone: trending items, ended episodes.
        assertThat(trendingRows).isGreaterThan(20);
        assertThat(endedEpisodes).isGreaterThan(10);
    }

    private static void collect(
            KeyedOneInputStreamOperatorTestHarness<Long, ItemPaneActivity, DemandTrend> h, List<String> out) {
        h.extractOutputValues().forEach(r -> out.add(r.toString()));
        // A harness that has emitted nothing on a side output has no queue for it.
        for (OutputTag<?> tag : List.of(CategoryTrends.CATEGORY_TRENDS, CategoryTrends.TREND_ALERTS)) {
            var side = h.getSideOutput(tag);
            if (side != null) {
                side.forEach(r -> out.add(r.getValue().toString()));
            }
        }
    }

    /**
     * On RocksDB every read of state is a fresh copy, so an item's panes, baselines and episode
     * count only if written back: the rows, category rows and alerts must be those of heap state,
     * where the objects read are the ones held.
     */
    @Test
    void rocksDbStateGivesTheRowsOfHeapState() throws Exception {
        List<List<String>> outputs = new java.util.ArrayList<>();
        for (boolean rocksDb : new boolean[] {false, true}) {
            var h = harness(conf(5), rocksDb);
            // The rising item, delivered pane by pane as the watermark moves (each window reads
            // what the one before wrote), beside an item that goes idle after its first pane.
            h.processElement(views(1, 0, 1, "a"), 0);
            h.processElement(views(2, 0, 1, "z"), 0);
            h.processElement(views(1, 5, 1, "b"), 0);
            h.processWatermark(9);
            h.processElement(views(1, 10, 4, "c", "d", "e", "f"), 0);
            h.processWatermark(14);
            h.processElement(views(1, 15, 6, "g", "h", "i", "j", "k", "l"), 0);
            h.processWatermark(Long.MAX_VALUE);
            List<String> out = new java.util.ArrayList<>();
            collect(h, out);
            outputs.add(out);
            h.close();
        }
        assertThat(outputs.get(0)).anyMatch(r -> r.contains("\"trending\": true"));
        assertThat(outputs.get(1)).isEqualTo(outputs.get(0));
    }
}
