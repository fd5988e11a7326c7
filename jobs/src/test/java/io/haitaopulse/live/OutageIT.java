package io.haitaopulse.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.haitaopulse.generator.SimulatorConfig;
import io.haitaopulse.io.OutputTable;
import io.haitaopulse.stack.LocalPostgres;
import io.haitaopulse.testutil.LiveStack;
import io.haitaopulse.testutil.PgRows;
import io.haitaopulse.testutil.TopicRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Outages, each in the middle of a live run of every job (bounded at the offsets present
 * at start, so it ends like a replay): PostgreSQL away for 30 s (absorbed by backpressure, without
 * a restart), the Kafka broker restarted and a TaskManager killed (the job fails over and resumes
 * from its checkpoint).
 * Afterwards every PostgreSQL table equals the replay row for row, and Kafka's read_committed
 * hot_items topic holds each replay row exactly once. The data has disorder and malformed lines but
 * no late events (see {@link LiveRecoveryIT}: a restore changes how partly late views count).
 */
class OutageIT extends LiveFixture {

    @Override
    SimulatorConfig config() {
        SimulatorConfig small = SimulatorConfig.scenario("small");
        return small.withDisorder(small.maxDelay(), 0.0, 0.002);
    }

    @Test
    void postgresAwayForThirtySecondsBacksTheJobUpAndLosesNothing() throws Exception {
        Path dir = work.resolve("pg-outage");
        LocalPostgres pg = LocalPostgres.start(dir, 0);
        int port = pg.port();
        String url = pg.jdbcUrl();
        Configuration conf = liveConf(url, "pg-outage", "POSTGRES");
        // No restarts: the writers wait for the database (pulse.postgres.max-retry-time, 1 min) and
        // the job backs up behind them; a failover would fail the test.
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        JobClient job = startLive(conf);
        try {
            awaitRows(url, 1);
            pg.close();
            assertThat(job.getJobStatus().get())
                    .as("the outage starts while the job runs")
                    .isEqualTo(JobStatus.RUNNING);
            // The outage itself is timed: a database that does not answer for 30 s.
            TimeUnit.SECONDS.sleep(30);
            pg = LocalPostgres.reopen(dir, port);
            long back = System.nanoTime();
            job.getJobExecutionResult().get(5, TimeUnit.MINUTES);
            System.out.printf(
                    "postgres outage: 30 s; job finished %.1f s after the database returned%n",
                    (System.nanoTime() - back) / 1e9);
            assertTablesEqualReplay(url);
        } finally {
            pg.close();
        }
    }

    @Test
    void aBrokerRestartMidStreamLosesAndDoublesNothing() throws Exception {
        String url = LiveStack.freshDatabase("broker_restart");
        // An outage may outlast the clients' patience: the job fails over until the broker is back.
        Configuration conf = restarting(liveConf(url, "broker-restart", "KAFKA;POSTGRES"), 1000, Duration.ofSeconds(1));
        Map<TopicPartition, Long> from = hotItemsEnd();
        JobClient job = startLive(conf);
        awaitRows(url, 1);
        long down = System.nanoTime();
        kafka = kafka.restart(Duration.ofSeconds(90));
        assertThat(job.getJobStatus().get())
                .as("the broker came back while the job runs")
                .isEqualTo(JobStatus.RUNNING);
        System.out.printf("broker restart: down for %.1f s%n", (System.nanoTime() - down) / 1e9);
        job.getJobExecutionResult().get(5, TimeUnit.MINUTES);

        assertTablesEqualReplay(url);
        assertHotItemsTopicEqualsReplay(from);
    }

    /**
     * A MiniCluster of two TaskManagers with two slots each; one is terminated mid-stream and the
     * job fails over to the slots of the other.
     */
    @Test
    void aTaskManagerKilledMidStreamLosesAndDoublesNothing() throws Exception {
        String url = LiveStack.freshDatabase("tm_kill");
        Configuration conf = restarting(liveConf(url, "tm-kill", "KAFKA;POSTGRES"), 1000, Duration.ofSeconds(1));
        // Spread the slots over both TaskManagers, so the one killed certainly runs part of the job.
        conf.set(
                TaskManagerOptions.TASK_MANAGER_LOAD_BALANCE_MODE, TaskManagerOptions.TaskManagerLoadBalanceMode.SLOTS);
        MiniClusterConfiguration mc = new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(2)
                .setNumSlotsPerTaskManager(2)
                .build();
        Map<TopicPartition, Long> from = hotItemsEnd();
        MiniCluster cluster = new MiniCluster(mc);
        try {
            cluster.start();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(2);
            io.haitaopulse.runtime.Live.build(env, "all", conf, new LiveSinks(conf, "all"));
            JobID job = cluster.submitJob(env.getStreamGraph()).get().getJobID();
            awaitRows(url, 1);
            assertThat(cluster.getJobStatus(job).get())
                    .as("the kill happens while the job runs")
                    .isEqualTo(JobStatus.RUNNING);
            cluster.terminateTaskManager(0).get(1, TimeUnit.MINUTES);
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (cluster.getExecutionGraph(job).get().getFailureInfo() == null) {
                assertThat(System.nanoTime())
                        .as("the job failed over after the kill")
                        .isLessThan(deadline);
                TimeUnit.MILLISECONDS.sleep(50);
            }
            JobResult result = cluster.requestJobResult(job).get(5, TimeUnit.MINUTES);
            assertThat(result.isSuccess())
                    .as(String.valueOf(result.getSerializedThrowable()))
                    .isTrue();
        } finally {
            // Not try-with-resources: MiniCluster.close() may throw InterruptedException (-Xlint:try).
            cluster.close();
        }
        assertTablesEqualReplay(url);
        assertHotItemsTopicEqualsReplay(from);
    }

    /** Where this run's records will start in hot_items: the tests of this class share a broker. */
    private Map<TopicPartition, Long> hotItemsEnd() {
        return TopicRecords.endOffsets(client(), Topics.output(OutputTable.HOT_ITEMS));
    }

    private Properties client() {
        Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        return client;
    }

    private void assertHotItemsTopicEqualsReplay(Map<TopicPartition, Long> from) throws Exception {
        List<JsonNode> topic =
                TopicRecords.read(client(), Topics.output(OutputTable.HOT_ITEMS), "read_committed", from).stream()
                        .map(r -> json(decodeHotItem(r.value())))
                        .toList();
        assertThat(canonical(topic))
                .as("hot_items topic, read_committed: every row once")
                .isEqualTo(canonical(replayRows(OutputTable.HOT_ITEMS)));
    }

    /** Returns once hot_items holds {@code n} rows: the job is mid-stream. */
    private static void awaitRows(String url, long n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (PgRows.count(url, OutputTable.HOT_ITEMS) < n) {
            assertThat(System.nanoTime()).as("hot_items rows within 2 min").isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private static io.haitaopulse.schema.HotItem decodeHotItem(byte[] value) {
        try {
            return AvroWire.decoder(io.haitaopulse.schema.HotItem.class).decode(value);
        } catch (AvroWire.InvalidWireException e) {
            throw new AssertionError(e);
        }
    }
}
