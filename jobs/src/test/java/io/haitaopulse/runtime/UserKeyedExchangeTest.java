package io.haitaopulse.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.bots.BotOptions;
import io.haitaopulse.testutil.JobGraphs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.runtime.partitioner.ForwardPartitioner;
import org.apache.flink.streaming.runtime.partitioner.KeyGroupStreamPartitioner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The uplift job's user-keyed operators take their events as the bot filter, keyed by user, left
 * them: no second exchange, and the attributor runs in the filter's task. With the filter off
 * they key by user themselves.
 */
class UserKeyedExchangeTest {

    @TempDir
    Path dir;

    private StreamGraph graph(boolean bots) throws Exception {
        Configuration conf = Live.configure(new Configuration());
        conf.set(BotOptions.ENABLED, bots);
        return JobGraphs.overFiles(
                        conf, dir, List.of("clicks.jsonl", "orders.jsonl", "campaigns.jsonl", "exposures.jsonl"))
                .getStreamGraph(false);
    }

    /** The edge into {@code operator} from the filter named {@code from}. */
    private static StreamEdge edge(StreamGraph graph, String operator, String from) {
        StreamNode node = graph.getStreamNodes().stream()
                .filter(n -> n.getOperatorName().equals(operator))
                .findFirst()
                .orElseThrow();
        return node.getInEdges().stream()
                .filter(e ->
                        graph.getStreamNode(e.getSourceId()).getOperatorName().equals(from))
                .findFirst()
                .orElseThrow();
    }

    /** Both user-keyed operators take their events through {@code partitioner}. */
    private static void assertUserEdges(StreamGraph graph, Class<?> partitioner) {
        assertThat(edge(graph, "channel-attributor", "attribution-events").getPartitioner())
                .isInstanceOf(partitioner);
        assertThat(edge(graph, "uplift-user-outcomes", "uplift-user-events").getPartitioner())
                .isInstanceOf(partitioner);
    }

    @Test
    void behindTheBotFilterUserKeyedOperatorsNeedNoExchangeOfTheirOwn() throws Exception {
        StreamGraph graph = graph(true);
        assertUserEdges(graph, ForwardPartitioner.class);
        List<String> vertices = new ArrayList<>();
        for (JobVertex v : graph.getJobGraph().getVertices()) {
            vertices.add(v.getName());
        }
        assertThat(vertices)
                .as("the attributor runs in the bot filter's task")
                .anyMatch(v -> v.contains("bot-filter") && v.contains("channel-attributor"));
    }

    @Test
    void withoutTheBotFilterUserKeyedOperatorsKeyByUserThemselves() throws Exception {
        assertUserEdges(graph(false), KeyGroupStreamPartitioner.class);
    }
}
