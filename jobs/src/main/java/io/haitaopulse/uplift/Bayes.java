package io.haitaopulse.uplift;

import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * The Bayesian reading of one metric's lift, as GrowthBook's gbstats 0.8
 * {@code EffectBayesianABTest} computes it with its defaults (CONTRACTS §3): the relative effect
 * {@code (m_t − m_c) / |m_c|} of the unadjusted means with its delta-method variance
 * {@code s_t²/(n_t m_c²) + m_t² s_c²/(n_c m_c⁴)}, under a flat (improper) prior, so the posterior of
 * the effect is normal with that mean μ and standard deviation σ.
 *
 * <ul>
 *   <li>{@code chanceToWin}: P(effect &gt; 0), or P(effect &lt; 0) when lower is better;</li>
 *   <li>{@code riskControl}: expected relative loss of keeping CONTROL, E[max(effect, 0)]
 *       = μΦ(μ/σ) + σφ(μ/σ); {@code riskTreatment}: of choosing TREATMENT, E[max(−effect, 0)]
 *       = σφ(μ/σ) − μΦ(−μ/σ); swapped when lower is better. For |μ/σ| &gt; 37 gbstats uses the limits
 *       max(μ, 0) and max(−μ, 0), and so does this.</li>
 * </ul>
 * The closed forms equal gbstats' products of a probability and a truncated-normal mean.
 *
 * @param chanceToWin probability that TREATMENT is better
 * @param riskControl expected relative loss of choosing CONTROL
 * @param riskTreatment expected relative loss of choosing TREATMENT
 */
record Bayes(double chanceToWin, double riskControl, double riskTreatment) {

    private static final NormalDistribution STANDARD = NormalDistribution.of(0, 1);

    /** gbstats' bound beyond which Φ(−|μ/σ|) is 0 in double precision. */
    private static final double LIMIT = 37;

    /**
     * The reading of TREATMENT {@code t} against CONTROL {@code c}; null while a mean or a
     * variance is 0 (or undefined) in either arm, as the contract fixes.
     */
    static Bayes of(UpliftStats.Arm t, UpliftStats.Arm c, boolean lowerIsBetter) {
        Double mt = t.mean();
        Double mc = c.mean();
        Double vt = t.variance();
        Double vc = c.variance();
        if (mt == null || mc == null || vt == null || vc == null || mt == 0 || mc == 0 || vt <= 0 || vc <= 0) {
            return null;
        }
        double mu = (mt - mc) / Math.abs(mc);
        double variance = vt / t.n() / (mc * mc) + vc / c.n() * mt * mt / (mc * mc * mc * mc);
        if (!(variance > 0)) {
            return null;
        }
        double sigma = Math.sqrt(variance);
        double z = mu / sigma;
        double pBetter = STANDARD.cumulativeProbability(z);
        double riskControl;
        double riskTreatment;
        if (Math.abs(z) > LIMIT) {
            riskControl = Math.max(mu, 0.0);
            riskTreatment = Math.max(-mu, 0.0);
        } else {
            double density = STANDARD.density(z);
            riskControl = mu * pBetter + sigma * density;
            riskTreatment = sigma * density - mu * STANDARD.cumulativeProbability(-z);
        }
        return lowerIsBetter
                ? new Bayes(STANDARD.cumulativeProbability(-z), riskTreatment, riskControl)
                : new Bayes(pBetter, riskControl, riskTreatment);
    }
}
