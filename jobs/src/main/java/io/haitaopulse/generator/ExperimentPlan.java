package io.haitaopulse.generator;

import java.time.Duration;

/**
 * What the simulator plants for analysing experiments beyond a plain difference of means: a period
 * of ordinary shopping before the campaigns (the covariate period of CUPED), users who differ
 * persistently in how often they come, buy, spend and return (so that their past predicts their
 * behaviour under a campaign), and campaigns that drive returns.
 *
 * <p>{@link #none()} in every preset but {@code experiments}. Any other plan switches the simulator
 * to <em>exact coupled outcomes</em>: every filled basket draws its purchase, extra units, returns
 * and return times once, before the purchase is decided, and evaluates them under both arms of
 * every randomised campaign the user is exposed to, so that the true lifts in {@code truth.json} are
 * exactly the mean difference of the per-user metrics of CONTRACTS §3 between the two worlds. That
 * changes the order of the draws: a preset run with any of these options gives other files than
 * without.
 *
 * @param preCampaign ordinary activity before the campaigns start: the campaigns' windows are
 *     shares of the rest of the period ({@link Duration#ZERO}: of the whole period, as before)
 * @param propensityShape shape k of the Gamma(k, 1/k) multipliers (mean 1, variance 1/k) every user
 *     draws once for how often they come, how likely a basket is bought, how many units they take
 *     and how likely a line comes back; 0: every user alike (apart from the core segment)
 * @param campaignReturns whether discount campaigns raise the return chance of lines their treated
 *     users buy while the campaign runs (the campaign's {@code return_multiplier} in truth.json)
 */
public record ExperimentPlan(Duration preCampaign, double propensityShape, boolean campaignReturns) {

    /** No pre-campaign period, users alike, campaigns without an effect on returns: the classic simulator. */
    public static ExperimentPlan none() {
        return new ExperimentPlan(Duration.ZERO, 0.0, false);
    }

    /** The plan of scenario {@code experiments}: 21 days of ordinary shopping, Gamma(1) users, campaign returns. */
    public static ExperimentPlan experiments() {
        return new ExperimentPlan(Duration.ofDays(21), 1.0, true);
    }

    /** Whether anything is planted, and with it the exact coupled outcomes. */
    public boolean active() {
        return !preCampaign.isZero() || propensityShape > 0 || campaignReturns;
    }

    /** With {@code d} of ordinary activity before the campaigns. */
    public ExperimentPlan withPreCampaign(Duration d) {
        return new ExperimentPlan(d, propensityShape, campaignReturns);
    }

    /** With users' multipliers of shape {@code k} (0: users alike). */
    public ExperimentPlan withPropensityShape(double k) {
        return new ExperimentPlan(preCampaign, k, campaignReturns);
    }

    /** With or without campaign-driven returns. */
    public ExperimentPlan withCampaignReturns(boolean on) {
        return new ExperimentPlan(preCampaign, propensityShape, on);
    }

    /** Checks the ranges against the simulated {@code duration}; throws {@link IllegalArgumentException}. */
    void validate(Duration duration) {
        if (preCampaign.isNegative()) {
            throw new IllegalArgumentException("--pre-campaign must not be negative");
        }
        if (duration.minus(preCampaign).toMinutes() < 60) {
            throw new IllegalArgumentException(
                    "--pre-campaign must leave at least one hour of the simulated period for the campaigns");
        }
        if (!(propensityShape == 0 || (propensityShape >= 0.05 && propensityShape <= 1000))) {
            throw new IllegalArgumentException("--propensity-shape must be 0 (users alike) or within [0.05, 1000]");
        }
    }
}
