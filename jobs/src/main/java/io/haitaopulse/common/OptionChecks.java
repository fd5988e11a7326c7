package io.haitaopulse.common;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * Reading one option with its range checked, for the {@code from(Configuration)} factories of the
 * typed settings. Every failure is an {@link IllegalArgumentException} whose one-line message
 * starts with the option's key and says the value it got.
 */
public final class OptionChecks {

    private OptionChecks() {}

    /** The value of a duration option that must be above zero. */
    public static Duration positive(Configuration conf, ConfigOption<Duration> option) {
        Duration d = conf.get(option);
        if (d.toMillis() <= 0) {
            throw invalid(option, "must be positive", Durations.format(d));
        }
        return d;
    }

    /** The value of a duration option that must not be below zero. */
    public static Duration notNegative(Configuration conf, ConfigOption<Duration> option) {
        Duration d = conf.get(option);
        if (d.isNegative()) {
            throw invalid(option, "must not be negative", Durations.format(d));
        }
        return d;
    }

    /** The value of an int option that must be at least {@code min}. */
    public static int atLeast(Configuration conf, ConfigOption<Integer> option, int min) {
        int v = conf.get(option);
        if (v < min) {
            throw invalid(option, "must be at least " + min, Integer.toString(v));
        }
        return v;
    }

    /** The value of a long option that must be at least {@code min}. */
    public static long atLeastLong(Configuration conf, ConfigOption<Long> option, long min) {
        long v = conf.get(option);
        if (v < min) {
            throw invalid(option, "must be at least " + min, Long.toString(v));
        }
        return v;
    }

    /** The value of a double option that must be a finite number of at least {@code min}. */
    public static double atLeast(Configuration conf, ConfigOption<Double> option, double min) {
        double v = conf.get(option);
        if (!(v >= min) || Double.isInfinite(v)) {
            throw invalid(option, "must be a number of at least " + min, Double.toString(v));
        }
        return v;
    }

    /**
     * The value of a double option that must be above zero. (Not an overload of {@code positive}:
     * both would erase to the same signature.)
     */
    public static double positiveNumber(Configuration conf, ConfigOption<Double> option) {
        double v = conf.get(option);
        if (!(v > 0) || Double.isInfinite(v)) {
            throw invalid(option, "must be positive", Double.toString(v));
        }
        return v;
    }

    /** {@code v}, which must lie strictly between 0 and 1 (a probability that is neither sure nor impossible). */
    public static double open01(ConfigOption<Double> option, double v) {
        if (!(v > 0 && v < 1)) {
            throw invalid(option, "must be within (0, 1)", Double.toString(v));
        }
        return v;
    }

    /** The value of a double option that must lie within [0, 1] (a share). */
    public static double share(Configuration conf, ConfigOption<Double> option) {
        double v = conf.get(option);
        if (!(v >= 0 && v <= 1)) {
            throw invalid(option, "must be within [0, 1]", Double.toString(v));
        }
        return v;
    }

    /** The exception for an out-of-range value: {@code <key> <rule>, got <value>}. */
    public static IllegalArgumentException invalid(ConfigOption<?> option, String rule, String value) {
        return new IllegalArgumentException(option.key() + " " + rule + ", got " + value);
    }
}
