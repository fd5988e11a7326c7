package io.haitaopulse.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.schema.Campaign;
import io.haitaopulse.schema.CampaignKind;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.DeadLetter;
import io.haitaopulse.schema.internal.Ingested;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.clock.ManualClock;
import org.apache.flink.util.clock.RelativeClock;
import org.junit.jupiter.api.Test;

/**
 * The watermark strategy of every source, driven the way a source drives it: records through the
 * timestamp assigner and the generator, periodic emits on a clock the test moves.
 */
class PulseWatermarksTest {

    private static final long T = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();
    private static final Duration MAX_DELAY = Duration.ofSeconds(5);
    private static final Duration IDLE = Duration.ofMinutes(1);

    private final ManualClock clock = new ManualClock();
    private final List<String> out = new ArrayList<>();
    private final WatermarkOutput output = new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark watermark) {
            out.add("wm " + watermark.getTimestamp());
        }

        @Override
        public void markIdle() {
            out.add("idle");
        }

        @Override
        public void markActive() {
            out.add("active");
        }
    };

    private final WatermarkStrategy<Ingested> strategy = PulseWatermarks.strategy(MAX_DELAY, IDLE);
    private final WatermarkGenerator<Ingested> generator = generatorOf(strategy);
    /** The generator a source would create from {@code s}, on the test's activity clock. */
    private WatermarkGenerator<Ingested> generatorOf(WatermarkStrategy<Ingested> s) {
        return s.createWatermarkGenerator(new WatermarkGeneratorSupplier.Context() {
            @Override
            public MetricGroup getMetricGroup() {
                return new UnregisteredMetricsGroup();
            }

            @Override
            public RelativeClock getInputActivityClock() {
                return clock;
            }
        });
    }

    private final TimestampAssigner<Ingested> timestamps =
            strategy.createTimestampAssigner(new TimestampAssignerSupplier.Context() {
                @Override
                public MetricGroup getMetricGroup() {
                    return new UnregisteredMetricsGroup();
                }
            });

    private void receive(Ingested record) {
        generator.onEvent(record, timestamps.extractTimestamp(record, Long.MIN_VALUE), output);
    }

    /** Periodic emits every 200 ms of the clock, as Flink's default auto-watermark interval, for {@code d}. */
    private void runFor(Duration d, Ingested everyTick) {
        for (long waited = 0; waited < d.toMillis(); waited += 200) {
            if (everyTick != null) {
                receive(everyTick);
            }
            clock.advanceTime(Duration.ofMillis(200));
            generator.onPeriodicEmit(output);
        }
    }

    private static Ingested click(long ts) {
        return new Ingested(
                new Click(
                        "e",
                        "u",
                        1L,
                        2L,
                        ClickAction.VIEW,
                        Instant.ofEpochMilli(ts),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null),
                Long.MIN_VALUE);
    }

    private static final Ingested DEAD = new Ingested(
            new DeadLetter("clicks", "garbage", "not valid JSON", Instant.ofEpochMilli(T)), Long.MIN_VALUE);

    @Test
    void anEventAdvancesTheWatermarkAtOnceAndADeadLetterNever() {
        receive(click(T));
        receive(DEAD);
        receive(click(T - 1_000)); // behind the maximum: no new watermark
        assertThat(out).containsExactly("wm " + (T - 5_001));
    }

    @Test
    void anInputDeliveringOnlyDeadLettersGoesIdleLikeASilentOne() {
        receive(click(T));
        runFor(IDLE.plusSeconds(2), DEAD);
        assertThat(out)
                .as("dead letters are no activity: the input must stop holding event time back")
                .containsExactly("wm " + (T - 5_001), "idle");
    }

    private static Ingested campaign(long start) {
        return new Ingested(
                new Campaign(
                        "c" + start,
                        CampaignKind.FLASH_SALE,
                        Instant.ofEpochMilli(start),
                        Instant.ofEpochMilli(start + 3_600_000),
                        0.1,
                        null,
                        null,
                        null),
                Long.MIN_VALUE);
    }

    @Test
    void aDefinitionsInputHoldsEventTimeUntilItsFirstDefinitionThenGoesIdleAtOnce() {
        WatermarkStrategy<Ingested> definitions = PulseWatermarks.definitions(MAX_DELAY, IDLE);
        WatermarkGenerator<Ingested> g = generatorOf(definitions);
        TimestampAssigner<Ingested> ts = definitions.createTimestampAssigner(null);
        Ingested first = campaign(T);
        assertThat(ts.extractTimestamp(first, Long.MIN_VALUE)).isEqualTo(T);

        for (int i = 0; i < 10; i++) {
            clock.advanceTime(Duration.ofMillis(200));
            g.onPeriodicEmit(output);
        }
        assertThat(out)
                .as("waiting for the topic's definitions, like any input")
                .isEmpty();

        g.onEvent(first, T, output);
        g.onPeriodicEmit(output);
        g.onPeriodicEmit(output);
        Ingested later = campaign(T + 60_000);
        g.onEvent(later, T + 60_000, output);
        g.onPeriodicEmit(output);
        g.onPeriodicEmit(output);
        assertThat(out)
                .as("a definition moves the watermark once, then the input is idle at the next quiet emit")
                .containsExactly("wm " + (T - 5_001), "idle", "wm " + (T + 60_000 - 5_001), "idle");
    }

    @Test
    void anInputDeliveringEventsStaysActive() {
        receive(click(T));
        runFor(IDLE.plusSeconds(2), click(T));
        assertThat(out).containsExactly("wm " + (T - 5_001));
    }
}
