package io.haitaopulse.testutil;

import io.haitaopulse.io.ClockSkew;
import io.haitaopulse.io.FileInputs;
import io.haitaopulse.io.Ingest;
import io.haitaopulse.io.InputFormat;
import io.haitaopulse.io.OutputTable;
import io.haitaopulse.io.PulseWatermarks;
import io.haitaopulse.io.TableSinks;
import io.haitaopulse.privacy.PseudonymKey;
import io.haitaopulse.privacy.Pseudonymizer;
import io.haitaopulse.privacy.RawRedactor;
import io.haitaopulse.runtime.JobCatalog;
import io.haitaopulse.runtime.JobSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/** Job graphs for tests that inspect a graph without running it. */
public final class JobGraphs {

    private JobGraphs() {}

    /**
     * An environment at parallelism 2 with every job wired, as {@code run} wires them with the
     * options of {@code conf}, over empty JSON Lines inputs named {@code names} in {@code dir}.
     */
    public static StreamExecutionEnvironment overFiles(Configuration conf, Path dir, List<String> names)
            throws IOException {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        List<Path> files = new ArrayList<>();
        for (String n : names) {
            Path f = dir.resolve(n);
            Files.writeString(f, "");
            files.add(f);
        }
        List<Ingest.Source> sources = FileInputs.open(
                env,
                files,
                InputFormat.JSONL,
                PulseWatermarks.strategy(Duration.ofSeconds(5), Duration.ofMinutes(1)),
                ClockSkew.of(conf));
        wireAll(conf, sources);
        return env;
    }

    /**
     * Wires every job over {@code sources} as {@code run} does, with the options of {@code conf}, and
     * every table into a discarding sink named {@code discard-<table>}.
     */
    public static void wireAll(Configuration conf, List<Ingest.Source> sources) {
        JobCatalog.wire(
                sources,
                JobCatalog.jobs("all", JobSettings.from(conf)),
                JobSettings.from(conf).bots(),
                new Pseudonymizer(PseudonymKey.generate()),
                RawRedactor.JSON,
                new TableSinks() {
                    @Override
                    public <T extends SpecificRecordBase> void write(OutputTable<T> table, DataStream<T> rows) {
                        rows.sinkTo(new DiscardingSink<>())
                                .name("discard-" + table.name())
                                .uid("discard-" + table.name());
                    }
                });
    }
}
