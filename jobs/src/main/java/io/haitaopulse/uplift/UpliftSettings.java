package io.haitaopulse.uplift;

import io.haitaopulse.common.OptionChecks;
import io.haitaopulse.common.PulseSettings;
import io.haitaopulse.privacy.PrivacySettings;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;

/**
 * The validated options of the uplift job: the common and privacy options and those of
 * {@link UpliftOptions}.
 *
 * @param pulse the common job options (slide, allowed lateness, max delay)
 * @param privacy k of the k-anonymous segment rows
 * @param tauConversion mixing standard deviation of the conversion CI; positive
 * @param tauRevenueCents mixing standard deviation of the revenue CI, in cents; positive
 * @param unknownCampaignTtl how long exposures to an undefined campaign are kept; positive
 * @param sessionGap inactivity that ends a session; positive
 * @param attributionLookback how far back an order's credited touch may be; positive
 * @param attributionUserTtl silence after which a user is forgotten; positive
 * @param didPrePeriod longest pre-period of the diff-in-diff estimate; positive
 * @param cupedLookback covariate period of CUPED before a user's first exposure; 0 turns it off
 */
public record UpliftSettings(
        PulseSettings pulse,
        PrivacySettings privacy,
        double tauConversion,
        double tauRevenueCents,
        Duration unknownCampaignTtl,
        Duration sessionGap,
        Duration attributionLookback,
        Duration attributionUserTtl,
        Duration didPrePeriod,
        Duration cupedLookback)
        implements Serializable {

    /** Reads and checks every option the job uses; throws {@link IllegalArgumentException} with one line naming the key. */
    public static UpliftSettings from(Configuration conf) {
        return from(PulseSettings.from(conf), PrivacySettings.from(conf), conf);
    }

    /** As {@link #from(Configuration)}, with the common and privacy options already read. */
    public static UpliftSettings from(PulseSettings pulse, PrivacySettings privacy, Configuration conf) {
        return new UpliftSettings(
                pulse,
                privacy,
                OptionChecks.positiveNumber(conf, UpliftOptions.TAU_CONVERSION),
                OptionChecks.positiveNumber(conf, UpliftOptions.TAU_REVENUE_CENTS),
                OptionChecks.positive(conf, UpliftOptions.UNKNOWN_CAMPAIGN_TTL),
                OptionChecks.positive(conf, UpliftOptions.SESSION_GAP),
                OptionChecks.positive(conf, UpliftOptions.ATTRIBUTION_LOOKBACK),
                OptionChecks.positive(conf, UpliftOptions.ATTRIBUTION_USER_TTL),
                OptionChecks.positive(conf, UpliftOptions.DID_PRE_PERIOD),
                OptionChecks.notNegative(conf, UpliftOptions.CUPED_LOOKBACK));
    }
}
