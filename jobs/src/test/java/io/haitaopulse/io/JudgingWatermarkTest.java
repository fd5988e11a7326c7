package io.haitaopulse.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.bots.BotFilter;
import io.haitaopulse.bots.BotOptions;
import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.LateEvent;
import io.haitaopulse.schema.internal.Ingested;
import io.haitaopulse.trends.PaneCount;
import io.haitaopulse.trends.ShardPaneCounts;
import io.haitaopulse.trends.ViewPaneAggregator;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * Lateness is judged against the larger of the event's own source watermark (stamped when it was
 * read) and the watermark where it is judged, after every input is gathered. Windows here: 10 s
 * sliding by 5 s, allowed lateness 0, so a click at 12 s is in the windows ending at 15 s and 20 s.
 */
class JudgingWatermarkTest {

    private static final long CLICK_TS = 12_000L;
    private static final SlidingWindows WINDOWS =
            new SlidingWindows(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ZERO);

    private static Ingested click(String user, long ts, long sourceWatermark) {
        return new Ingested(
                new Click(
                        user + "@" + ts,
                        user,
                        1L,
                        9L,
                        ClickAction.VIEW,
                        Instant.ofEpochMilli(ts),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null),
                sourceWatermark);
    }

    /** A route of the trends rule, after the gathering exchange whose watermark is {@code here}. */
    private static OneInputStreamOperatorTestHarness<Ingested, Ingested> route(long here) throws Exception {
        var h = ProcessFunctionTestHarnesses.forProcessFunction(new Ingest.RouteByLateness(new WindowRule()));
        h.processWatermark(new Watermark(here));
        return h;
    }

    /** The trends job's rule over {@link #WINDOWS}: late when every window is final, partly when the first is. */
    static final class WindowRule implements LatenessRule {
        private static final long serialVersionUID = 1L;

        @Override
        public Verdict judge(Object body, long ts, long watermark) {
            if (WINDOWS.isLate(ts, watermark)) {
                return Verdict.LATE;
            }
            return WINDOWS.purgeTime(WINDOWS.firstWindowEnd(ts)) <= watermark ? Verdict.PARTIAL : Verdict.USE;
        }

        @Override
        public String lateReason(Object body, long ts, long watermark) {
            return "behind watermark " + watermark;
        }
    }

    private static List<LateEvent> late(OneInputStreamOperatorTestHarness<Ingested, Ingested> h) {
        return h.getSideOutput(Ingest.LATE_EVENTS) == null
                ? List.of()
                : h.getSideOutput(Ingest.LATE_EVENTS).stream()
                        .map(StreamRecord::getValue)
                        .toList();
    }

    @Test
    void anEventBehindTheGatheredWatermarkIsLateThoughOnTimeAtItsOwnSource() throws Exception {
        // Its source was idle and resumed behind: its own watermark says 5 s, every other input 25 s.
        var h = route(25_000L);
        h.processElement(click("u", CLICK_TS, 5_000L), CLICK_TS);
        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(late(h)).singleElement().satisfies(l -> {
            assertThat(l.getWatermark().toEpochMilli()).isEqualTo(25_000L);
            assertThat(l.getReason()).contains("behind watermark 25000");
        });
        h.close();
    }

    @Test
    void anEventBehindItsOwnSourceIsLateThoughTheGatheredWatermarkIsBehindIt() throws Exception {
        // Late at its own source (20 s), whatever the slower inputs say (5 s): judged by its own order.
        var h = route(5_000L);
        h.processElement(click("u", CLICK_TS, 20_000L), CLICK_TS);
        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(late(h))
                .singleElement()
                .satisfies(l -> assertThat(l.getWatermark().toEpochMilli()).isEqualTo(20_000L));
        h.close();
    }

    @Test
    void anEventAheadOfBothIsUsedAndAPartlyLateOneIsBothUsedAndReported() throws Exception {
        var h = route(5_000L);
        h.processElement(click("a", CLICK_TS, 11_000L), CLICK_TS);
        // At 14,999 the window ending at 15 s is final: the click counts only in the one ending at 20 s.
        h.processElement(click("b", CLICK_TS, 14_999L), CLICK_TS);
        assertThat(h.extractOutputValues()).hasSize(2);
        assertThat(late(h))
                .singleElement()
                .satisfies(l -> assertThat(((Click) l.getEvent()).getUserId()).isEqualTo("b"));
        h.close();
    }

    @Test
    void thePaneAggregatorLimitsAPartlyLateClickToTheWindowsItsRouteLeftOpen() throws Exception {
        var h = new OneInputStreamOperatorTestHarness<Ingested, ShardPaneCounts>(new ViewPaneAggregator(WINDOWS));
        h.open();
        h.processWatermark(new Watermark(5_000L));
        // Judged against its source's 14,999, not the gathered 5,000: only the window ending at 20 s.
        h.processElement(click("b", CLICK_TS, 14_999L), CLICK_TS);
        h.processElement(click("a", CLICK_TS, 11_000L), CLICK_TS);
        h.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(h.extractOutputValues().stream().flatMap(b -> Arrays.stream(b.counts)))
                .containsExactlyInAnyOrder(
                        new PaneCount(1L, 9L, 10_000L, 1L, 20_000L), new PaneCount(1L, 9L, 10_000L, 1L, 0L));
        h.close();
    }

    @Test
    void theBotFilterPassesAClickLateAtItsSourceAtOnceWithoutCountingIt() throws Exception {
        Configuration conf = new Configuration();
        conf.set(BotOptions.MAX_ITEM_VIEWS_PER_MINUTE, 1);
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new BotFilter(io.haitaopulse.bots.BotSettings.from(conf)), BotFilter::userOf, Types.STRING);
        h.open();
        h.processWatermark(new Watermark(1_000L));
        // Behind its own source's watermark: released now, and not one of the user's views, so
        // the on-time view after it does not break "more than 1 view of an item a minute".
        h.processElement(click("u", 3_000L, 4_000L), 3_000L);
        assertThat(h.extractOutputValues()).hasSize(1);
        h.processElement(click("u", 5_000L, 4_000L), 5_000L);
        h.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(h.extractOutputValues()).hasSize(2);
        assertThat(h.getSideOutput(BotFilter.SUSPICIOUS)).isNull();
        h.close();
    }
}
