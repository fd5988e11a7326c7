package io.haitaopulse.trends;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.haitaopulse.common.PulseOptions;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class TrendModelTest {

    static Configuration conf() {
        Configuration c = new Configuration();
        c.set(PulseOptions.WINDOW, Duration.ofHours(1));
        c.set(PulseOptions.SLIDE, Duration.ofMinutes(5));
        return c;
    }

    @Test
    void defaultsGiveATenMinuteRecentSpanAndAnHourOfWarmUp() {
        TrendModel m = new TrendModel(TrendSettings.from(conf()));
        assertThat(m.recent).isEqualTo(10 * 60_000L);
        assertThat(m.warmupPanes).isEqualTo(12);
        // Half-life 6 h = 72 panes of 5 min: a = 1 - 2^(-1/72).
        assertThat(m.levelAlpha).isCloseTo(1 - Math.pow(2, -1.0 / 72), within(1e-15));
    }

    @Test
    void hoursAreCountedOnTheShopsClock() {
        TrendModel m = new TrendModel(TrendSettings.from(conf()));
        // 2017-11-26T01:00Z is 09:00 in Beijing.
        assertThat(m.hourOf(1_511_658_000_000L)).isEqualTo(9);
        assertThat(m.hourOf(1_511_658_000_000L - 9 * 3_600_000L - 1)).isEqualTo(23);
    }

    @Test
    void zAddsOverdispersionToPoissonNoiseAndFloorsTheVariance() {
        TrendModel m = new TrendModel(TrendSettings.from(conf()));
        // (30 - 10) / sqrt(10 + (0.1 * 10)^2) = 20 / sqrt(11)
        assertThat(m.z(30, 10)).isCloseTo(20 / Math.sqrt(11), within(1e-12));
        // A baseline of 0.2 views: variance floored at 1 (+ 0.02^2).
        assertThat(m.z(3, 0.2)).isCloseTo(2.8 / Math.sqrt(1.0004), within(1e-12));
    }

    @Test
    void trendingNeedsSupportRatioAndZ() {
        TrendModel m = new TrendModel(TrendSettings.from(conf()));
        assertThat(m.trending(60, 20, 30, 10)).isTrue();
        assertThat(m.trending(19, 20, 30, 10)).as("too few views").isFalse();
        assertThat(m.trending(60, 9, 30, 10)).as("too few viewers").isFalse();
        assertThat(m.trending(29, 20, 30, 10)).as("too few views").isFalse();
        assertThat(m.trending(60, 20, 19, 10)).as("ratio 1.9").isFalse();
        // Ratio 2.5 but z = 6 / sqrt(4 + 0.16) < 3.5.
        assertThat(m.trending(60, 20, 10, 4)).as("not significant").isFalse();
    }

    @Test
    void seasonalityIsFlatUntilEveryHourIsSeenThenNormalisedToMeanOne() {
        Seasonality s = new Seasonality();
        for (int h = 0; h < 23; h++) {
            s.observe(h, h < 12 ? 1 : 3, 0.5);
        }
        assertThat(s.factor(20)).isEqualTo(1.0);
        s.observe(23, 3, 0.5);
        // 12 hours at 1 and 12 at 3: mean 2.
        assertThat(s.factor(5)).isEqualTo(0.5);
        assertThat(s.factor(20)).isEqualTo(1.5);
        s.observe(5, 3, 0.5); // EWMA: 1 + 0.5 * (3 - 1) = 2
        assertThat(s.hourly[5]).isEqualTo(2.0);
    }
}
