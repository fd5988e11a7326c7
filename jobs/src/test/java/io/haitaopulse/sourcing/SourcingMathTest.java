package io.haitaopulse.sourcing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.statistics.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

/**
 * Expected values computed independently (Python's statistics.NormalDist and a direct loop); the
 * normal quantiles pin the library quantile the order quantity relies on.
 */
class SourcingMathTest {

    @Test
    void shrinkageMovesAFewTrialsTowardTheCategory() {
        // 3 returns of 10 units, category rate 5 %, prior worth 20 units: (3 + 1) / 30.
        assertThat(SourcingMath.shrink(3, 10, 0.05, 20)).isCloseTo(0.13333333333333333, within(1e-15));
        assertThat(SourcingMath.shrink(300, 1000, 0.05, 20)).isCloseTo(301.0 / 1020, within(1e-15));
    }

    @Test
    void dampedTrendForecastFollowsTheRecurrence() {
        assertThat(SourcingMath.dampedTrendForecast(new double[] {10, 12, 14, 16}, 0.5, 0.3, 0.9))
                .isCloseTo(15.54538575, within(1e-9));
        assertThat(SourcingMath.dampedTrendForecast(new double[] {5, 0, 0, 0}, 0.5, 0.3, 0.9))
                .isGreaterThanOrEqualTo(0);
    }

    @Test
    void inverseNormalMatchesReferenceQuantiles() {
        assertThat(NormalDistribution.of(0, 1).inverseCumulativeProbability(0.95))
                .isCloseTo(1.6448536269514715, within(1e-12));
        assertThat(NormalDistribution.of(0, 1).inverseCumulativeProbability(0.99))
                .isCloseTo(2.3263478740408408, within(1e-12));
        assertThat(NormalDistribution.of(0, 1).inverseCumulativeProbability(0.01))
                .isCloseTo(-2.3263478740408408, within(1e-12));
        assertThat(NormalDistribution.of(0, 1).inverseCumulativeProbability(0.5))
                .isCloseTo(0.0, within(1e-15));
    }

    @Test
    void orderQuantityCoversLeadTimeDemandAtTheServiceLevel() {
        // 10 units/day (sd 3), sea freight 4-8 weeks: mean 42 days, sd 28/sqrt(12) days; 95 %.
        double leadSd = 28 / Math.sqrt(12);
        assertThat(SourcingMath.orderQuantity(10, 3, 42, leadSd, 0.95)).isEqualTo(557);
        assertThat(SourcingMath.orderQuantity(0, 0, 42, leadSd, 0.95)).isZero();
        // Cost 60 % of price: critical ratio 0.4, below the mean: 420 + z(0.4) * 83.134 = 398.94 -> 399.
        assertThat(SourcingMath.orderQuantity(10, 3, 42, leadSd, 0.4)).isEqualTo(399);
    }

    @Test
    void aServiceLevelOutsideTheOpenUnitIntervalIsRejected() {
        assertThatThrownBy(() -> SourcingMath.orderQuantity(10, 3, 42, 5, 1.0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SourcingMath.orderQuantity(10, 3, 42, 5, 0.0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
