package io.haitaopulse.common;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;

/**
 * Typed options shared by every job (CONTRACTS §1 common job options), with the contract's
 * defaults. {@link PulseSettings#from} checks them once, up front, and names the offending option
 * in its message.
 */
public final class PulseOptions {

    public static final ConfigOption<Duration> WINDOW = key("pulse.window")
            .durationType()
            .defaultValue(Duration.ofHours(1))
            .withDescription(
                    "Length of the event-time sliding windows of hot_items and demand_trends. Positive and at least "
                            + "pulse.slide; longer windows smooth the ranking and hold more state.");

    public static final ConfigOption<Duration> SLIDE = key("pulse.slide")
            .durationType()
            .defaultValue(Duration.ofMinutes(5))
            .withDescription(
                    "How often a sliding window starts (event time): the emit cadence of hot_items and demand_trends "
                            + "and the time slot of campaign_uplift. Positive, at most pulse.window.");

    public static final ConfigOption<Integer> TOP = key("pulse.top")
            .intType()
            .defaultValue(10)
            .withDescription("Rows per window and scope in ranked tables (hot_items per window and category, "
                    + "sourcing_shortlist per category). At least 1.");

    public static final ConfigOption<Duration> MAX_DELAY = key("pulse.max-delay")
            .durationType()
            .defaultValue(Duration.ofSeconds(5))
            .withDescription(
                    "Bounded out-of-orderness of event time: watermark = max event time - max-delay - 1 ms. Every "
                            + "window result waits this long; events later than it (and the allowed lateness) go to late_events. "
                            + "Not negative.");

    public static final ConfigOption<Duration> ALLOWED_LATENESS = key("pulse.allowed-lateness")
            .durationType()
            .defaultValue(Duration.ZERO)
            .withDescription(
                    "How long after a window fired it still accepts late events and re-fires with corrected rows; "
                            + "window state is kept that much longer. Not negative; 0 sends every late event to late_events.");

    public static final ConfigOption<Duration> IDLE_TIMEOUT = key("pulse.idle-timeout")
            .durationType()
            .defaultValue(Duration.ofMinutes(1))
            .withDescription("A source (input file or Kafka partition) silent for this long in processing time stops "
                    + "holding back event time, so the other sources' windows still fire. Not negative; 0 disables.");

    public static final ConfigOption<Duration> MAX_FUTURE_SKEW = key("pulse.max-future-skew")
            .durationType()
            .defaultValue(Duration.ofHours(1))
            .withDescription(
                    "An event more than this ahead of the clock that wrote it (Kafka record timestamp) or read it "
                            + "(files: the wall clock) is a dead letter, so it cannot push the watermark ahead. Not negative; 0 disables.");

    public static final ConfigOption<Duration> MAX_PAST_SKEW = key("pulse.max-past-skew")
            .durationType()
            .defaultValue(Duration.ofDays(7))
            .withDescription("Live only: an event more than this behind its Kafka record timestamp is a dead letter "
                    + "(a device clock years behind); producers of backfills set the record timestamp to the event time. "
                    + "Not negative; 0 disables.");

    public static final ConfigOption<Duration> TIMEZONE_OFFSET = key("pulse.timezone-offset")
            .durationType()
            .defaultValue(Duration.ofHours(8))
            .withDescription(
                    "Offset of the shop's clock from UTC, for the hours and days of the shop: the hour-of-day profile "
                            + "of trends and the days of sourcing (China: 8h).");

    private PulseOptions() {}
}
