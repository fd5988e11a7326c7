package io.haitaopulse.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.haitaopulse.generator.MarketSimulator;
import io.haitaopulse.generator.SimulatorConfig;
import io.haitaopulse.io.InputFormat;
import io.haitaopulse.io.OutputTable;
import io.haitaopulse.io.ReplayOutput;
import io.haitaopulse.io.TableSinks;
import io.haitaopulse.privacy.PrivacyOptions;
import io.haitaopulse.privacy.PseudonymKey;
import io.haitaopulse.runtime.Live;
import io.haitaopulse.runtime.Replay;
import io.haitaopulse.stack.LocalKafka;
import io.haitaopulse.stack.LocalPostgres;
import io.haitaopulse.testutil.LiveStack;
import io.haitaopulse.testutil.PgRows;
import io.haitaopulse.testutil.TopicRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A simulated day replayed from files, and the same files streamed into a real Kafka broker (one
 * partition per topic, so each topic has the order of its file), for tests that run the live
 * path on it and compare with the replay.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LiveFixture {

    Path work;

    /** The key every run of this fixture pseudonymises with. */
    final PseudonymKey key = PseudonymKey.generate();

    LocalKafka kafka;
    Path replayOut;
    List<Path> eventFiles;

    /** The simulated market. */
    abstract SimulatorConfig config();

    /** What the replay reads (files or directories) and which files are streamed into Kafka. */
    record Inputs(List<Path> replay, List<Path> produced) {}

    /** By default the replay reads every event file and the same files go to Kafka. */
    Inputs inputs(Path events, List<Path> files) throws java.io.IOException {
        return new Inputs(List.of(events), files);
    }

    @BeforeAll
    void simulateReplayAndProduce(@TempDir Path dir) throws Exception {
        work = dir;
        Path events = work.resolve("events");
        new MarketSimulator(config(), 5).run(events);
        try (Stream<Path> s = Files.list(events)) {
            eventFiles = s.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        }
        Inputs inputs = inputs(events, eventFiles);
        replayOut = work.resolve("replay");
        Replay.run(new Replay.Spec(
                "all", inputs.replay(), replayOut, InputFormat.JSONL, keyed(new Configuration()), 2, null, null));
        kafka = LiveStack.newKafka();
        // One partition per topic: the same order per source as the replay's one file per source.
        LiveSetup.createTopics(kafka.bootstrapServers(), 1, List.of());
        try (EventProducer producer = new EventProducer(kafka.bootstrapServers())) {
            producer.send(inputs.produced(), 0);
        }
    }

    @AfterAll
    void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    Configuration liveConf(String url, String group, String sinks) {
        Configuration conf = new Configuration();
        conf.setString(LiveOptions.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
        conf.setString(LiveOptions.GROUP_ID.key(), group);
        conf.setString(LiveOptions.STARTING_OFFSETS.key(), "EARLIEST");
        conf.setString(LiveOptions.BOUNDED.key(), "true");
        conf.setString(LiveOptions.PARTITIONS.key(), "1");
        conf.setString(LiveOptions.SINKS.key(), sinks);
        conf.setString(LiveOptions.POSTGRES_URL.key(), url);
        conf.setString(LiveOptions.POSTGRES_USER.key(), LocalPostgres.USER);
        // 300 ms checkpoints under CPU load: KafkaExactlyOnceUnderLoadIT.
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(1));
        return Live.configure(keyed(conf));
    }

    /**
     * {@code conf} with this fixture's pseudonymisation key and {@link #jobOptions}: the replay and
     * every live run share them, so rows that carry a pseudonym (late events, dead letters, referral
     * credits) compare, and both run the same jobs. The key is random per run of the test class; no
     * key lives in the repository.
     */
    Configuration keyed(Configuration conf) {
        conf.set(PrivacyOptions.PSEUDONYM_SECRET, key.toBase64());
        jobOptions(conf);
        return conf;
    }

    /** Job options the replay and every live run of this fixture set on {@code conf}; none by default. */
    void jobOptions(Configuration conf) {}

    void runLive(Configuration conf, Path failMarker) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        LiveSinks live = new LiveSinks(conf, "all");
        TableSinks sinks = failMarker == null
                ? live
                : new TableSinks() {
                    @Override
                    public <T extends SpecificRecordBase> void write(OutputTable<T> table, DataStream<T> rows) {
                        DataStream<T> in = rows;
                        if (table == OutputTable.DEMAND_TRENDS) {
                            in = rows.map(new FailOnceAfterCheckpoint<>(failMarker.toString(), 20))
                                    .returns(table.typeInfo())
                                    .name("fail-once")
                                    .uid("fail-once")
                                    .setParallelism(rows.getParallelism());
                        }
                        live.write(table, in);
                    }
                };
        Live.build(env, "all", conf, sinks);
        env.execute("live equivalence");
    }

    /** Starts the live job of every table on a MiniCluster and returns at once. */
    JobClient startLive(Configuration conf) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        Live.build(env, "all", conf, new LiveSinks(conf, "all"));
        return env.executeAsync("live under faults");
    }

    /** Rows of a replay output table. */
    List<JsonNode> replayRows(OutputTable<?> table) {
        return ReplayOutput.readRows(replayOut.resolve(table.name() + ".jsonl"));
    }

    void assertTablesEqualReplay(String url) throws Exception {
        assertTablesEqualReplay(url, List.of());
    }

    /**
     * Every PostgreSQL table equals the replay's, except that dead_letters also holds
     * {@code extraDead} (raw values of records only the wire could carry).
     */
    void assertTablesEqualReplay(String url, List<String> extraDead) throws Exception {
        for (OutputTable<?> table : OutputTable.all()) {
            List<JsonNode> replay = ReplayOutput.readRows(replayOut.resolve(table.name() + ".jsonl"));
            List<JsonNode> pg = PgRows.read(url, table);
            if (table == OutputTable.DEAD_LETTERS) {
                // Source and reason name the path (file vs topic); the bytes must be the same.
                List<String> expected = new ArrayList<>(extraDead);
                replay.forEach(r -> expected.add(r.get("raw").asText()));
                assertThat(pg.stream().map(r -> r.get("raw").asText()).sorted().toList())
                        .as(table.name())
                        .isEqualTo(expected.stream().sorted().toList());
            } else if (table == OutputTable.LATE_EVENTS) {
                // Stored once per distinct row (content key): compare as sets.
                assertSame(
                        table,
                        canonical(pg),
                        canonical(replay).stream().distinct().toList());
            } else {
                assertSame(table, canonical(pg), canonical(replay));
            }
        }
    }

    /** Equal lists, or a failure that shows a few rows missing from and a few extra in {@code actual}. */
    private static void assertSame(OutputTable<?> table, List<String> actual, List<String> expected) {
        if (actual.equals(expected)) {
            return;
        }
        List<String> missing = new ArrayList<>(expected);
        actual.forEach(missing::remove);
        List<String> extra = new ArrayList<>(actual);
        expected.forEach(extra::remove);
        throw new AssertionError(
                table.name() + ": live has " + actual.size() + " rows, replay " + expected.size() + "; missing "
                        + missing.size() + " e.g. " + missing.subList(0, Math.min(3, missing.size())) + "; extra "
                        + extra.size() + " e.g. "
                        + extra.subList(0, Math.min(3, extra.size())));
    }

    /** Rows as text with object keys sorted (PostgreSQL's JSONB does not keep key order), sorted. */
    static List<String> canonical(List<JsonNode> rows) {
        return rows.stream()
                .map(r -> sortKeys(r).toString())
                .sorted(Comparator.naturalOrder())
                .toList();
    }

    private static JsonNode sortKeys(JsonNode n) {
        if (n.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode a =
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
            n.forEach(x -> a.add(sortKeys(x)));
            return a;
        }
        if (!n.isObject()) {
            return n;
        }
        com.fasterxml.jackson.databind.node.ObjectNode o =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        java.util.TreeMap<String, JsonNode> sorted = new java.util.TreeMap<>();
        n.fields().forEachRemaining(e -> sorted.put(e.getKey(), sortKeys(e.getValue())));
        sorted.forEach(o::set);
        return o;
    }

    static JsonNode json(SpecificRecordBase r) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(io.haitaopulse.io.JsonRows.toJson(r));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    <T extends SpecificRecordBase> List<T> readTopic(OutputTable<T> table) throws Exception {
        return readTopic(table, "read_committed");
    }

    <T extends SpecificRecordBase> List<T> readTopic(OutputTable<T> table, String isolation) throws Exception {
        Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        AvroWire.Decoder<T> decoder = AvroWire.decoder(table.type());
        List<T> rows = new ArrayList<>();
        // The job has finished and committed: read up to the last stable offsets, which do not move any more.
        for (ConsumerRecord<byte[], byte[]> r : TopicRecords.read(client, Topics.output(table), isolation)) {
            rows.add(decoder.decode(r.value()));
        }
        return rows;
    }

    /** {@code conf} with fixed-delay restarts: {@code attempts}, {@code delay} apart. */
    static Configuration restarting(Configuration conf, int attempts, Duration delay) {
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, attempts);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, delay);
        return conf;
    }
}
