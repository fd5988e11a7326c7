package io.haitaopulse.trends;

import io.haitaopulse.common.Durations;
import io.haitaopulse.common.OptionChecks;
import io.haitaopulse.common.PulseSettings;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;

/**
 * The validated options of the trends job: the common options and those of {@link TrendOptions}.
 *
 * @param pulse the common job options (windows, top, timezone)
 * @param recent span at the end of each window tested against the baseline; positive
 * @param maxRecent longest recent span tested; at least {@code recent}
 * @param halfLife half-life of an item's baseline level; positive
 * @param seasonalHalfLife half-life of a category's hour-of-day profile; positive
 * @param warmup history an item needs before its baseline is trusted; not negative
 * @param requireDailyProfile whether items are tested on their share of the category until its profile has
 *     seen every hour (rather than against a flat profile)
 * @param fdr Benjamini–Hochberg false discovery rate per category and window; in (0, 0.5)
 * @param minViews views in the window an item needs to be trending; not negative
 * @param minUsers distinct viewers in the window an item needs to be trending; not negative
 * @param minRatio recent viewers over baseline needed to be trending; not negative
 * @param minZ standardised deviation needed to be trending
 * @param overdispersion noise beyond Poisson; not negative
 * @param rowMinViews views in the window that list an item in demand_trends; not negative
 * @param idleTtl inactivity after which an item is forgotten; positive
 */
public record TrendSettings(
        PulseSettings pulse,
        Duration recent,
        Duration maxRecent,
        Duration halfLife,
        Duration seasonalHalfLife,
        Duration warmup,
        boolean requireDailyProfile,
        double fdr,
        long minViews,
        long minUsers,
        double minRatio,
        double minZ,
        double overdispersion,
        long rowMinViews,
        Duration idleTtl)
        implements Serializable {

    private static Duration maxRecent(Configuration conf) {
        Duration max = OptionChecks.positive(conf, TrendOptions.MAX_RECENT);
        Duration recent = conf.get(TrendOptions.RECENT);
        if (max.compareTo(recent) < 0) {
            throw OptionChecks.invalid(
                    TrendOptions.MAX_RECENT,
                    "must be at least pulse.trends.recent (" + Durations.format(recent) + ")",
                    Durations.format(max));
        }
        return max;
    }

    private static double fdr(Configuration conf) {
        double q = conf.get(TrendOptions.FDR);
        // Above one half the cut could reach tails of counts at or below expectation, which the
        // test reports as 1 rather than computing.
        if (!(q > 0 && q < 0.5)) {
            throw OptionChecks.invalid(TrendOptions.FDR, "must be within (0, 0.5)", Double.toString(q));
        }
        return q;
    }

    /** Reads and checks every option the job uses; throws {@link IllegalArgumentException} with one line naming the key. */
    public static TrendSettings from(Configuration conf) {
        return from(PulseSettings.from(conf), conf);
    }

    /** As {@link #from(Configuration)}, with the common options already read. */
    public static TrendSettings from(PulseSettings pulse, Configuration conf) {
        double minZ = conf.get(TrendOptions.MIN_Z);
        if (Double.isNaN(minZ) || Double.isInfinite(minZ)) {
            throw OptionChecks.invalid(TrendOptions.MIN_Z, "must be a finite number", Double.toString(minZ));
        }
        return new TrendSettings(
                pulse,
                OptionChecks.positive(conf, TrendOptions.RECENT),
                maxRecent(conf),
                OptionChecks.positive(conf, TrendOptions.HALF_LIFE),
                OptionChecks.positive(conf, TrendOptions.SEASONAL_HALF_LIFE),
                OptionChecks.notNegative(conf, TrendOptions.WARMUP),
                conf.get(TrendOptions.REQUIRE_DAILY_PROFILE),
                fdr(conf),
                OptionChecks.atLeastLong(conf, TrendOptions.MIN_VIEWS, 0),
                OptionChecks.atLeastLong(conf, TrendOptions.MIN_USERS, 0),
                OptionChecks.atLeast(conf, TrendOptions.MIN_RATIO, 0.0),
                minZ,
                OptionChecks.atLeast(conf, TrendOptions.OVERDISPERSION, 0.0),
                OptionChecks.atLeastLong(conf, TrendOptions.ROW_MIN_VIEWS, 0),
                OptionChecks.positive(conf, TrendOptions.IDLE_TTL));
    }
}
