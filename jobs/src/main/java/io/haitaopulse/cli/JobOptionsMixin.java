package io.haitaopulse.cli;

import io.haitaopulse.common.PulseOptions;
import io.haitaopulse.config.ConfigCatalog;
import io.haitaopulse.live.LiveOptions;
import io.haitaopulse.runtime.JobSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Option;

/** The common job options of CONTRACTS §1, mapped onto {@link PulseOptions}. */
final class JobOptionsMixin {

    /** The command-line flag of each option that has one, by key (for the configuration reference). */
    static final Map<String, String> FLAGS = Map.of(
            PulseOptions.WINDOW.key(),
            "--window",
            PulseOptions.SLIDE.key(),
            "--slide",
            PulseOptions.TOP.key(),
            "--top",
            PulseOptions.MAX_DELAY.key(),
            "--max-delay",
            PulseOptions.ALLOWED_LATENESS.key(),
            "--allowed-lateness",
            PulseOptions.IDLE_TIMEOUT.key(),
            "--idle-timeout");

    @Option(
            names = "--window",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "Sliding window length (default: 1h).")
    Duration window = PulseOptions.WINDOW.defaultValue();

    @Option(
            names = "--slide",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "Window slide (default: 5m).")
    Duration slide = PulseOptions.SLIDE.defaultValue();

    @Option(names = "--top", paramLabel = "N", description = "Rows per window and scope (default: 10).")
    int top = PulseOptions.TOP.defaultValue();

    @Option(
            names = "--max-delay",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "Bounded out-of-orderness of event time (default: 5s).")
    Duration maxDelay = PulseOptions.MAX_DELAY.defaultValue();

    @Option(
            names = "--allowed-lateness",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "How long a fired window still accepts late events (default: 0).")
    Duration allowedLateness = PulseOptions.ALLOWED_LATENESS.defaultValue();

    @Option(
            names = "--idle-timeout",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description =
                    "Processing time after which a silent source stops holding back event time; 0 disables (default: 1m).")
    Duration idleTimeout = PulseOptions.IDLE_TIMEOUT.defaultValue();

    @Option(
            names = "--conf",
            paramLabel = "KEY=VALUE",
            description = "Any typed option, e.g. pulse.trends.min-views=50 (list: docs/user/configuration.md).")
    Map<String, String> extra = new LinkedHashMap<>();

    /** The options as a Flink configuration whose job options are all valid ({@link JobSettings}). */
    Configuration toConfiguration() {
        List<String> known = knownKeys();
        for (String key : extra.keySet()) {
            if (!known.contains(key)) {
                String near = ConfigCatalog.closest(key);
                throw new IllegalArgumentException("--conf " + key + ": unknown option"
                        + (near != null && known.contains(near) ? "; did you mean " + near + "?" : "")
                        + "; the options are listed in docs/user/configuration.md");
            }
        }
        Configuration conf = Configuration.fromMap(extra);
        conf.set(PulseOptions.WINDOW, window);
        conf.set(PulseOptions.SLIDE, slide);
        conf.set(PulseOptions.TOP, top);
        conf.set(PulseOptions.MAX_DELAY, maxDelay);
        conf.set(PulseOptions.ALLOWED_LATENESS, allowedLateness);
        conf.set(PulseOptions.IDLE_TIMEOUT, idleTimeout);
        JobSettings.from(conf);
        return conf;
    }

    /** Keys of every typed option a job reads (the live path's Kafka and PostgreSQL options excluded). */
    static List<String> knownKeys() {
        List<String> keys = new ArrayList<>();
        for (ConfigCatalog.Entry e : ConfigCatalog.all().values()) {
            if (e.area().holder() != LiveOptions.class) {
                keys.add(e.key());
            }
        }
        return keys;
    }
}
