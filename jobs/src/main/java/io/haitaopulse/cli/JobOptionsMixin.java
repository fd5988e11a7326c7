package io.haitaopulse.cli;

import io.haitaopulse.common.PulseOptions;
import java.time.Duration;
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

    /** The options as a validated Flink configuration. */
    Configuration toConfiguration() {
        Configuration conf = new Configuration();
        conf.set(PulseOptions.WINDOW, window);
        conf.set(PulseOptions.SLIDE, slide);
        conf.set(PulseOptions.TOP, top);
        conf.set(PulseOptions.MAX_DELAY, maxDelay);
        conf.set(PulseOptions.ALLOWED_LATENESS, allowedLateness);
        conf.set(PulseOptions.IDLE_TIMEOUT, idleTimeout);
        PulseOptions.validate(conf);
        return conf;
    }
}
