package io.haitaopulse.common;

import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * The common job options ({@link PulseOptions}) of one run, validated. Built once by the command
 * line with {@link #from}; jobs receive it inside their own settings and never read a
 * {@link Configuration} themselves.
 *
 * @param window length of the sliding windows, positive
 * @param slide how often windows start, positive and at most {@code window}
 * @param top rows per window and scope, at least 1
 * @param maxDelay bounded out-of-orderness of event time, not negative
 * @param allowedLateness how long a fired window accepts late events, not negative
 * @param idleTimeout silence after which a source stops holding back event time (0: never), not negative
 * @param maxFutureSkew how far ahead of its clock an event may be (0: unchecked), not negative
 * @param maxPastSkew how far behind its Kafka timestamp an event may be (0: unchecked), not negative
 * @param timezoneOffset offset of the shop's clock from UTC
 */
public record PulseSettings(
        Duration window,
        Duration slide,
        int top,
        Duration maxDelay,
        Duration allowedLateness,
        Duration idleTimeout,
        Duration maxFutureSkew,
        Duration maxPastSkew,
        Duration timezoneOffset)
        implements Serializable {

    /** Reads and checks every common option; throws {@link IllegalArgumentException} with one line naming the key. */
    public static PulseSettings from(Configuration conf) {
        Duration window = conf.get(PulseOptions.WINDOW);
        Duration slide = conf.get(PulseOptions.SLIDE);
        positive(PulseOptions.WINDOW, "--window", window);
        positive(PulseOptions.SLIDE, "--slide", slide);
        if (slide.compareTo(window) > 0) {
            throw new IllegalArgumentException(
                    PulseOptions.SLIDE.key() + " (--slide, " + Durations.format(slide) + ") must not exceed "
                            + PulseOptions.WINDOW.key() + " (--window, " + Durations.format(window) + ")");
        }
        int top = conf.get(PulseOptions.TOP);
        if (top < 1) {
            throw new IllegalArgumentException(PulseOptions.TOP.key() + " (--top) must be at least 1, got " + top);
        }
        return new PulseSettings(
                window,
                slide,
                top,
                notNegative(conf, PulseOptions.MAX_DELAY, "--max-delay"),
                notNegative(conf, PulseOptions.ALLOWED_LATENESS, "--allowed-lateness"),
                notNegative(conf, PulseOptions.IDLE_TIMEOUT, "--idle-timeout"),
                notNegative(conf, PulseOptions.MAX_FUTURE_SKEW, null),
                notNegative(conf, PulseOptions.MAX_PAST_SKEW, null),
                conf.get(PulseOptions.TIMEZONE_OFFSET));
    }

    /** The sliding windows of hot items and demand trends. */
    public SlidingWindows windows() {
        return new SlidingWindows(window, slide, allowedLateness);
    }

    private static void positive(ConfigOption<Duration> option, String flag, Duration d) {
        if (d.toMillis() <= 0) {
            throw new IllegalArgumentException(
                    option.key() + " (" + flag + ") must be positive, got " + Durations.format(d));
        }
    }

    private static Duration notNegative(Configuration conf, ConfigOption<Duration> option, String flag) {
        Duration d = conf.get(option);
        if (d.isNegative()) {
            throw new IllegalArgumentException(option.key() + (flag != null ? " (" + flag + ")" : "")
                    + " must not be negative, got " + Durations.format(d));
        }
        return d;
    }
}
