package io.haitaopulse.trends;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.apache.commons.numbers.gamma.LogGamma;
import org.junit.jupiter.api.Test;

/**
 * Tails against sums of the probability mass function written out independently (log-gamma
 * terms summed until they vanish), and the Benjamini–Hochberg cut against hand-sorted lists.
 */
class TrendTailTest {

    @Test
    void poissonTailWhenThereIsNoExtraVariance() {
        assertThat(TrendTail.survival(8, 1.5, 0)).isCloseTo(1.6956572886967037e-4, withinPercentage(1e-7));
        assertThat(TrendTail.survival(40, 10, 0)).isCloseTo(7.341636314560689e-13, withinPercentage(1e-7));
    }

    @Test
    void negativeBinomialTailWidensWithTheInverseSize() {
        assertThat(TrendTail.survival(8, 1.5, 0.01)).isCloseTo(2.0258922982381976e-4, withinPercentage(1e-7));
        assertThat(TrendTail.survival(20, 5, 0.01)).isCloseTo(9.174293480446019e-7, withinPercentage(1e-7));
        assertThat(TrendTail.survival(12, 3, 0.25)).isCloseTo(3.8873328061886617e-3, withinPercentage(1e-7));
        assertThat(TrendTail.survival(3, 0.2, 0.01)).isCloseTo(1.1780507163814287e-3, withinPercentage(1e-7));
        // Size 2, success probability 2 / (2 + 2) = 1/2: P(X >= 1) = 1 - (1/2)^2.
        assertThat(TrendTail.survival(1, 2.0, 0.5)).isCloseTo(0.75, withinPercentage(1e-10));
    }

    @Test
    void edgesNeedNoSpecialFunction() {
        assertThat(TrendTail.survival(0, 3, 0.1)).isEqualTo(1.0);
        assertThat(TrendTail.survival(-1, 3, 0.1)).isEqualTo(1.0);
        assertThat(TrendTail.survival(1, 0, 0.1)).isEqualTo(0.0);
    }

    @Test
    void benjaminiHochbergKeepsEveryPValueUpToTheLargestBelowItsLine() {
        // Sorted: 0.001, 0.008, 0.039, 0.041, 0.27; lines k * 0.05 / 5 = 0.01, 0.02, 0.03, 0.04, 0.05.
        // p(2) = 0.008 <= 0.02 is the largest below its line (0.039 > 0.03, 0.041 > 0.04).
        double[] p = {0.041, 0.001, 0.27, 0.008, 0.039};
        assertThat(TrendTail.cut(p, 5, 0.05)).isEqualTo(0.008);
        // A p-value above its own line is still a discovery when a later one is below its line.
        double[] q = {0.012, 0.015, 0.9};
        assertThat(TrendTail.cut(q, 3, 0.05)).isEqualTo(0.015);
    }

    @Test
    void noDiscoveryGivesMinusOneAndOnlyTheFirstNCount() {
        assertThat(TrendTail.cut(new double[] {0.2, 0.5}, 2, 0.05)).isEqualTo(-1);
        // The trailing 0.0 is not one of the n = 2 p-values.
        assertThat(TrendTail.cut(new double[] {0.2, 0.5, 0.0}, 2, 0.05)).isEqualTo(-1);
        assertThat(TrendTail.cut(new double[0], 0, 0.05)).isEqualTo(-1);
    }

    @Test
    void betaBinomialTailAgainstItsMassFunction() {
        assertThat(TrendTail.betaBinomialSurvival(8, 40, 2.0, 18.0))
                .isCloseTo(0.13804498454322525, withinPercentage(1e-7));
        assertThat(TrendTail.betaBinomialSurvival(20, 400, 10.0, 190.0))
                .isCloseTo(0.4866701809707733, withinPercentage(1e-7));
        assertThat(TrendTail.betaBinomialSurvival(12, 30, 0.5, 4.5))
                .isCloseTo(0.050060432146288386, withinPercentage(1e-7));
        // Beta(1, 1) is uniform, so is the count over 0..3: P(X >= 3) = 1/4.
        assertThat(TrendTail.betaBinomialSurvival(3, 3, 1.0, 1.0)).isCloseTo(0.25, withinPercentage(1e-10));
    }

    @Test
    void aCertainProbabilityMakesItABinomial() {
        assertThat(TrendTail.betaBinomialSurvival(8, 40, 0.05e13, 0.95e13))
                .isCloseTo(7.115084380675577e-4, withinPercentage(1e-7));
        // All 8 of 8 with probability 0.3 each.
        assertThat(TrendTail.betaBinomialSurvival(8, 8, 0.3e13, 0.7e13)).isCloseTo(6.561e-5, withinPercentage(1e-7));
        assertThat(TrendTail.betaBinomialSurvival(9, 8, 1, 1)).isEqualTo(0.0);
        assertThat(TrendTail.betaBinomialSurvival(0, 8, 1, 1)).isEqualTo(1.0);
    }

    @Test
    void logFactorialsAreTheLogGammaFunctionsOwnBits() {
        // Bit for bit: the lookup must not move any tail, and so no trend decision.
        for (long k : new long[] {0, 1, 2, 20, 21, 170, 171, 4_095, 65_534, 65_535, 65_536, 1_000_000}) {
            assertThat(TrendTail.logFactorial(k)).as("log(%d!)", k).isEqualTo(LogGamma.value(k + 1.0));
        }
        assertThat(TrendTail.logFactorial(0)).isZero();
        assertThat(TrendTail.logFactorial(5)).isCloseTo(Math.log(120), withinPercentage(1e-12));
    }

    @Test
    void onePriorGivesEveryTailAsAFreshOneWould() {
        // The prior's log B(alpha, beta) is kept between tails: the order of the calls must not matter.
        TrendTail.BetaBinomial prior = new TrendTail.BetaBinomial(2.0, 18.0);
        assertThat(prior.survival(0, 40)).isEqualTo(1.0);
        assertThat(prior.survival(41, 40)).isZero();
        assertThat(prior.survival(8, 40)).isEqualTo(TrendTail.betaBinomialSurvival(8, 40, 2.0, 18.0));
        assertThat(prior.survival(12, 90)).isEqualTo(TrendTail.betaBinomialSurvival(12, 90, 2.0, 18.0));
        assertThat(prior.survival(8, 40)).isCloseTo(0.13804498454322525, withinPercentage(1e-7));
    }
}
