package io.haitaopulse.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.numbers.gamma.LogGamma;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Golden values for the tail probabilities the statistics take from Commons Statistics (the
 * sample-ratio-mismatch p-value of campaign_uplift): the library must agree with independent
 * references to 12 significant digits, far into the tail.
 */
class DistributionsTest {

    /** Reference values: erfc(sqrt(x / 2)) from Python's math.erfc (1 degree of freedom). */
    @ParameterizedTest
    @CsvSource({
        "0.0001, 0.9920212873707368",
        "0.5, 0.4795001221869535",
        "1, 0.31731050786291404",
        "3.841458820694124, 0.05000000000000008",
        "10, 0.0015654022580025488",
        "50, 1.5374597944280351e-12",
        "200, 2.088487583762545e-45",
    })
    void chiSquareSurvivalWithOneDegreeOfFreedom(double x, double p) {
        assertThat(ChiSquaredDistribution.of(1).survivalProbability(x)).isCloseTo(p, within(p * 1e-12));
    }

    @ParameterizedTest
    @CsvSource({"1, 0", "2, 0", "0.5, 0.5723649429247001", "10, 12.801827480081469"})
    void logGammaMatchesKnownValues(double x, double expected) {
        assertThat(LogGamma.value(x)).isCloseTo(expected, within(1e-13));
    }
}
