package io.haitaopulse.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.bots.BotOptions;
import io.haitaopulse.io.Ingest;
import io.haitaopulse.io.IngestedSerializer;
import io.haitaopulse.io.InputFormat;
import io.haitaopulse.io.PulseWatermarks;
import io.haitaopulse.live.Backfill;
import io.haitaopulse.live.KafkaInputs;
import io.haitaopulse.schema.internal.Ingested;
import io.haitaopulse.testutil.JobGraphs;
import io.haitaopulse.trends.ItemPaneActivity;
import io.haitaopulse.trends.ItemPaneActivitySerializer;
import io.haitaopulse.trends.PaneCount;
import io.haitaopulse.trends.ShardPaneCountsSerializer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@link Ingested} stream of every job graph, file inputs or Kafka (with and without
 * backfill), bot filter on or off, is serialized by {@link IngestedSerializer}, so no operator
 * added without an explicit type puts Avro's generic serializer back on an exchange; likewise the
 * trends job's pre-aggregated panes cross their exchanges through {@link ShardPaneCountsSerializer} and
 * {@link ItemPaneActivitySerializer}, not Flink's POJO serializer.
 */
class ExchangeSerializersTest {

    @TempDir
    Path dir;

    @Test
    void fileGraphsSerializeIngestedWithTheirOwnSerializer() throws Exception {
        for (boolean bots : List.of(true, false)) {
            StreamExecutionEnvironment env =
                    JobGraphs.overFiles(conf(bots), dir, List.of("clicks.jsonl", "orders.jsonl", "campaigns.jsonl"));
            StreamGraph graph = env.getStreamGraph(false);
            assertIngestedSerializers(graph, "files, bots " + bots);
            assertPaneSerializers(graph, "files, bots " + bots);
        }
    }

    @Test
    void kafkaGraphsSerializeIngestedWithTheirOwnSerializer() throws Exception {
        Path history = dir.resolve("history.jsonl");
        Files.writeString(history, "");
        for (Backfill backfill : java.util.Arrays.asList(null, Backfill.of(List.of(history), InputFormat.JSONL))) {
            Configuration conf = conf(true);
            StreamExecutionEnvironment env = env(conf);
            List<Ingest.Source> sources = KafkaInputs.open(
                    env,
                    conf,
                    PulseWatermarks.strategy(Duration.ofSeconds(5), Duration.ofMinutes(1)),
                    "all",
                    Map.of(),
                    backfill);
            JobGraphs.wireAll(conf, sources);
            StreamGraph graph = env.getStreamGraph(false);
            assertIngestedSerializers(graph, "kafka, backfill " + (backfill != null));
            assertPaneSerializers(graph, "kafka, backfill " + (backfill != null));
        }
    }

    /** No node reads or writes {@link Ingested} with any other serializer, and some do with this one. */
    private static void assertIngestedSerializers(StreamGraph graph, String what) {
        List<TypeSerializer<?>> serializers = new ArrayList<>();
        for (StreamNode n : graph.getStreamNodes()) {
            serializers.add(n.getTypeSerializerOut());
            serializers.addAll(List.of(n.getTypeSerializersIn()));
        }
        List<TypeSerializer<?>> ingested = serializers.stream()
                .filter(Objects::nonNull)
                .filter(s -> s instanceof IngestedSerializer
                        || (s instanceof AvroSerializer<?> a && a.getType() == Ingested.class))
                .toList();
        assertThat(ingested).as(what).isNotEmpty().allMatch(s -> s instanceof IngestedSerializer);
        // The exchange itself: the stream that leaves the bot filter or the gathering rebalance.
        assertThat(graph.getStreamNodes().stream()
                        .filter(n -> Stream.of("bot-filter", "all-inputs").anyMatch(n.getOperatorName()::startsWith))
                        .map(StreamNode::getTypeSerializerOut))
                .as(what)
                .isNotEmpty()
                .allMatch(s -> s instanceof IngestedSerializer);
    }

    /**
     * The trends job's pre-aggregated panes cross their keyed exchanges through their own
     * serializers: the pre-aggregations write them, the operators behind the exchanges read them,
     * and no node does either through Flink's POJO serializer of these types.
     */
    private static void assertPaneSerializers(StreamGraph graph, String what) {
        Map<String, Class<?>> producers = Map.of(
                "hot-items-pane-counts", ShardPaneCountsSerializer.class,
                "trends-pane-activity", ItemPaneActivitySerializer.class);
        Map<String, Class<?>> consumers = Map.of(
                "hot-items-shard-top-n", ShardPaneCountsSerializer.class,
                "demand-trends", ItemPaneActivitySerializer.class);
        for (Map.Entry<String, Class<?>> e : producers.entrySet()) {
            assertThat(nodes(graph, e.getKey()))
                    .as("%s: %s", what, e.getKey())
                    .singleElement()
                    .extracting(StreamNode::getTypeSerializerOut)
                    .isInstanceOf(e.getValue());
        }
        for (Map.Entry<String, Class<?>> e : consumers.entrySet()) {
            assertThat(nodes(graph, e.getKey()))
                    .as("%s: %s", what, e.getKey())
                    .singleElement()
                    .satisfies(n ->
                            assertThat(n.getTypeSerializersIn()).singleElement().isInstanceOf(e.getValue()));
        }
        List<TypeSerializer<?>> serializers = new ArrayList<>();
        for (StreamNode n : graph.getStreamNodes()) {
            serializers.add(n.getTypeSerializerOut());
            serializers.addAll(List.of(n.getTypeSerializersIn()));
        }
        assertThat(serializers)
                .as(what)
                .noneMatch(s -> s instanceof PojoSerializer<?> p
                        && (p.createInstance() instanceof PaneCount || p.createInstance() instanceof ItemPaneActivity));
    }

    private static List<StreamNode> nodes(StreamGraph graph, String name) {
        return graph.getStreamNodes().stream()
                .filter(n -> n.getOperatorName().equals(name))
                .toList();
    }

    private static Configuration conf(boolean bots) {
        Configuration conf = Live.configure(new Configuration());
        conf.set(BotOptions.ENABLED, bots);
        return conf;
    }

    private static StreamExecutionEnvironment env(Configuration conf) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        return env;
    }
}
