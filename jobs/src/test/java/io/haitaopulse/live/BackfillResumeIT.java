package io.haitaopulse.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haitaopulse.generator.SimulatorConfig;
import io.haitaopulse.io.InputFormat;
import io.haitaopulse.io.OutputTable;
import io.haitaopulse.runtime.Live;
import io.haitaopulse.testutil.LiveStack;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Restarting a backfill job from a savepoint with the same {@code --backfill} goes on with the
 * topics and never reads the history again. The job reads the history and the topics' first part
 * (events from T to T2), stops with a savepoint once its consumer group has committed the end of
 * every topic (so every source with records has switched to its topic), and the events from T2 are
 * written only then; the job started again from the savepoint reads them, and, drained at the end,
 * its PostgreSQL tables equal the replay of all three parts row for row. History read again would
 * be counted twice, or judged late against the restored watermarks, and its dead letters would be
 * written twice. The same savepoint is refused by the graph without {@code --backfill}. The data has
 * malformed lines but no late events, as in {@link LiveRecoveryIT}.
 */
class BackfillResumeIT extends BackfillFixture {

    /** Where the topics' second part begins, written only after the first job has stopped. */
    static final Instant SECOND = SimulatorConfig.DEFAULT_START.plus(Duration.ofHours(19));

    private static final String GROUP = "backfill-resume";

    @Override
    SimulatorConfig config() {
        SimulatorConfig small = SimulatorConfig.scenario("small");
        return small.withDisorder(small.maxDelay(), 0.0, 0.002);
    }

    @Override
    List<Instant> cuts() {
        return List.of(SWITCH, SECOND);
    }

    @Test
    void aRestartFromASavepointGoesOnWithTheTopicsAndNeverReadsTheHistoryAgain() throws Exception {
        String url = LiveStack.freshDatabase("backfill_resume");
        Configuration conf = liveConf(url, GROUP, "POSTGRES");
        conf.setString(LiveOptions.BOUNDED.key(), "false");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        Backfill backfill = Backfill.of(List.of(history), InputFormat.JSONL);
        String savepoints = work.resolve("savepoints").toUri().toString();

        JobClient first = start(conf, backfill);
        awaitTopicsRead(first, "the history and the topics' first part");
        String savepoint = first.stopWithSavepoint(false, savepoints, SavepointFormatType.CANONICAL)
                .get(2, TimeUnit.MINUTES);
        first.getJobExecutionResult().get(2, TimeUnit.MINUTES);

        Configuration withoutBackfill = new Configuration(conf);
        withoutBackfill.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        assertThatThrownBy(() ->
                        start(withoutBackfill, null).getJobExecutionResult().get(2, TimeUnit.MINUTES))
                .as("the live graph has no operator for the backfill sources' state")
                .hasStackTraceContaining("Cannot map checkpoint/savepoint state for operator");

        try (EventProducer producer = new EventProducer(kafka.bootstrapServers())) {
            producer.send(filesOf(liveParts.get(1)), 0);
        }
        Configuration resumed = new Configuration(conf);
        resumed.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        JobClient second = start(resumed, backfill);
        awaitTopicsRead(second, "the topics' second part");
        // Drained: the end of event time, as at the end of a bounded run.
        second.stopWithSavepoint(true, savepoints, SavepointFormatType.CANONICAL)
                .get(2, TimeUnit.MINUTES);
        second.getJobExecutionResult().get(2, TimeUnit.MINUTES);

        assertThat(replayRows(OutputTable.DEAD_LETTERS))
                .as("the data exercises dead letters")
                .anyMatch(r -> r.get("source").asText().startsWith(history.toString()))
                .anyMatch(r ->
                        r.get("source").asText().startsWith(liveParts.get(1).toString()));
        assertTablesEqualReplay(url);
    }

    private JobClient start(Configuration conf, Backfill backfill) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        Live.build(env, "all", conf, new LiveSinks(conf, "all"), backfill);
        return env.executeAsync("backfill resume");
    }

    /**
     * Waits until the job's consumer group has committed, at a completed checkpoint, the end of
     * every input partition that holds records: everything written so far has been read.
     */
    private void awaitTopicsRead(JobClient job, String what) throws Exception {
        Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        try (Admin admin = Admin.create(client)) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (Topics.Input<?> t : Topics.INPUTS) {
                latest.put(new TopicPartition(t.name(), 0), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, o) -> ends.put(tp, o.offset()));
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                        .partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS);
                boolean all = ends.entrySet().stream()
                        .allMatch(e -> e.getValue() == 0
                                || (committed.get(e.getKey()) != null
                                        && committed.get(e.getKey()).offset() >= e.getValue()));
                if (all) {
                    return;
                }
                assertThat(job.getJobStatus().get(30, TimeUnit.SECONDS).isGloballyTerminalState())
                        .as("the job is running")
                        .isFalse();
                assertThat(System.nanoTime())
                        .as(what + " read within 2 min (ends " + ends + ", committed " + committed + ")")
                        .isLessThan(deadline);
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
    }
}
