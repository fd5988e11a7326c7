package io.haitaopulse.sourcing;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;

/** Typed options of the sourcing shortlist, defaults and descriptions in docs/user/configuration.md (generated from these options). */
public final class SourcingOptions {

    /** Lead-time assumptions of the freight modes. */
    public enum Freight {
        /** Sea freight: 4 to 8 weeks. */
        SEA(28, 56),
        /** Air freight: 1 to 2 weeks. */
        AIR(7, 14);

        final double minDays;
        final double maxDays;

        Freight(double minDays, double maxDays) {
            this.minDays = minDays;
            this.maxDays = maxDays;
        }

        /** Mean lead time, uniform between the bounds. */
        double meanDays() {
            return (minDays + maxDays) / 2;
        }

        /** Standard deviation of a uniform lead time. */
        double sdDays() {
            return (maxDays - minDays) / Math.sqrt(12);
        }
    }

    public static final ConfigOption<Duration> CADENCE = key("pulse.sourcing.cadence")
            .durationType()
            .defaultValue(Duration.ofHours(1))
            .withDescription(
                    "How often (event time) the shortlist is recomputed. Positive and divides a day (15m, 1h, 6h, 1d, …).");

    public static final ConfigOption<Integer> LOOKBACK_DAYS = key("pulse.sourcing.lookback-days")
            .intType()
            .defaultValue(28)
            .withDescription("Days of history behind every rate and the forecast. At least 1.");

    public static final ConfigOption<Freight> FREIGHT = key("pulse.sourcing.freight")
            .enumType(Freight.class)
            .defaultValue(Freight.SEA)
            .withDescription("Lead time of the recommended order: SEA (4-8 weeks) or AIR (1-2 weeks).");

    public static final ConfigOption<Double> SERVICE_LEVEL = key("pulse.sourcing.service-level")
            .doubleType()
            .defaultValue(0.95)
            .withDescription("Probability that the recommended order covers demand over the lead time. Within (0, 1).");

    public static final ConfigOption<Double> UNIT_COST_SHARE = key("pulse.sourcing.unit-cost-share")
            .doubleType()
            .noDefaultValue()
            .withDescription(
                    "Landed unit cost as a share of the selling price; when set, the order covers the newsvendor "
                            + "critical ratio (price - cost) / price instead of the service level. Within (0, 1).");

    public static final ConfigOption<Integer> MAX_COUNTERFEIT = key("pulse.sourcing.max-counterfeit")
            .intType()
            .defaultValue(2)
            .withDescription(
                    "Counterfeit complaints that exclude an item from the shortlist, however popular. Not negative.");

    public static final ConfigOption<Double> MAX_RETURN_RATE = key("pulse.sourcing.max-return-rate")
            .doubleType()
            .defaultValue(0.15)
            .withDescription(
                    "Shrunk return rate that excludes an item (also excluded above twice its category's rate). Within [0, 1].");

    public static final ConfigOption<Double> COUNTERFEIT_WEIGHT = key("pulse.sourcing.counterfeit-weight")
            .doubleType()
            .defaultValue(5.0)
            .withDescription("A counterfeit complaint counts this many times in the complaint rate. Not negative.");

    private SourcingOptions() {}
}
