package io.haitaopulse.trends;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.haitaopulse.common.PulseOptions;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;

/** Typed options of demand-trend detection, defaults and descriptions in docs/user/configuration.md (generated from these options). */
public final class TrendOptions {

    public static final ConfigOption<Duration> RECENT = key("pulse.trends.recent")
            .durationType()
            .defaultValue(Duration.ofMinutes(10))
            .withDescription(
                    "Span at the end of each window whose views are tested against the baseline. Positive; clamped to "
                            + "pulse.window and rounded down to whole panes (at least one).");

    public static final ConfigOption<Duration> MAX_RECENT = key("pulse.trends.max-recent")
            .durationType()
            .defaultValue(Duration.ofMinutes(30))
            .withDescription(
                    "Longest recent span tested: spans of pulse.trends.recent, twice that, … up to this (clamped to "
                            + "pulse.window) are each tested and the strongest counts (its tail multiplied by the number of "
                            + "spans). Short spans see a big item's jump at once, long ones gather the evidence of a small "
                            + "item. Baselines exclude the longest span.");

    public static final ConfigOption<Duration> HALF_LIFE = key("pulse.trends.half-life")
            .durationType()
            .defaultValue(Duration.ofHours(6))
            .withDescription(
                    "Half-life of the exponentially weighted level (baseline) of an item's de-seasonalised views. "
                            + "Positive; shorter follows changes faster and is noisier.");

    public static final ConfigOption<Duration> SEASONAL_HALF_LIFE = key("pulse.trends.seasonal-half-life")
            .durationType()
            .defaultValue(Duration.ofDays(7))
            .withDescription("Half-life of a category's hour-of-day profile of views. Positive.");

    public static final ConfigOption<Duration> WARMUP = key("pulse.trends.warmup")
            .durationType()
            .defaultValue(Duration.ofHours(1))
            .withDescription(
                    "History an item needs before its baseline is trusted (cold start); a new item cannot trend earlier. "
                            + "Not negative.");

    public static final ConfigOption<Boolean> REQUIRE_DAILY_PROFILE = key("pulse.trends.require-daily-profile")
            .booleanType()
            .defaultValue(true)
            .withDescription(
                    "When true, an item is compared with its hour-of-day baseline only once its category's profile has "
                            + "seen every hour (after the first day of a run); before that it is tested on its share of the "
                            + "category, which the daily rhythm does not move. When false, the baseline test runs from the "
                            + "start with a flat profile (for data without a daily rhythm).");

    public static final ConfigOption<Double> FDR = key("pulse.trends.fdr")
            .doubleType()
            .defaultValue(0.03)
            .withDescription(
                    "False discovery rate q of the Benjamini-Hochberg selection among the items of one category and "
                            + "window: the expected share of false alarms among the items flagged together. Within (0, 0.5).");

    public static final ConfigOption<Long> MIN_VIEWS = key("pulse.trends.min-views")
            .longType()
            .defaultValue(30L)
            .withDescription("Views in the window an item needs to be trending. Not negative.");

    public static final ConfigOption<Long> MIN_USERS = key("pulse.trends.min-users")
            .longType()
            .defaultValue(10L)
            .withDescription("Distinct viewers in the window an item needs to be trending. Not negative.");

    public static final ConfigOption<Double> MIN_RATIO = key("pulse.trends.min-ratio")
            .doubleType()
            .defaultValue(2.0)
            .withDescription(
                    "Recent viewers over their expectation needed to be trending (2: twice the usual). Not negative.");

    public static final ConfigOption<Double> MIN_Z = key("pulse.trends.min-z")
            .doubleType()
            .defaultValue(3.5)
            .withDescription(
                    "Standardised deviation (z) of recent viewers from their expectation needed to be trending, beside the "
                            + "exact test. A finite number.");

    public static final ConfigOption<Double> OVERDISPERSION = key("pulse.trends.overdispersion")
            .doubleType()
            .defaultValue(0.1)
            .withDescription(
                    "phi in Var = mu + (phi * mu)^2: noise beyond Poisson that z allows for. Not negative; 0 is pure Poisson.");

    public static final ConfigOption<Long> ROW_MIN_VIEWS = key("pulse.trends.row-min-views")
            .longType()
            .defaultValue(5L)
            .withDescription(
                    "demand_trends lists items with at least this many views in the window (and every trending item). "
                            + "Not negative.");

    public static final ConfigOption<Duration> IDLE_TTL = key("pulse.trends.idle-ttl")
            .durationType()
            .defaultValue(Duration.ofDays(2))
            .withDescription(
                    "An item without activity for this long (event time) is forgotten, baseline included; bounds the "
                            + "state of items that stop selling. Positive.");

    /** The shop's clock, shared by every job. */
    public static final ConfigOption<Duration> TIMEZONE_OFFSET = PulseOptions.TIMEZONE_OFFSET;

    private TrendOptions() {}
}
