package io.haitaopulse.uplift;

import io.haitaopulse.schema.CampaignUplift;
import java.time.Instant;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;

/**
 * The statistics of one campaign_uplift row from sufficient statistics (n, Σy, Σy²) per arm
 * (CONTRACTS §3). Undefined quantities are null: means of an empty arm, variances with fewer than
 * two users, relative lift when the control mean is 0.
 *
 * <ul>
 *   <li>CI of {@code lift_abs}: Welch normal approximation, {@code lift ± 1.96 sqrt(s_t²/n_t + s_c²/n_c)},
 *       sample variances with n − 1.</li>
 *   <li>CI of {@code lift_rel}: delta method on the linear scale,
 *       {@code se = sqrt(s_t²/(n_t m_c²) + m_t² s_c²/(n_c m_c⁴))}.</li>
 *   <li>Always-valid CI of {@code lift_abs} (mixture SPRT, Johari et al. 2017 / Robbins): with
 *       {@code V = s_t²/n_t + s_c²/n_c} and a normal mixing distribution of variance τ² on the lift,
 *       {@code lift ± sqrt(V (V + τ²) / τ² · ln((V + τ²) / (V α²)))}, α = 0.05. It can be watched
 *       after every event: the chance that it ever excludes the true lift is at most 5 %.</li>
 *   <li>{@code srm_p}: chi-square goodness of fit (1 df) of the arm counts against
 *       {@code holdout_pct}; for a hold-out of 0 or 1 it is 1 when every user is in the expected arm
 *       and 0 otherwise.</li>
 *   <li>CUPED fields ({@link Cuped}) and the Bayesian fields ({@link Bayes}), as GrowthBook's
 *       gbstats 0.8 computes them.</li>
 * </ul>
 */
public final class UpliftStats {

    /** Two-sided 95 % normal quantile, as fixed by the contract. */
    public static final double Z = 1.96;
    /** Error rate of the always-valid interval. */
    public static final double ALPHA = 0.05;

    /** The sample-ratio-mismatch test's null distribution: two arms, one degree of freedom. */
    private static final ChiSquaredDistribution CHI_SQUARE_1 = ChiSquaredDistribution.of(1);

    private UpliftStats() {}

    /**
     * Sufficient statistics of one arm for one metric: users, Σy, Σy², and for CUPED Σx, Σx², Σxy
     * (x: the same metric over the lookback before each user's first exposure).
     */
    public record Arm(long n, double sum, double sumSq, double sumX, double sumXSq, double sumXY) {
        public static final Arm EMPTY = new Arm(0, 0, 0);

        /** An arm without covariates (all x = 0). */
        public Arm(long n, double sum, double sumSq) {
            this(n, sum, sumSq, 0, 0, 0);
        }

        Double mean() {
            return n == 0 ? null : sum / n;
        }

        /** Sample variance (n − 1), never negative; null below two users. */
        Double variance() {
            if (n < 2) {
                return null;
            }
            double v = (sumSq - sum * sum / n) / (n - 1);
            return Math.max(v, 0.0);
        }

        Double meanX() {
            return n == 0 ? null : sumX / n;
        }
    }

    /**
     * The row for one metric; {@code incrementalRevenueCents} is computed by the caller from the
     * revenue metric; {@code lowerIsBetter} for a guardrail (the Bayesian fields then favour the
     * arm with the lower mean).
     */
    public static CampaignUplift row(
            String campaignId,
            String metric,
            Instant asOf,
            Arm t,
            Arm c,
            double holdoutPct,
            double tau,
            Long incrementalRevenueCents,
            boolean lowerIsBetter) {
        Double mt = t.mean();
        Double mc = c.mean();
        Double vt = t.variance();
        Double vc = c.variance();
        Double liftAbs = mt != null && mc != null ? mt - mc : null;
        Double liftRel = mt != null && mc != null && mc != 0 ? mt / mc - 1 : null;
        Double ciLow = null;
        Double ciHigh = null;
        Double relLow = null;
        Double relHigh = null;
        Double anyLow = null;
        Double anyHigh = null;
        if (liftAbs != null && vt != null && vc != null) {
            double v = vt / t.n() + vc / c.n();
            double half = Z * Math.sqrt(v);
            ciLow = liftAbs - half;
            ciHigh = liftAbs + half;
            double anytime = anytimeHalfWidth(v, tau);
            anyLow = liftAbs - anytime;
            anyHigh = liftAbs + anytime;
            if (liftRel != null) {
                double se = Math.sqrt(vt / (t.n() * mc * mc) + mt * mt * vc / (c.n() * mc * mc * mc * mc));
                relLow = liftRel - Z * se;
                relHigh = liftRel + Z * se;
            }
        }
        Cuped cuped = Cuped.of(t, c);
        Bayes bayes = Bayes.of(t, c, lowerIsBetter);
        return new CampaignUplift(
                campaignId,
                metric,
                asOf,
                t.n(),
                c.n(),
                mt,
                mc,
                liftAbs,
                liftRel,
                ciLow,
                ciHigh,
                relLow,
                relHigh,
                anyLow,
                anyHigh,
                srmP(t.n(), c.n(), holdoutPct),
                incrementalRevenueCents,
                t.meanX(),
                c.meanX(),
                cuped.theta(),
                cuped.liftAbs(),
                cuped.ciLow(),
                cuped.ciHigh(),
                cuped.varianceReduction(),
                bayes == null ? null : bayes.chanceToWin(),
                bayes == null ? null : bayes.riskControl(),
                bayes == null ? null : bayes.riskTreatment());
    }

    /** Half-width of the mixture-SPRT confidence sequence for a normal estimate with variance {@code v}. */
    static double anytimeHalfWidth(double v, double tau) {
        if (v <= 0) {
            return 0.0;
        }
        double tau2 = tau * tau;
        return Math.sqrt(v * (v + tau2) / tau2 * Math.log((v + tau2) / (v * ALPHA * ALPHA)));
    }

    /** Sample-ratio-mismatch p-value; null without users. */
    static Double srmP(long nT, long nC, double holdoutPct) {
        long n = nT + nC;
        if (n == 0) {
            return null;
        }
        if (holdoutPct <= 0 || holdoutPct >= 1) {
            boolean allExpected = holdoutPct <= 0 ? nC == 0 : nT == 0;
            return allExpected ? 1.0 : 0.0;
        }
        double expC = n * holdoutPct;
        double expT = n * (1 - holdoutPct);
        double chi2 = (nC - expC) * (nC - expC) / expC + (nT - expT) * (nT - expT) / expT;
        return CHI_SQUARE_1.survivalProbability(chi2);
    }
}
