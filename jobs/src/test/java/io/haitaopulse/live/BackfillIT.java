package io.haitaopulse.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.haitaopulse.generator.SimulatorConfig;
import io.haitaopulse.io.EventTime;
import io.haitaopulse.io.InputFormat;
import io.haitaopulse.io.OutputTable;
import io.haitaopulse.io.ReplayOutput;
import io.haitaopulse.runtime.Live;
import io.haitaopulse.schema.HotItem;
import io.haitaopulse.testutil.LiveStack;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * Go-live with history: a simulated day split at T, the events before T in history files and the
 * events from T on the topics (streamed by the producer, one partition per topic), run as one
 * bounded live job of every table with {@code --backfill}: every PostgreSQL table and the
 * hot_items topic equal the replay of both parts together. The day has disorder, late events and
 * malformed lines on both sides of T, so lateness and dead letters are checked across the switch
 * from the files to the topics.
 */
class BackfillIT extends BackfillFixture {

    @Override
    SimulatorConfig config() {
        SimulatorConfig small = SimulatorConfig.scenario("small");
        return small.withDisorder(small.maxDelay(), 0.002, 0.002);
    }

    @Test
    void historyThenTopicsEqualsTheReplayOfBoth() throws Exception {
        List<JsonNode> late = replayRows(OutputTable.LATE_EVENTS);
        assertThat(late).as("late events in the history").anyMatch(r -> eventTs(r) < SWITCH.toEpochMilli());
        assertThat(late).as("late events on the topics").anyMatch(r -> eventTs(r) >= SWITCH.toEpochMilli());
        List<JsonNode> dead = replayRows(OutputTable.DEAD_LETTERS);
        assertThat(dead)
                .as("dead letters in the history")
                .anyMatch(r -> r.get("source").asText().startsWith(history.toString()));
        assertThat(dead)
                .as("dead letters on the topics")
                .anyMatch(r ->
                        r.get("source").asText().startsWith(work.resolve("live").toString()));

        String url = LiveStack.freshDatabase("backfill");
        Configuration conf = liveConf(url, "backfill", "KAFKA;POSTGRES");
        // Bad data must never fail the job: a restart would hide it, so there is none.
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        Live.build(env, "all", conf, new LiveSinks(conf, "all"), Backfill.of(List.of(history), InputFormat.JSONL));
        env.execute("backfill");

        assertTablesEqualReplay(url);
        List<HotItem> topic = readTopic(OutputTable.HOT_ITEMS);
        List<JsonNode> expected = ReplayOutput.readRows(replayOut.resolve("hot_items.jsonl"));
        assertThat(canonical(topic.stream().map(r -> json(r)).toList())).isEqualTo(canonical(expected));
    }

    private static long eventTs(JsonNode lateEvent) {
        JsonNode event = lateEvent.get("event");
        JsonNode ts = event.has("ts") ? event.get("ts") : event.get("start_ts");
        return ts == null ? EventTime.NONE : ts.asLong();
    }
}
