package io.haitaopulse.trends;

import java.util.Arrays;
import org.apache.commons.numbers.gamma.LogBeta;
import org.apache.commons.numbers.gamma.LogGamma;
import org.apache.commons.numbers.gamma.RegularizedBeta;
import org.apache.commons.numbers.gamma.RegularizedGamma;

/**
 * The exact small-count arithmetic of the trend test: the upper tail of a negative binomial count
 * and the Benjamini–Hochberg cut over the items of a window. Free of Flink, checked by hand.
 */
final class TrendTail {

    /** Below this inverse size the negative binomial is a Poisson to double precision. */
    private static final double POISSON_LIMIT = 1e-12;

    private TrendTail() {}

    /**
     * {@code P(X >= x)} for a count X with mean {@code mean} and variance
     * {@code mean + inverseSize * mean^2}: a negative binomial of size {@code 1 / inverseSize}
     * (a Poisson when {@code inverseSize} is 0). Exact at small counts, where a normal
     * approximation is too kind to a handful of views against a baseline of one or two.
     */
    static double survival(long x, double mean, double inverseSize) {
        if (x <= 0) {
            return 1.0;
        }
        if (!(mean > 0)) {
            return 0.0;
        }
        if (inverseSize < POISSON_LIMIT) {
            // P(X >= x) for a Poisson(mean) is the lower regularized gamma P(x, mean).
            return RegularizedGamma.P.value(x, mean);
        }
        double size = 1 / inverseSize;
        // Failures before the size-th success with success probability size / (size + mean):
        // P(X >= x) = I_{mean / (size + mean)}(x, size), the regularized incomplete beta.
        return RegularizedBeta.value(mean / (size + mean), x, size);
    }

    /** Above this concentration a beta-binomial is a binomial to double precision. */
    private static final double BINOMIAL_LIMIT = 1e12;

    /**
     * {@code log(k!)} for every k below 2^16 (counts of viewers in a span of one category), each
     * exactly {@code LogGamma.value(k + 1.0)}: a lookup gives the same bits as the call, and the
     * class loads in a few milliseconds. Not Commons Numbers' {@code LogFactorial}: its values
     * differ from {@code LogGamma}'s in the last bits for all but a few k, which would move tails
     * and so, at a tie with the cut, a trend decision.
     */
    private static final double[] LOG_FACTORIALS = new double[1 << 16];

    static {
        for (int k = 0; k < LOG_FACTORIALS.length; k++) {
            LOG_FACTORIALS[k] = LogGamma.value(k + 1.0);
        }
    }

    /** {@code log(k!)} for {@code k >= 0}, equal to {@code LogGamma.value(k + 1.0)}. */
    static double logFactorial(long k) {
        return k < LOG_FACTORIALS.length ? LOG_FACTORIALS[(int) k] : LogGamma.value(k + 1.0);
    }

    /**
     * {@code P(X >= x)} for X beta-binomial: {@code n} trials whose success probability is
     * Beta({@code alpha}, {@code beta}) distributed, i.e. a binomial whose probability is itself
     * uncertain. See {@link BetaBinomial#survival}.
     */
    static double betaBinomialSurvival(long x, long n, double alpha, double beta) {
        return new BetaBinomial(alpha, beta).survival(x, n);
    }

    /**
     * The upper tails of counts against one Beta({@code alpha}, {@code beta}) prior: an item tests
     * several spans against the same prior, and its {@code log B(alpha, beta)} is computed once,
     * for the first tail that needs it (the log-gamma functions are most of a test's time).
     */
    static final class BetaBinomial {
        private final double alpha;
        private final double beta;
        private double logBetaPrior = Double.NaN;

        BetaBinomial(double alpha, double beta) {
            this.alpha = alpha;
            this.beta = beta;
        }

        /**
         * {@code P(X >= x)} for X beta-binomial with {@code n} trials. Summed term by term from x
         * upwards (the tail of a count above its mean falls off at least geometrically); a binomial
         * for a near-certain probability.
         */
        double survival(long x, long n) {
            if (x <= 0) {
                return 1.0;
            }
            if (x > n) {
                return 0.0;
            }
            if (alpha + beta > BINOMIAL_LIMIT) {
                // P(Bin(n, pi) >= x) = I_pi(x, n - x + 1).
                return RegularizedBeta.value(alpha / (alpha + beta), x, n - x + 1.0);
            }
            if (Double.isNaN(logBetaPrior)) {
                logBetaPrior = LogBeta.value(alpha, beta);
            }
            double logTerm = logFactorial(n)
                    - logFactorial(x)
                    - logFactorial(n - x)
                    + LogBeta.value(x + alpha, n - x + beta)
                    - logBetaPrior;
            double term = Math.exp(logTerm);
            double sum = 0;
            for (long k = x; k <= n; k++) {
                sum += term;
                if (term <= 1e-17 * sum) {
                    break;
                }
                // pmf(k + 1) / pmf(k)
                term *= (double) (n - k) / (k + 1) * (k + alpha) / (n - k - 1 + beta);
            }
            return Math.min(1.0, sum);
        }
    }

    /**
     * The Benjamini–Hochberg cut at false discovery rate {@code q} over the first {@code n}
     * p-values of {@code p} (reordered in place): the largest {@code p(k)} with
     * {@code p(k) <= k q / n}, every p-value at or below it a discovery; -1 when there is none.
     */
    static double cut(double[] p, int n, double q) {
        Arrays.sort(p, 0, n);
        for (int k = n; k >= 1; k--) {
            if (p[k - 1] <= k * q / n) {
                return p[k - 1];
            }
        }
        return -1;
    }
}
