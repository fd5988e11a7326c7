package io.haitaopulse.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haitaopulse.sourcing.SourcingOptions;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Job options are read and validated once into typed settings: defaults come from the options, and
 * every invalid value fails with one line that starts with its key.
 */
class JobSettingsTest {

    @Test
    void defaultsAreTheOptionsDefaults() {
        JobSettings s = JobSettings.from(new Configuration());
        assertThat(s.pulse().window()).isEqualTo(Duration.ofHours(1));
        assertThat(s.pulse().slide()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.pulse().top()).isEqualTo(10);
        assertThat(s.privacy().k()).isEqualTo(10);
        assertThat(s.bots().enabled()).isTrue();
        assertThat(s.trends().minViews()).isEqualTo(30L);
        assertThat(s.trends().fdr()).isEqualTo(0.03);
        assertThat(s.trends().maxRecent()).isEqualTo(Duration.ofMinutes(30));
        assertThat(s.trends().pulse()).isSameAs(s.pulse());
        assertThat(s.uplift().sessionGap()).isEqualTo(Duration.ofMinutes(30));
        assertThat(s.sourcing().orderQuantile()).isEqualTo(0.95);
        assertThat(s.sourcing().freight()).isEqualTo(SourcingOptions.Freight.SEA);
        assertThat(s.traffic().paymentTimeout()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void aUnitCostShareSetsTheNewsvendorQuantile() {
        JobSettings s = JobSettings.from(Configuration.fromMap(Map.of("pulse.sourcing.unit-cost-share", "0.4")));
        assertThat(s.sourcing().orderQuantile()).isEqualTo(1 - 0.4);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "pulse.window                     | 0s    | pulse.window (--window) must be positive, got 0ms",
                "pulse.top                        | 0     | pulse.top (--top) must be at least 1, got 0",
                "pulse.privacy.k                  | 0     | pulse.privacy.k must be at least 1, got 0",
                "pulse.bots.max-views-per-minute  | 0     | pulse.bots.max-views-per-minute must be at least 1, got 0",
                "pulse.bots.blacklist             | 30s   | pulse.bots.blacklist must be at least 1m (the judging window), got 30s",
                "pulse.trends.half-life           | 0s    | pulse.trends.half-life must be positive, got 0ms",
                "pulse.trends.min-views           | -1    | pulse.trends.min-views must be at least 0, got -1",
                "pulse.trends.overdispersion      | -0.1  | pulse.trends.overdispersion must be a number of at least 0.0, got -0.1",
                "pulse.trends.fdr                 | 0.5   | pulse.trends.fdr must be within (0, 0.5), got 0.5",
                "pulse.trends.fdr                 | 0     | pulse.trends.fdr must be within (0, 0.5), got 0.0",
                "pulse.trends.max-recent          | 5min  | pulse.trends.max-recent must be at least pulse.trends.recent (10m), got 5m",
                "pulse.uplift.tau-conversion      | 0     | pulse.uplift.tau-conversion must be positive, got 0.0",
                "pulse.attribution.session-gap    | 0s    | pulse.attribution.session-gap must be positive, got 0ms",
                "pulse.sourcing.cadence           | 7h    | pulse.sourcing.cadence must divide a day, got 7h",
                "pulse.sourcing.lookback-days     | 0     | pulse.sourcing.lookback-days must be at least 1, got 0",
                "pulse.sourcing.service-level     | 1     | pulse.sourcing.service-level must be within (0, 1), got 1.0",
                "pulse.sourcing.max-return-rate   | 1.5   | pulse.sourcing.max-return-rate must be within [0, 1], got 1.5",
                "pulse.traffic.exact-uv-limit     | -1    | pulse.traffic.exact-uv-limit must be at least 0, got -1",
                "pulse.orders.payment-timeout     | 0s    | pulse.orders.payment-timeout must be positive, got 0ms",
            })
    void anInvalidValueFailsWithOneLineNamingItsKey(String key, String value, String message) {
        assertThatThrownBy(() -> JobSettings.from(Configuration.fromMap(Map.of(key, value))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message)
                .hasMessageNotContaining("\n");
    }

    @Test
    void aNegativeDurationFailsNamingItsKeyAndFlag() {
        Configuration conf = new Configuration();
        conf.set(io.haitaopulse.common.PulseOptions.MAX_DELAY, Duration.ofSeconds(-1));
        assertThatThrownBy(() -> JobSettings.from(conf))
                .hasMessage("pulse.max-delay (--max-delay) must not be negative, got -1s");
        Configuration skew = new Configuration();
        skew.set(io.haitaopulse.common.PulseOptions.MAX_PAST_SKEW, Duration.ofSeconds(-1));
        assertThatThrownBy(() -> JobSettings.from(skew))
                .hasMessage("pulse.max-past-skew must not be negative, got -1s");
    }

    @Test
    void aValueThatDoesNotParseNamesItsKey() {
        assertThatThrownBy(() -> JobSettings.from(Configuration.fromMap(Map.of("pulse.trends.min-ratio", "lots"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pulse.trends.min-ratio");
    }
}
