package io.haitaopulse.runtime;

import io.haitaopulse.bots.BotFilter;
import io.haitaopulse.bots.BotSettings;
import io.haitaopulse.common.PulseJob;
import io.haitaopulse.io.Ingest;
import io.haitaopulse.io.OutputTable;
import io.haitaopulse.io.TableSinks;
import io.haitaopulse.privacy.Pseudonymizer;
import io.haitaopulse.privacy.RawRedactor;
import io.haitaopulse.schema.LateEvent;
import io.haitaopulse.sourcing.SourcingPipeline;
import io.haitaopulse.traffic.TrafficPipeline;
import io.haitaopulse.trends.TrendsPipeline;
import io.haitaopulse.uplift.UpliftPipeline;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Job names of the command line and the jobs they build. {@code all} runs every job on the same
 * sources in one graph.
 */
public final class JobCatalog {

    /** Names accepted by {@code --job}. */
    public static final List<String> NAMES = List.of("trends", "uplift", "sourcing", "traffic", "all");

    private JobCatalog() {}

    /** The jobs named {@code name}, built from {@code settings}; throws {@link IllegalArgumentException} for an unknown name. */
    public static List<PulseJob> jobs(String name, JobSettings settings) {
        return switch (name) {
            case TrendsPipeline.NAME -> List.of(new TrendsPipeline(settings.trends()));
            case UpliftPipeline.NAME -> List.of(new UpliftPipeline(settings.uplift()));
            case SourcingPipeline.NAME -> List.of(new SourcingPipeline(settings.sourcing()));
            case TrafficPipeline.NAME -> List.of(new TrafficPipeline(settings.traffic()));
            case "all" ->
                List.of(
                        new TrendsPipeline(settings.trends()),
                        new UpliftPipeline(settings.uplift()),
                        new SourcingPipeline(settings.sourcing()),
                        new TrafficPipeline(settings.traffic()));
            default ->
                throw new IllegalArgumentException(
                        "unknown job '" + name + "'; use one of " + String.join(", ", NAMES));
        };
    }

    /**
     * The graph every run shares, replay and live alike: {@code sources} → dead letters split off
     * and ids pseudonymised per source → all sources gathered (through the bot filter when it is
     * on) → each of {@code jobs} → {@code sinks}, late_events and dead_letters included.
     */
    public static void wire(
            List<Ingest.Source> sources,
            List<PulseJob> jobs,
            BotSettings bots,
            Pseudonymizer pseudonyms,
            RawRedactor redactor,
            TableSinks sinks) {
        Ingest.Split split = Ingest.splitDeadLetters(sources, pseudonyms, redactor);
        sinks.write(OutputTable.DEAD_LETTERS, split.deadLetters());
        BotFilter.Filtered filtered = BotFilter.apply(split.events(), bots);
        if (filtered.suspicious() != null) {
            sinks.write(OutputTable.SUSPICIOUS_EVENTS, filtered.suspicious());
        }
        DataStream<LateEvent> late = null;
        for (PulseJob job : jobs) {
            DataStream<LateEvent> l = job.build(filtered.events(), sinks);
            late = late == null ? l : late.union(l);
        }
        sinks.write(OutputTable.LATE_EVENTS, late);
    }
}
