package io.haitaopulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.io.Ingest;
import io.haitaopulse.io.InputFormat;
import io.haitaopulse.io.PulseWatermarks;
import io.haitaopulse.live.Backfill;
import io.haitaopulse.live.KafkaInputs;
import io.haitaopulse.live.Topics;
import io.haitaopulse.runtime.Live;
import io.haitaopulse.testutil.JobGraphs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a savepoint needs to restore into the next version of the jobs: a pinned max parallelism
 * (the number of key groups), and operator uids named by meaning, so that adding an input
 * anywhere keeps every other operator's uid, and with it its state.
 */
class UpgradeSafetyTest {

    @TempDir
    Path dir;

    @Test
    void theLiveConfigurationPinsMaxParallelism() throws Exception {
        StreamExecutionEnvironment env = graph(List.of("clicks.jsonl", "orders.jsonl"));
        assertThat(env.getConfig().getMaxParallelism())
                .isEqualTo(Live.DEFAULT_MAX_PARALLELISM)
                .isEqualTo(128);
        Configuration own = new Configuration();
        own.set(org.apache.flink.configuration.PipelineOptions.MAX_PARALLELISM, 720);
        assertThat(Live.configure(own).get(org.apache.flink.configuration.PipelineOptions.MAX_PARALLELISM))
                .as("an operator's own value is kept")
                .isEqualTo(720);
    }

    @Test
    void anInputAddedFirstChangesNoOtherOperatorsUid() throws Exception {
        Set<String> before = uids(graph(List.of("clicks.jsonl", "orders.jsonl")));
        Set<String> after = uids(graph(List.of("campaigns.jsonl", "clicks.jsonl", "orders.jsonl")));
        assertThat(before).hasSizeGreaterThan(30);
        assertThat(after).containsAll(before);
        assertThat(after).filteredOn(u -> !before.contains(u)).allMatch(u -> u.contains("campaigns.jsonl"));
    }

    @Test
    void noUidEndsInAPosition() throws Exception {
        assertThat(uids(graph(List.of("clicks.jsonl", "orders.jsonl")))).noneMatch(u -> u.matches(".*-\\d+$"));
    }

    /**
     * A savepoint of the live graph restores into the live graph of the next version, so its source
     * uids stay {@code kafka-source-<topic>}. With {@code --backfill} only the sources differ (a hybrid
     * source keeps other state than a Kafka source): every operator after them keeps its uid, and
     * with it the job's state.
     */
    @Test
    void theBackfillGraphDiffersFromTheLiveGraphInItsSourceUidsOnly() throws Exception {
        Path history = dir.resolve("history.jsonl");
        Files.writeString(history, "");
        Set<String> live = uids(kafkaGraph(null));
        Set<String> backfill = uids(kafkaGraph(Backfill.of(List.of(history), InputFormat.JSONL)));
        List<String> topics = Topics.INPUTS.stream().map(Topics.Input::name).toList();
        assertThat(live)
                .filteredOn(u -> u.contains("source"))
                .containsExactlyInAnyOrderElementsOf(
                        topics.stream().map(t -> "kafka-source-" + t).toList());
        assertThat(backfill)
                .filteredOn(u -> !live.contains(u))
                .containsExactlyInAnyOrderElementsOf(
                        topics.stream().map(t -> "backfill-source-" + t).toList());
        assertThat(live)
                .filteredOn(u -> !backfill.contains(u))
                .containsExactlyInAnyOrderElementsOf(
                        topics.stream().map(t -> "kafka-source-" + t).toList());
    }

    /** The live graph of every job as {@code run} builds it (sources from {@link KafkaInputs}), sinks discarded. */
    private static StreamExecutionEnvironment kafkaGraph(Backfill backfill) {
        Configuration conf = Live.configure(new Configuration());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        List<Ingest.Source> sources = KafkaInputs.open(
                env,
                conf,
                PulseWatermarks.strategy(Duration.ofSeconds(5), Duration.ofMinutes(1)),
                "all",
                java.util.Map.of(),
                backfill);
        JobGraphs.wireAll(conf, sources);
        return env;
    }

    /** The graph of every job, as {@code run} builds it, over file inputs of these names. */
    private StreamExecutionEnvironment graph(List<String> names) throws Exception {
        return JobGraphs.overFiles(Live.configure(new Configuration()), dir, names);
    }

    private static Set<String> uids(StreamExecutionEnvironment env) {
        Set<String> uids = new TreeSet<>();
        for (StreamNode n : env.getStreamGraph(false).getStreamNodes()) {
            if (n.getTransformationUID() != null) {
                uids.add(n.getTransformationUID());
            }
        }
        return uids;
    }
}
