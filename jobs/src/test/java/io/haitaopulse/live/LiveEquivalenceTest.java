package io.haitaopulse.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.haitaopulse.generator.SimulatorConfig;
import io.haitaopulse.io.OutputTable;
import io.haitaopulse.io.ReplayOutput;
import io.haitaopulse.privacy.Pseudonymizer;
import io.haitaopulse.schema.HotItem;
import io.haitaopulse.testutil.LiveStack;
import io.haitaopulse.testutil.RawIdScan;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/**
 * The live path against real Kafka and PostgreSQL gives exactly the replay's rows: a simulated
 * day with disorder, late events and malformed lines, run through {@code --job all} live (bounded
 * at the offsets present at start). Every table in PostgreSQL equals the replay file row for row;
 * Kafka's read_committed hot_items topic holds each row exactly once; every malformed line is in
 * dead_letters.
 */
class LiveEquivalenceTest extends LiveFixture {

    @Override
    SimulatorConfig config() {
        SimulatorConfig small = SimulatorConfig.scenario("small");
        return small.withDisorder(small.maxDelay(), 0.002, 0.002);
    }

    @Test
    void liveOutputEqualsReplayOutput() throws Exception {
        String url = LiveStack.freshDatabase("live");
        Configuration conf = liveConf(url, "equivalence", "KAFKA;POSTGRES");
        runLive(conf, null);

        assertThat(replayRows(OutputTable.LATE_EVENTS)).as("the data exercises late events").isNotEmpty();
        assertThat(replayRows(OutputTable.DEAD_LETTERS)).as("the data exercises dead letters").isNotEmpty();
        assertTablesEqualReplay(url);
        List<HotItem> topic = readTopic(OutputTable.HOT_ITEMS);
        List<JsonNode> expected = ReplayOutput.readRows(replayOut.resolve("hot_items.jsonl"));
        assertThat(topic).as("hot_items topic, read_committed (read_uncommitted: "
                + readTopic(OutputTable.HOT_ITEMS, "read_uncommitted").size() + ")").hasSize(expected.size());
        assertThat(canonical(topic.stream().map(r -> json(r)).toList())).isEqualTo(canonical(expected));
        assertThat(readTopic(OutputTable.DEAD_LETTERS)).as("dead_letters topic, read_committed")
                .hasSize(replayRows(OutputTable.DEAD_LETTERS).size());

        assertNoRawUserIdAnywhere(url);
    }

    /**
     * Issue 12: no raw user id in any output file, topic or table. The input has them by the
     * thousand; late events and dead letters carry user ids, pseudonymised.
     */
    private void assertNoRawUserIdAnywhere(String url) throws Exception {
        Set<String> raw = RawIdScan.userIdsIn(eventFiles);
        assertThat(raw).as("raw ids in the input").hasSizeGreaterThan(100);
        assertThat(new RawIdScan(raw).files(work.resolve("events")).leaks()).as("the scan finds ids where they are").isNotEmpty();

        List<String> outputTopics = OutputTable.all().stream().map(Topics::output).toList();
        RawIdScan scan = new RawIdScan(raw).files(replayOut).tables(url).topics(kafka.bootstrapServers(), outputTopics);
        assertThat(scan.leaks()).as("raw user ids in outputs").isEmpty();
        assertThat(scan.scannedChars()).isGreaterThan(1_000_000L);

        assertThat(replayRows(OutputTable.LATE_EVENTS)).allSatisfy(r -> {
            JsonNode user = r.get("event").get("user_id");
            if (user != null && !user.isNull()) {
                assertThat(user.asText()).hasSize(Pseudonymizer.LENGTH);
            }
        });
        assertThat(replayRows(OutputTable.DEAD_LETTERS)).as("malformed lines keep their user_id member, pseudonymised")
                .anySatisfy(r -> assertThat(r.get("raw").asText()).containsPattern("\"user_id\":\"[A-Za-z0-9_-]{22}\""));
    }

}
