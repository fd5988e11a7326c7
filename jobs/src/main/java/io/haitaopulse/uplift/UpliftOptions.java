package io.haitaopulse.uplift;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;

/** Typed options of the uplift job. */
public final class UpliftOptions {

    public static final ConfigOption<Double> TAU_CONVERSION = key("pulse.uplift.tau-conversion")
            .doubleType()
            .defaultValue(0.01)
            .withDescription(
                    "Mixing standard deviation of the always-valid confidence interval for conversion, as a share "
                            + "(0.01 = 1 percentage point, the effect size the interval is tuned to). Positive.");

    public static final ConfigOption<Double> TAU_REVENUE_CENTS = key("pulse.uplift.tau-revenue-cents")
            .doubleType()
            .defaultValue(1000.0)
            .withDescription(
                    "Mixing standard deviation of the always-valid confidence interval for revenue per user, in cents "
                            + "(1000: 10 CNY). Positive.");

    public static final ConfigOption<Duration> CUPED_LOOKBACK = key("pulse.uplift.cuped-lookback")
            .durationType()
            .defaultValue(Duration.ofDays(14))
            .withDescription(
                    "CUPED covariate period: a user's covariate is the same metric over this long before their first "
                            + "exposure. Every user's PAID and RETURNED orders are kept this long (plus the allowed lateness), "
                            + "whether or not a campaign runs; 0 turns the adjustment off (covariate 0, CUPED fields equal "
                            + "the plain ones) and keeps no order history. Not negative.");

    public static final ConfigOption<Duration> UNKNOWN_CAMPAIGN_TTL = key("pulse.uplift.unknown-campaign-ttl")
            .durationType()
            .defaultValue(Duration.ofDays(30))
            .withDescription(
                    "How long exposures to a campaign that was never defined are kept, waiting for its definition. Positive.");

    public static final ConfigOption<Duration> SESSION_GAP = key("pulse.attribution.session-gap")
            .durationType()
            .defaultValue(Duration.ofMinutes(30))
            .withDescription("Inactivity (event time) that ends a session of channel_attribution. Positive.");

    public static final ConfigOption<Duration> ATTRIBUTION_LOOKBACK = key("pulse.attribution.lookback")
            .durationType()
            .defaultValue(Duration.ofDays(7))
            .withDescription(
                    "How far back before an order its last non-direct touch may be to get the credit. Positive.");

    public static final ConfigOption<Duration> ATTRIBUTION_USER_TTL = key("pulse.attribution.user-ttl")
            .durationType()
            .defaultValue(Duration.ofDays(30))
            .withDescription(
                    "A user silent this long is forgotten: touches, sessions and whether they ever ordered (a returning "
                            + "buyer then counts as new). Positive.");

    public static final ConfigOption<Duration> DID_PRE_PERIOD = key("pulse.uplift.did-pre-period")
            .durationType()
            .defaultValue(Duration.ofDays(7))
            .withDescription(
                    "Longest pre-period of the diff-in-diff estimate of campaign_did (it is as long as the campaign, at "
                            + "most this). Positive.");

    private UpliftOptions() {}
}
