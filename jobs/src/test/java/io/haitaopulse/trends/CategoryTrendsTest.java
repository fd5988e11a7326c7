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
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Windows of 10 ms sliding by 5 ms, recent span 5 ms, half-life one pane (a = 0.5), warm after
 * one pane, thresholds: 3 views, 2 viewers, ratio 2, z 1, no overdispersion; rows for items with
 * 2+ views. Category 7: item 1 has 2, 2, 8 views in panes 0, 5, 10; item 2 one view in pane 0.
 *
 * <pre>
 * item 1  window end  fold   level  baseline  recent exp.  views  recent  ratio  z
 *         5           -      -      -         -            2      2       -      -
 *         10          p0=2   2      4         2            4      2       1.0    0
 *         15          p5=2   2      4         2            10     8       2.5    (8-2)/sqrt 2   trending
 *         20          p10=8  5      10        5            8      0       0.8    -5/sqrt 5
 * category (3, 2, 8 views): level 3 → 2.5 → 5.25
 * </pre>
 */
class CategoryTrendsTest {

    static Configuration conf(long warmupMs) {
        Configuration c = new Configuration();
        c.set(PulseOptions.WINDOW, Duration.ofMillis(10));
        c.set(PulseOptions.SLIDE, Duration.ofMillis(5));
        c.set(TrendOptions.RECENT, Duration.ofMillis(5));
        c.set(TrendOptions.HALF_LIFE, Duration.ofMillis(5));
        c.set(TrendOptions.WARMUP, Duration.ofMillis(warmupMs));
        c.set(TrendOptions.MIN_VIEWS, 3L);
        c.set(TrendOptions.MIN_USERS, 2L);
        c.set(TrendOptions.MIN_RATIO, 2.0);
        c.set(TrendOptions.MIN_Z, 1.0);
        c.set(TrendOptions.OVERDISPERSION, 0.0);
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
        var h = new KeyedOneInputStreamOperatorTestHarness<Long, ItemPaneActivity, DemandTrend>(
                new KeyedProcessOperator<>(new CategoryTrends(new TrendModel(TrendSettings.from(conf(warmupMs))))),
                a -> a.categoryId,
                Types.LONG);
        h.open();
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
        assertThat(rows.get(2).getZ()).isCloseTo(6 / Math.sqrt(2), within(1e-12));
        assertThat(rows.get(3).getBaseline()).isEqualTo(10.0);
        assertThat(rows.get(3).getRatio()).isEqualTo(0.8);
        assertThat(rows.get(3).getZ()).isCloseTo(-5 / Math.sqrt(5), within(1e-12));

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
        var h = new KeyedOneInputStreamOperatorTestHarness<Long, ItemPaneActivity, DemandTrend>(
                new KeyedProcessOperator<>(new CategoryTrends(new TrendModel(TrendSettings.from(c)))),
                a -> a.categoryId,
                Types.LONG);
        h.open();
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
                1L, 7L, Instant.ofEpochMilli(15), null, Instant.ofEpochMilli(15), 2.5, 6 / Math.sqrt(2), 10L);
        TrendAlert ended = new TrendAlert(
                1L,
                7L,
                Instant.ofEpochMilli(15),
                Instant.ofEpochMilli(20),
                Instant.ofEpochMilli(15),
                2.5,
                6 / Math.sqrt(2),
                10L);
        assertThat(alerts).containsExactly(open, ended);
    }

    @Test
    void anEpisodeLastsWhileConsecutiveWindowsTrendKeepsItsPeaksAndEndsWhenTheItemFallsQuiet() throws Exception {
        // Panes 0 and 5 give a level of 1 viewer per pane; then 4 and 6 viewers: trending at 15
        // (recent 4 vs 1) and at 20 (recent 6 vs 1 + 0.5 * (4 - 1) = 2.5, ratio 2.4); after pane 15
        // nothing, so the window ending at 25 (6 views, no recent viewers) ends the episode.
        var h = new KeyedOneInputStreamOperatorTestHarness<Long, ItemPaneActivity, DemandTrend>(
                new KeyedProcessOperator<>(new CategoryTrends(new TrendModel(TrendSettings.from(conf(5))))),
                a -> a.categoryId,
                Types.LONG);
        h.open();
        h.processElement(views(1, 0, 1, "a"), 0);
        h.processElement(views(1, 5, 1, "b"), 0);
        h.processElement(views(1, 10, 4, "c", "d", "e", "f"), 0);
        h.processElement(views(1, 15, 6, "g", "h", "i", "j", "k", "l"), 0);
        h.processWatermark(Long.MAX_VALUE);
        List<DemandTrend> rows = h.extractOutputValues();
        assertThat(rows).extracting(r -> r.getWindowEnd().toEpochMilli()).containsExactly(10L, 15L, 20L, 25L);
        assertThat(rows).extracting(DemandTrend::getTrending).containsExactly(false, true, true, false);
        DemandTrend w15 = rows.get(1);
        DemandTrend w20 = rows.get(2);
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
}
