package io.haitaopulse.cli;

import io.haitaopulse.common.PulseJob;
import io.haitaopulse.sourcing.SourcingPipeline;
import io.haitaopulse.traffic.TrafficPipeline;
import io.haitaopulse.trends.TrendsPipeline;
import io.haitaopulse.uplift.UpliftPipeline;
import java.util.List;
import org.apache.flink.configuration.Configuration;

/**
 * Job names of the command line and the jobs they build. {@code all} runs every job on the same
 * sources in one graph.
 */
final class JobCatalog {

    /** Names accepted by {@code --job}. */
    static final List<String> NAMES = List.of("trends", "uplift", "sourcing", "traffic", "all");

    private JobCatalog() {}

    /** The jobs named {@code name}; throws {@link IllegalArgumentException} for an unknown name. */
    static List<PulseJob> jobs(String name, Configuration conf) {
        return switch (name) {
            case TrendsPipeline.NAME -> List.of(new TrendsPipeline(conf));
            case UpliftPipeline.NAME -> List.of(new UpliftPipeline(conf));
            case SourcingPipeline.NAME -> List.of(new SourcingPipeline(conf));
            case TrafficPipeline.NAME -> List.of(new TrafficPipeline(conf));
            case "all" -> List.of(new TrendsPipeline(conf), new UpliftPipeline(conf), new SourcingPipeline(conf),
                    new TrafficPipeline(conf));
            default -> throw new IllegalArgumentException(
                    "unknown job '" + name + "'; use one of " + String.join(", ", NAMES));
        };
    }
}
