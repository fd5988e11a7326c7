package io.haitaopulse.testutil;

import io.haitaopulse.trends.TrendOptions;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * Trend thresholds loosened so that a few simulated hours hold many trending episodes: for tests
 * that compare how episodes are written (live against replay, across savepoints), not whether
 * they are right. The share test decides, as on any deployment's first day.
 */
public final class LooseTrends {

    /** The loosened options, key to value. */
    public static final Map<String, String> OPTIONS = Map.of(
            TrendOptions.FDR.key(), "0.3",
            TrendOptions.MIN_RATIO.key(), "1.5",
            TrendOptions.MIN_Z.key(), "1.0",
            TrendOptions.MIN_VIEWS.key(), "10",
            TrendOptions.MIN_USERS.key(), "5");

    private LooseTrends() {}

    /** Sets the loosened options on {@code conf}; returns it. */
    public static Configuration apply(Configuration conf) {
        OPTIONS.forEach(conf::setString);
        return conf;
    }

    /** The loosened options as lines of a YAML configuration file. */
    public static List<String> yamlLines() {
        return OPTIONS.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + ": " + e.getValue())
                .toList();
    }
}
