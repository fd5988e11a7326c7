package io.haitaopulse.sourcing;

/**
 * The arithmetic of the sourcing shortlist, free of Flink so that it can be checked by hand:
 * Beta-prior shrinkage toward the category, damped-trend demand forecasting, and the newsvendor
 * order quantity.
 */
final class SourcingMath {

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
    static long orderQuantity(double dailyMean, double dailySd, double leadDays, double leadSdDays, double serviceLevel) {
        double mean = dailyMean * leadDays;
        double sd = Math.sqrt(leadDays * dailySd * dailySd + dailyMean * dailyMean * leadSdDays * leadSdDays);
        return (long) Math.ceil(Math.max(0, mean + inverseNormal(serviceLevel) * sd) - 1e-9);
    }

    /** Standard normal quantile (Acklam's rational approximation with one Newton step; |error| < 1e-12). */
    static double inverseNormal(double p) {
        if (p <= 0 || p >= 1) {
            throw new IllegalArgumentException("probability must be within (0, 1), got " + p);
        }
        double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
            -3.066479806614716e+01, 2.506628277459239e+00};
        double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
            -1.328068155288572e+01};
        double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
            4.374664141464968e+00, 2.938163982698783e+00};
        double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
        double x;
        if (p < 0.02425) {
            double q = Math.sqrt(-2 * Math.log(p));
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        } else if (p > 1 - 0.02425) {
            double q = Math.sqrt(-2 * Math.log(1 - p));
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        } else {
            double q = p - 0.5;
            double r = q * q;
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                    / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
        }
        // One Halley step on Φ(x) − p sharpens the approximation to near machine precision.
        double e = 0.5 * erfc(-x / Math.sqrt(2)) - p;
        double u = e * Math.sqrt(2 * Math.PI) * Math.exp(x * x / 2);
        return x - u / (1 + x * u / 2);
    }

    /** Complementary error function via the chi-square tail: erfc(z) = Q(1/2, z²) for z ≥ 0. */
    static double erfc(double z) {
        double q = io.haitaopulse.common.Distributions.upperRegularizedGamma(0.5, z * z);
        return z >= 0 ? q : 2 - q;
    }
}
