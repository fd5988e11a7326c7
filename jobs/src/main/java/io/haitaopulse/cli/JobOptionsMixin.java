package io.haitaopulse.cli;

import io.haitaopulse.bots.BotOptions;
import io.haitaopulse.common.PulseOptions;
import io.haitaopulse.privacy.PrivacyOptions;
import io.haitaopulse.sourcing.SourcingOptions;
import io.haitaopulse.traffic.TrafficOptions;
import io.haitaopulse.trends.TrendOptions;
import io.haitaopulse.uplift.UpliftOptions;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Option;

/** The common job options of CONTRACTS §1, mapped onto {@link PulseOptions}. */
final class JobOptionsMixin {

    @Option(names = "--window", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Sliding window length (default: 1h).")
    Duration window = PulseOptions.WINDOW.defaultValue();

    @Option(names = "--slide", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Window slide (default: 5m).")
    Duration slide = PulseOptions.SLIDE.defaultValue();

    @Option(names = "--top", paramLabel = "N", description = "Rows per window and scope (default: 10).")
    int top = PulseOptions.TOP.defaultValue();

    @Option(names = "--max-delay", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Bounded out-of-orderness of event time (default: 5s).")
    Duration maxDelay = PulseOptions.MAX_DELAY.defaultValue();

    @Option(names = "--allowed-lateness", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "How long a fired window still accepts late events (default: 0).")
    Duration allowedLateness = PulseOptions.ALLOWED_LATENESS.defaultValue();

    @Option(names = "--idle-timeout", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Processing time after which a silent source stops holding back event time; 0 disables (default: 1m).")
    Duration idleTimeout = PulseOptions.IDLE_TIMEOUT.defaultValue();

    @Option(names = "--conf", paramLabel = "KEY=VALUE",
            description = "Any typed option, e.g. pulse.trends.min-views=50 (see the README for the list).")
    Map<String, String> extra = new LinkedHashMap<>();

    /** The options as a validated Flink configuration. */
    Configuration toConfiguration() {
        List<String> known = knownKeys();
        for (String key : extra.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("--conf " + key + ": unknown option; known: " + String.join(", ", known));
            }
        }
        Configuration conf = Configuration.fromMap(extra);
        conf.set(PulseOptions.WINDOW, window);
        conf.set(PulseOptions.SLIDE, slide);
        conf.set(PulseOptions.TOP, top);
        conf.set(PulseOptions.MAX_DELAY, maxDelay);
        conf.set(PulseOptions.ALLOWED_LATENESS, allowedLateness);
        conf.set(PulseOptions.IDLE_TIMEOUT, idleTimeout);
        PulseOptions.validate(conf);
        return conf;
    }

    /** Keys of every typed option a job reads. */
    static List<String> knownKeys() {
        List<String> keys = new ArrayList<>();
        for (Class<?> holder : List.of(PulseOptions.class, PrivacyOptions.class, TrendOptions.class, UpliftOptions.class,
                SourcingOptions.class, BotOptions.class, TrafficOptions.class)) {
            for (Field f : holder.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
                    try {
                        String key = ((ConfigOption<?>) f.get(null)).key();
                        if (!keys.contains(key)) {
                            keys.add(key);
                        }
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return keys;
    }
}
