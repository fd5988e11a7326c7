package io.haitaopulse.common;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * Typed options shared by every job (CONTRACTS §1 common job options), with the contract's
 * defaults. {@link #validate} checks a configuration once, up front, and names the offending
 * option in its message.
 */
public final class PulseOptions {

    public static final ConfigOption<Duration> WINDOW = key("pulse.window").durationType()
            .defaultValue(Duration.ofHours(1))
            .withDescription("Length of the sliding windows of hot items and demand trends.");

    public static final ConfigOption<Duration> SLIDE = key("pulse.slide").durationType()
            .defaultValue(Duration.ofMinutes(5))
            .withDescription("How often sliding windows start; also the emit cadence of live tables.");

    public static final ConfigOption<Integer> TOP = key("pulse.top").intType()
            .defaultValue(10)
            .withDescription("Rows per window and scope in ranked tables.");

    public static final ConfigOption<Duration> MAX_DELAY = key("pulse.max-delay").durationType()
            .defaultValue(Duration.ofSeconds(5))
            .withDescription("Bounded out-of-orderness of event time: watermark = max event time - max-delay - 1 ms.");

    public static final ConfigOption<Duration> ALLOWED_LATENESS = key("pulse.allowed-lateness").durationType()
            .defaultValue(Duration.ZERO)
            .withDescription("How long after a window fired it still accepts late events (and re-fires).");

    public static final ConfigOption<Duration> IDLE_TIMEOUT = key("pulse.idle-timeout").durationType()
            .defaultValue(Duration.ofMinutes(1))
            .withDescription("A source silent for this long (processing time) stops holding back event time; 0 disables.");

    public static final ConfigOption<Duration> MAX_FUTURE_SKEW = key("pulse.max-future-skew").durationType()
            .defaultValue(Duration.ofHours(1))
            .withDescription("An event more than this ahead of the clock that wrote it (Kafka record timestamp) or read it "
                    + "(files: the wall clock) is a dead letter, so it cannot push the watermark ahead; 0 disables.");

    public static final ConfigOption<Duration> MAX_PAST_SKEW = key("pulse.max-past-skew").durationType()
            .defaultValue(Duration.ofDays(7))
            .withDescription("Live only: an event more than this behind its Kafka record timestamp is a dead letter "
                    + "(a device clock years behind); producers of backfills set the record timestamp to the event time. 0 disables.");

    public static final ConfigOption<Duration> TIMEZONE_OFFSET = key("pulse.timezone-offset").durationType()
            .defaultValue(Duration.ofHours(8))
            .withDescription("Offset of the shop's clock from UTC, for hours and days of the shop (China: 8h).");

    private PulseOptions() {}

    /** Throws {@link IllegalArgumentException} naming the first invalid option. */
    public static void validate(Configuration conf) {
        Duration window = conf.get(WINDOW);
        Duration slide = conf.get(SLIDE);
        if (window.toMillis() <= 0) {
            throw new IllegalArgumentException("--window must be positive, got " + Durations.format(window));
        }
        if (slide.toMillis() <= 0) {
            throw new IllegalArgumentException("--slide must be positive, got " + Durations.format(slide));
        }
        if (slide.compareTo(window) > 0) {
            throw new IllegalArgumentException("--slide (" + Durations.format(slide) + ") must not exceed --window ("
                    + Durations.format(window) + ")");
        }
        if (conf.get(TOP) < 1) {
            throw new IllegalArgumentException("--top must be at least 1, got " + conf.get(TOP));
        }
        if (conf.get(MAX_DELAY).isNegative()) {
            throw new IllegalArgumentException("--max-delay must not be negative");
        }
        if (conf.get(ALLOWED_LATENESS).isNegative()) {
            throw new IllegalArgumentException("--allowed-lateness must not be negative");
        }
        if (conf.get(MAX_FUTURE_SKEW).isNegative() || conf.get(MAX_PAST_SKEW).isNegative()) {
            throw new IllegalArgumentException("pulse.max-future-skew and pulse.max-past-skew must not be negative");
        }
        if (conf.get(IDLE_TIMEOUT).isNegative()) {
            throw new IllegalArgumentException("--idle-timeout must not be negative");
        }
    }

    /** The sliding windows configured by {@code conf}. */
    public static SlidingWindows windows(Configuration conf) {
        return new SlidingWindows(conf.get(WINDOW), conf.get(SLIDE), conf.get(ALLOWED_LATENESS));
    }
}
