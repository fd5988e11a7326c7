package io.haitaopulse.sourcing;

import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * The arithmetic of the sourcing shortlist, free of Flink so that it can be checked by hand:
 * Beta-prior shrinkage toward the category, damped-trend demand forecasting, and the newsvendor
 * order quantity.
 */
final class SourcingMath {

    private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);

    private SourcingMath() {}

    /**
     * Posterior mean of a rate with a Beta prior of mean {@code priorMean} and strength
     * {@code strength} pseudo-trials: {@code (successes + strength · priorMean) / (trials + strength)}.
     * An item with three trials stays close to its category; one with thousands speaks for itself.
     */
    static double shrink(double successes, double trials, double priorMean, double strength) {
        return (successes + strength * priorMean) / (trials + strength);
    }

    /**
     * One-step-ahead forecast of a damped-trend (Gardner–McKenzie) exponential smoothing of
     * {@code series} (oldest first): level {@code l = a y + (1 − a)(l + φ b)}, trend
     * {@code b = β (l − l_prev) + (1 − β) φ b}, forecast {@code l + φ b}, never negative. Initial
     * level is the first value, initial trend 0.
     */
    static double dampedTrendForecast(double[] series, double alpha, double beta, double phi) {
        if (series.length == 0) {
            return 0;
        }
        double level = series[0];
        double trend = 0;
        for (int i = 1; i < series.length; i++) {
            double previous = level;
            level = alpha * series[i] + (1 - alpha) * (previous + phi * trend);
            trend = beta * (level - previous) + (1 - beta) * phi * trend;
        }
        return Math.max(0, level + phi * trend);
    }

    /**
     * Newsvendor order quantity for demand over a random lead time: mean {@code d · L}, variance
     * {@code L σ_d² + d² σ_L²} (daily demand d with standard deviation σ_d, lead time L days with
     * standard deviation σ_L), ordered up to the {@code serviceLevel} quantile of a normal
     * approximation, rounded up to whole units.
     */
    static long orderQuantity(
            double dailyMean, double dailySd, double leadDays, double leadSdDays, double serviceLevel) {
        if (!(serviceLevel > 0 && serviceLevel < 1)) {
            // The quantile is infinite at 0 and 1: no finite order covers that.
            throw new IllegalArgumentException("service level must be within (0, 1), got " + serviceLevel);
        }
        double mean = dailyMean * leadDays;
        double sd = Math.sqrt(leadDays * dailySd * dailySd + dailyMean * dailyMean * leadSdDays * leadSdDays);
        return (long)
                Math.ceil(Math.max(0, mean + STANDARD_NORMAL.inverseCumulativeProbability(serviceLevel) * sd) - 1e-9);
    }
}
