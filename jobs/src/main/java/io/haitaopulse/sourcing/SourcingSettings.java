package io.haitaopulse.sourcing;

import io.haitaopulse.common.Durations;
import io.haitaopulse.common.OptionChecks;
import io.haitaopulse.common.PulseSettings;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;

/**
 * The validated options of the sourcing job: the common options and those of
 * {@link SourcingOptions}.
 *
 * @param pulse the common job options (top, allowed lateness, max delay, timezone)
 * @param cadence how often the shortlist is recomputed; divides a day
 * @param lookbackDays days of history behind every rate; at least 1
 * @param freight lead time of the recommended order
 * @param orderQuantile the demand quantile the order covers: the service level, or with a unit cost
 *     share {@code c/p} the newsvendor critical ratio {@code 1 - c/p}; within (0, 1)
 * @param maxCounterfeit counterfeit complaints that exclude an item; not negative
 * @param maxReturnRate shrunk return rate that excludes an item; within [0, 1]
 * @param counterfeitWeight weight of a counterfeit complaint in the complaint rate; not negative
 */
public record SourcingSettings(
        PulseSettings pulse,
        Duration cadence,
        int lookbackDays,
        SourcingOptions.Freight freight,
        double orderQuantile,
        int maxCounterfeit,
        double maxReturnRate,
        double counterfeitWeight)
        implements Serializable {

    /** Reads and checks every option the job uses; throws {@link IllegalArgumentException} with one line naming the key. */
    public static SourcingSettings from(Configuration conf) {
        return from(PulseSettings.from(conf), conf);
    }

    /** As {@link #from(Configuration)}, with the common options already read. */
    public static SourcingSettings from(PulseSettings pulse, Configuration conf) {
        Duration cadence = conf.get(SourcingOptions.CADENCE);
        if (cadence.toMillis() <= 0 || ItemSourcing.DAY % cadence.toMillis() != 0) {
            throw OptionChecks.invalid(SourcingOptions.CADENCE, "must divide a day", Durations.format(cadence));
        }
        double serviceLevel =
                OptionChecks.open01(SourcingOptions.SERVICE_LEVEL, conf.get(SourcingOptions.SERVICE_LEVEL));
        // With a cost share c/p, understocking costs the margin p - c and overstocking the cost c:
        // the newsvendor orders up to the quantile (p - c) / p.
        double quantile = conf.getOptional(SourcingOptions.UNIT_COST_SHARE)
                .map(share -> 1 - OptionChecks.open01(SourcingOptions.UNIT_COST_SHARE, share))
                .orElse(serviceLevel);
        return new SourcingSettings(
                pulse,
                cadence,
                OptionChecks.atLeast(conf, SourcingOptions.LOOKBACK_DAYS, 1),
                conf.get(SourcingOptions.FREIGHT),
                quantile,
                OptionChecks.atLeast(conf, SourcingOptions.MAX_COUNTERFEIT, 0),
                OptionChecks.share(conf, SourcingOptions.MAX_RETURN_RATE),
                OptionChecks.atLeast(conf, SourcingOptions.COUNTERFEIT_WEIGHT, 0.0));
    }
}
