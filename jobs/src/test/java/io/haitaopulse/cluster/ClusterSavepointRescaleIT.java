package io.haitaopulse.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.haitaopulse.generator.MarketSimulator;
import io.haitaopulse.generator.SimulatorConfig;
import io.haitaopulse.io.InputFormat;
import io.haitaopulse.io.OutputTable;
import io.haitaopulse.io.ReplayOutput;
import io.haitaopulse.live.AvroWire;
import io.haitaopulse.live.EventProducer;
import io.haitaopulse.live.LiveSetup;
import io.haitaopulse.live.Topics;
import io.haitaopulse.privacy.PseudonymKey;
import io.haitaopulse.runtime.Replay;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.stack.FlinkClient;
import io.haitaopulse.stack.JdkFlags;
import io.haitaopulse.stack.LocalCluster;
import io.haitaopulse.stack.LocalKafka;
import io.haitaopulse.stack.LocalPostgres;
import io.haitaopulse.testutil.LiveStack;
import io.haitaopulse.testutil.LooseTrends;
import io.haitaopulse.testutil.PgRows;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trends job on a real standalone cluster (JobManager and TaskManager JVMs), reading a real
 * Kafka and writing a real PostgreSQL: submitted at parallelism 1 on the first third of a simulated
 * day's clicks, stopped with a savepoint, resumed from it at parallelism 2 on the second third,
 * stopped with a savepoint again and resumed at parallelism 1 on the rest (1→2→1, each
 * resume a new submission of the jar, as an upgrade is). The tables equal a replay of the whole
 * day in one piece, row for row (trend_alerts: each episode's final row, though episodes were open
 * in the savepoints).
 *
 * <p>The live job is unbounded, so the test closes event time with one sentinel click per
 * partition two hours after the last real click: every window holding real data is then final,
 * and no window holding the sentinel is.
 */
class ClusterSavepointRescaleIT {

    private static final String GROUP = "cluster-it";

    @TempDir
    Path work;

    @Test
    void savepointsAndRescalingOneTwoOneEqualAnUninterruptedRun() throws Exception {
        Path events = work.resolve("events");
        SimulatorConfig small = SimulatorConfig.scenario("small");
        new MarketSimulator(small.withDisorder(small.maxDelay(), 0.0, 0.0), 11).run(events);
        Path clicks = events.resolve("clicks.jsonl");
        Path replay = work.resolve("replay");
        // Loosened trend thresholds put open trend episodes, and the items' shares of their
        // categories, into the savepoints, which must carry them across rescaling.
        Configuration options = LooseTrends.apply(new Configuration());
        Replay.run(new Replay.Spec("trends", List.of(clicks), replay, InputFormat.JSONL, options, 2, null, null));

        List<String> lines = Files.readAllLines(clicks, StandardCharsets.UTF_8);
        Path first = work.resolve("first/clicks.jsonl");
        Path second = work.resolve("second/clicks.jsonl");
        Path third = work.resolve("third/clicks.jsonl");
        Files.createDirectories(first.getParent());
        Files.createDirectories(second.getParent());
        Files.createDirectories(third.getParent());
        Files.write(first, lines.subList(0, lines.size() / 3));
        Files.write(second, lines.subList(lines.size() / 3, 2 * lines.size() / 3));
        Files.write(third, lines.subList(2 * lines.size() / 3, lines.size()));
        long maxTs = lines.stream()
                .mapToLong(l -> Long.parseLong(l.replaceAll(".*\"ts\":(\\d+).*", "$1")))
                .max()
                .orElseThrow();

        Path home = Paths.get(System.getProperty("pulse.home", ".."));
        Path jar = home.resolve("jobs/target/haitao-pulse-jobs.jar");
        assertThat(jar)
                .as("the shaded jar (integration tests run after package)")
                .exists();
        String pgUrl = LiveStack.freshDatabase("cluster");
        try (LocalKafka kafka = LiveStack.newKafka()) {
            // Under target/, not the temp dir: the cluster's logs outlive a failed run.
            LocalCluster cluster = new LocalCluster(
                    Paths.get("target", "cluster-it").toAbsolutePath(),
                    home.resolve("deploy/local-cluster/config.yaml"),
                    freePort(),
                    1,
                    JdkFlags.FLAGS);
            try {
                cluster.start(Duration.ofMinutes(2));
                assertThat(cluster.start(Duration.ofMinutes(2)))
                        .as("start is idempotent")
                        .startsWith("cluster already running");
                assertThat(cluster.status()).contains("TaskManagers: 1, slots: 4 total");
                long tmPid = Long.parseLong(Files.readString(Paths.get("target", "cluster-it", "taskmanager-0.pid"))
                        .trim());
                assertThat(Files.readString(Paths.get("/proc", Long.toString(tmPid), "cmdline"))
                                .split("\0"))
                        .as("the template's env.java.opts.taskmanager reaches the TaskManager's JVM")
                        .contains("-XX:+UseParallelGC");
                LiveSetup.createTopics(kafka.bootstrapServers(), 2, List.of());
                Path config = work.resolve("pulse.yaml");
                // The job is built where it is submitted (the client JVM) and reads its key there.
                Path keyFile = work.resolve("pseudonym.key");
                Files.writeString(keyFile, PseudonymKey.generate().toBase64());
                Files.writeString(
                        config,
                        String.join(
                                "\n",
                                "pulse.privacy.key-file: " + keyFile,
                                "pulse.kafka.bootstrap-servers: " + kafka.bootstrapServers(),
                                "pulse.kafka.group-id: " + GROUP,
                                "pulse.kafka.starting-offsets: EARLIEST",
                                "pulse.kafka.partitions: 2",
                                "pulse.sinks: POSTGRES",
                                "pulse.postgres.url: " + pgUrl,
                                "pulse.postgres.user: " + LocalPostgres.USER,
                                // Long enough that a partition waiting for its turn while the other is read in
                                // bulk is never taken for idle (its events would then be late); the empty topics
                                // stop holding event time back after it.
                                "pulse.idle-timeout: 20s",
                                String.join("\n", LooseTrends.yamlLines()),
                                "execution.checkpointing.interval: 1s",
                                ""));
                List<String> args = List.of("run", "--job", "trends", "--config", config.toString());
                FlinkClient client = new FlinkClient(cluster.restAddress());

                long firstCount = produce(kafka, first);
                FlinkClient.Result submitted = client.submit(jar, 1, null, false, args);
                assertThat(submitted.jobId()).as(submitted.output()).isNotNull();
                await(
                        "the first half consumed and committed",
                        () -> committed(kafka) == firstCount,
                        Duration.ofMinutes(3),
                        () -> "committed " + committed(kafka) + " of " + firstCount);

                FlinkClient.Result stopped = client.stopWithSavepoint(
                        submitted.jobId(), work.resolve("savepoints").toUri().toString());
                assertThat(stopped.savepointPath()).as(stopped.output()).isNotNull();

                // 1 → 2: the second third at parallelism 2, from the first savepoint.
                long twoThirds = firstCount + produce(kafka, second);
                FlinkClient.Result scaledUp = client.submit(jar, 2, stopped.savepointPath(), false, args);
                assertThat(scaledUp.jobId()).as(scaledUp.output()).isNotNull();
                assertThat(cluster.get("/jobs/" + scaledUp.jobId())
                                .orElseThrow()
                                .path("vertices")
                                .findValues("parallelism"))
                        .extracting(JsonNode::asInt)
                        .contains(2);
                await(
                        "the second third consumed and committed",
                        () -> committed(kafka) == twoThirds,
                        Duration.ofMinutes(3),
                        () -> "committed " + committed(kafka) + " of " + twoThirds);
                FlinkClient.Result stoppedAgain = client.stopWithSavepoint(
                        scaledUp.jobId(), work.resolve("savepoints").toUri().toString());
                assertThat(stoppedAgain.savepointPath())
                        .as(stoppedAgain.output())
                        .isNotNull();

                // 2 → 1: the rest at parallelism 1 again, from the second savepoint.
                long total = twoThirds + produce(kafka, third) + sentinels(kafka, maxTs + 2 * 3_600_000L);
                FlinkClient.Result resumed = client.submit(jar, 1, stoppedAgain.savepointPath(), false, args);
                assertThat(resumed.jobId()).as(resumed.output()).isNotNull();
                assertThat(cluster.get("/jobs/" + resumed.jobId())
                                .orElseThrow()
                                .path("vertices")
                                .findValues("parallelism"))
                        .extracting(JsonNode::asInt)
                        .containsOnly(1);

                List<JsonNode> expected = ReplayOutput.readRows(replay.resolve("hot_items.jsonl"));
                await(
                        "everything consumed",
                        () -> committed(kafka) == total,
                        Duration.ofMinutes(3),
                        () -> "committed " + committed(kafka) + " of " + total);
                await(
                        "every window written",
                        () -> count(pgUrl, "hot_items") == expected.size(),
                        Duration.ofMinutes(2),
                        () -> "hot_items has " + count(pgUrl, "hot_items") + " of " + expected.size() + " rows; job "
                                + cluster.get("/jobs/" + resumed.jobId())
                                        .map(j -> j.path("state").asText())
                                        .orElse("?")
                                + "; differing windows " + windowDiff(pgUrl, expected) + "; watermarks "
                                + watermarks(cluster, resumed.jobId()));
                client.cancel(resumed.jobId());
                assertThat(count(pgUrl, "late_events"))
                        .as("late events (the data has none)")
                        .isZero();

                assertThat(ReplayOutput.readRows(replay.resolve("trend_alerts.jsonl")))
                        .as("trend episodes")
                        .isNotEmpty();
                for (OutputTable<?> table : List.of(
                        OutputTable.HOT_ITEMS,
                        OutputTable.DEMAND_TRENDS,
                        OutputTable.CATEGORY_TRENDS,
                        OutputTable.TREND_ALERTS)) {
                    List<String> want = sorted(ReplayOutput.readRows(replay.resolve(table.name() + ".jsonl")));
                    assertThat(sorted(PgRows.read(pgUrl, table)))
                            .as(table.name())
                            .isEqualTo(want);
                }
            } finally {
                cluster.stop();
            }
            assertThat(cluster.stop()).as("stop is idempotent").isEqualTo("cluster not running");
            assertThat(ProcessHandle.allProcesses()
                            .filter(h -> h.info()
                                    .commandLine()
                                    .orElse("")
                                    .contains("-Dpulse.cluster.dir="
                                            + Paths.get("target", "cluster-it").toAbsolutePath() + " ")))
                    .as("cluster processes left running")
                    .isEmpty();
        }
    }

    private static long produce(LocalKafka kafka, Path file) throws Exception {
        try (EventProducer p = new EventProducer(kafka.bootstrapServers())) {
            return p.send(List.of(file), 0);
        }
    }

    /** One far-future click on every partition of the clicks topic; returns how many. */
    private static long sentinels(LocalKafka kafka, long ts) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int partition = 0; partition < 2; partition++) {
                Click c = new Click(
                        "sentinel-" + partition,
                        "sentinel",
                        999_999_999L,
                        999_999L,
                        ClickAction.VIEW,
                        Instant.ofEpochMilli(ts),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null);
                // Stamped with its event time: against a record time of now, a click weeks old is clock skew.
                producer.send(new ProducerRecord<>(Topics.CLICKS.name(), partition, ts, null, AvroWire.encode(c)))
                        .get();
            }
        }
        return 2;
    }

    /** Offsets the job's consumer group has committed on the clicks topic (committed on checkpoints). */
    private static long committed(LocalKafka kafka) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            long sum = 0;
            for (var e : admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata()
                    .get()
                    .entrySet()) {
                TopicPartition tp = e.getKey();
                OffsetAndMetadata om = e.getValue();
                if (tp.topic().equals(Topics.CLICKS.name()) && om != null) {
                    sum += om.offset();
                }
            }
            return sum;
        } catch (Exception e) {
            return -1;
        }
    }

    private static long count(String url, String table) {
        try (Connection c = DriverManager.getConnection(url, LocalPostgres.USER, null);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            return -1;
        }
    }

    private static void await(String what, BooleanSupplier condition, Duration timeout, Callable<String> state)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + ": " + state.call());
            }
            // Polling a condition with a deadline: the cluster offers no callback to a test.
            TimeUnit.MILLISECONDS.sleep(500);
        }
    }

    /** Rows per window_end that differ between PostgreSQL and the replay (first 8), for a failure message. */
    private static String windowDiff(String url, List<JsonNode> expected) throws Exception {
        java.util.TreeMap<Long, long[]> counts = new java.util.TreeMap<>();
        for (JsonNode r : expected) {
            counts.computeIfAbsent(r.get("window_end").asLong(), k -> new long[2])[0]++;
        }
        for (JsonNode r : PgRows.read(url, OutputTable.HOT_ITEMS)) {
            counts.computeIfAbsent(r.get("window_end").asLong(), k -> new long[2])[1]++;
        }
        StringBuilder b = new StringBuilder();
        int n = 0;
        for (var e : counts.entrySet()) {
            if (e.getValue()[0] != e.getValue()[1] && n++ < 8) {
                b.append(e.getKey())
                        .append(": replay ")
                        .append(e.getValue()[0])
                        .append(" live ")
                        .append(e.getValue()[1])
                        .append(", ");
            }
        }
        return n + " windows: " + b + " first window " + counts.firstKey() + ", last " + counts.lastKey();
    }

    /** Each vertex's low watermark, from the REST API, for a failure message. */
    private static String watermarks(LocalCluster cluster, String jobId) throws InterruptedException {
        StringBuilder b = new StringBuilder();
        for (JsonNode v : cluster.get("/jobs/" + jobId).orElseThrow().path("vertices")) {
            String wm = cluster.get(
                            "/jobs/" + jobId + "/vertices/" + v.path("id").asText() + "/watermarks")
                    .map(JsonNode::toString)
                    .orElse("?");
            b.append(
                            v.path("name").asText().replaceAll("\\s+", " "),
                            0,
                            Math.min(40, v.path("name").asText().length()))
                    .append('=')
                    .append(wm)
                    .append("; ");
        }
        return b.toString();
    }

    private static List<String> sorted(List<JsonNode> rows) {
        return rows.stream()
                .map(JsonNode::toString)
                .sorted(Comparator.naturalOrder())
                .toList();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
