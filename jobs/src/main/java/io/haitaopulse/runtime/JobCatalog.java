package io.haitaopulse.runtime;

import io.haitaopulse.bots.BotFilter;
import io.haitaopulse.bots.BotSettings;
import io.haitaopulse.common.PulseJob;
import io.haitaopulse.io.Ingest;
import io.haitaopulse.io.OutputTable;
import io.haitaopulse.io.ReferenceTables;
import io.haitaopulse.io.TableSinks;
import io.haitaopulse.privacy.Pseudonymizer;
import io.haitaopulse.privacy.RawRedactor;
import io.haitaopulse.schema.LateEvent;
import io.haitaopulse.sourcing.SourcingPipeline;
import io.haitaopulse.traffic.TrafficPipeline;
import io.haitaopulse.trends.TrendsPipeline;
import io.haitaopulse.uplift.UpliftPipeline;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
     * Every table a run of {@code jobs} writes: the jobs' own, then the reference tables they ask
     * for (each once), late_events, dead_letters, and suspicious_events when the bot filter is on.
     */
    public static List<OutputTable<?>> tables(List<PulseJob> jobs, BotSettings bots) {
        List<OutputTable<?>> tables = new ArrayList<>();
        jobs.forEach(j -> tables.addAll(j.tables()));
        tables.addAll(referenceTables(jobs));
        tables.add(OutputTable.LATE_EVENTS);
        tables.add(OutputTable.DEAD_LETTERS);
        if (bots.enabled()) {
            tables.add(OutputTable.SUSPICIOUS_EVENTS);
        }
        return tables;
    }

    /** The reference tables {@code jobs} ask for, each once, in the order of {@link OutputTable#all()}. */
    public static List<OutputTable<?>> referenceTables(List<PulseJob> jobs) {
        Set<OutputTable<?>> wanted = new HashSet<>();
        jobs.forEach(j -> wanted.addAll(j.referenceTables()));
        return OutputTable.all().stream().filter(wanted::contains).toList();
    }

    /**
     * The graph every run shares, replay and live alike: {@code sources} → dead letters split off
     * and ids pseudonymised per source → all sources gathered (through the bot filter when it is
     * on) → each of {@code jobs} → {@code sinks}, late_events and dead_letters included. The
     * reference tables the jobs ask for are made from each source's events before they are
     * gathered ({@link ReferenceTables}).
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
        ReferenceTables.write(
                sources.stream().map(Ingest.Source::role).toList(), split.events(), referenceTables(jobs), sinks);
        BotFilter.Filtered filtered = BotFilter.apply(split.events(), bots);
        if (filtered.suspicious() != null) {
            sinks.write(OutputTable.SUSPICIOUS_EVENTS, filtered.suspicious());
        }
        DataStream<LateEvent> late = null;
        for (PulseJob job : jobs) {
            DataStream<LateEvent> l = job.build(filtered.events(), filtered.byUser(), sinks);
            late = late == null ? l : late.union(l);
        }
        sinks.write(OutputTable.LATE_EVENTS, late);
    }
}
