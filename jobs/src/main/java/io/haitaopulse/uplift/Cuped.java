package io.haitaopulse.uplift;

/**
 * CUPED (regression adjustment) of one metric's lift, as GrowthBook's gbstats 0.8 computes it
 * with {@code RegressionAdjustedStatistic} (CONTRACTS §3): θ = Cov(X, Y) / Var(X) over both arms
 * pooled (0 when either pooled variance is 0); per arm the adjusted mean
 * {@code mean(Y) − θ·mean(X)} and variance {@code Var(Y) + θ²·Var(X) − 2θ·Cov(X, Y)}, sample
 * moments with n − 1. The CI is the Welch normal approximation on the adjusted variances, z = 1.96.
 *
 * <p>Fields are null where the plain statistic is: θ and the lift without a user in either arm,
 * the interval and the variance reduction below two users in an arm (the variance reduction also
 * when the plain variance of the difference is 0).
 *
 * @param theta pooled regression coefficient of Y on X
 * @param liftAbs difference of the adjusted means, TREATMENT − CONTROL
 * @param ciLow lower end of the 95 % CI of {@code liftAbs}
 * @param ciHigh upper end
 * @param varianceReduction 1 − adjusted variance of the difference / plain variance of it
 */
record Cuped(Double theta, Double liftAbs, Double ciLow, Double ciHigh, Double varianceReduction) {

    private static final Cuped UNDEFINED = new Cuped(null, null, null, null, null);

    static Cuped of(UpliftStats.Arm t, UpliftStats.Arm c) {
        if (t.n() == 0 || c.n() == 0) {
            return UNDEFINED;
        }
        long n = t.n() + c.n();
        double varY = variance(n, t.sum() + c.sum(), t.sumSq() + c.sumSq());
        double varX = variance(n, t.sumX() + c.sumX(), t.sumXSq() + c.sumXSq());
        double theta = varX <= 0 || varY <= 0
                ? 0.0
                : covariance(n, t.sumX() + c.sumX(), t.sum() + c.sum(), t.sumXY() + c.sumXY()) / varX;
        double liftAbs = adjustedMean(t, theta) - adjustedMean(c, theta);
        if (t.n() < 2 || c.n() < 2) {
            return new Cuped(theta, liftAbs, null, null, null);
        }
        double adjusted = adjustedVariance(t, theta) / t.n() + adjustedVariance(c, theta) / c.n();
        double half = UpliftStats.Z * Math.sqrt(Math.max(adjusted, 0.0));
        double plain = t.variance() / t.n() + c.variance() / c.n();
        Double reduction = plain > 0 ? 1 - adjusted / plain : null;
        return new Cuped(theta, liftAbs, liftAbs - half, liftAbs + half, reduction);
    }

    private static double adjustedMean(UpliftStats.Arm a, double theta) {
        return a.sum() / a.n() - theta * a.sumX() / a.n();
    }

    private static double adjustedVariance(UpliftStats.Arm a, double theta) {
        long n = a.n();
        return variance(n, a.sum(), a.sumSq())
                + theta * theta * variance(n, a.sumX(), a.sumXSq())
                - 2 * theta * covariance(n, a.sumX(), a.sum(), a.sumXY());
    }

    /** gbstats' {@code SampleMeanStatistic.variance}: 0 below two users, unclamped otherwise. */
    private static double variance(long n, double sum, double sumSq) {
        return n <= 1 ? 0.0 : (sumSq - sum * sum / n) / (n - 1);
    }

    /** gbstats' {@code compute_covariance} of two sample means. */
    private static double covariance(long n, double sumX, double sumY, double sumXY) {
        return n <= 1 ? 0.0 : (sumXY - sumX * sumY / n) / (n - 1);
    }
}
