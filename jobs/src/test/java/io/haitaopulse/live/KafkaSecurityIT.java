package io.haitaopulse.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haitaopulse.io.InputFormat;
import io.haitaopulse.io.JsonRows;
import io.haitaopulse.io.OutputTable;
import io.haitaopulse.privacy.PrivacyOptions;
import io.haitaopulse.privacy.PseudonymKey;
import io.haitaopulse.runtime.Live;
import io.haitaopulse.runtime.Replay;
import io.haitaopulse.schema.HotItem;
import io.haitaopulse.stack.LocalKafka;
import io.haitaopulse.testutil.LiveStack;
import io.haitaopulse.testutil.PgRows;
import io.haitaopulse.testutil.TopicRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secured local stack: a broker with SASL/SCRAM-SHA-512 and ACLs enforced. A job user holding
 * exactly {@link KafkaAcls#jobUser} runs the live trends job end to end (transactional output
 * included) and its hot_items equal the replay; a wrong password is one line before the
 * job starts; a user without ACLs can read nothing, and the shop's producer user can write the
 * input topics but not read them.
 */
class KafkaSecurityIT {

    @TempDir
    Path tmp;

    @Test
    void aJobUserWithItsAclsRunsAndEveryoneElseIsRefused() throws Exception {
        Path clicks = tmp.resolve("clicks.jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            lines.add("{\"type\":\"click\",\"event_id\":\"e" + i + "\",\"user_id\":\"u" + (i % 7) + "\",\"item_id\":"
                    + (i % 5) + ",\"category_id\":" + (i % 2) + ",\"action\":\"VIEW\",\"ts\":" + (i * 60_000L) + "}");
        }
        Files.write(clicks, lines, StandardCharsets.UTF_8);
        PseudonymKey key = PseudonymKey.generate();
        Configuration jobOptions = new Configuration();
        jobOptions.set(PrivacyOptions.PSEUDONYM_SECRET, key.toBase64());
        Path replay = tmp.resolve("replay");
        Replay.run(new Replay.Spec("trends", List.of(clicks), replay, InputFormat.JSONL, jobOptions, 1, null, null));

        try (LocalKafka kafka = LiveStack.newKafka("admin-secret")) {
            String bootstrap = kafka.bootstrapServers();
            Properties admin = KafkaSecurity.scram("admin", "admin-secret").clientProperties(bootstrap);
            KafkaAcls.createUser(admin, "pulse", "pulse-secret");
            KafkaAcls.grant(admin, KafkaAcls.jobUser("pulse"));
            KafkaAcls.createUser(admin, "shop", "shop-secret");
            KafkaAcls.grant(admin, KafkaAcls.producerUser("shop"));
            KafkaAcls.createUser(admin, "intruder", "intruder-secret");
            // An administrator makes the topics; the job user has no right to.
            LiveSetup.createTopics(
                    bootstrap, KafkaSecurity.scram("admin", "admin-secret"), 1, Topics.outputs(OutputTable.all()));
            try (EventProducer shop = new EventProducer(bootstrap, KafkaSecurity.scram("shop", "shop-secret"))) {
                assertThat(shop.send(List.of(clicks), 0)).isEqualTo(40);
            }

            String url = LiveStack.freshDatabase("secured");
            Configuration conf = liveConf(jobOptions, bootstrap, "pulse-secret");
            conf.setString(LiveOptions.SINKS.key(), "KAFKA;POSTGRES");
            conf.set(LiveOptions.POSTGRES_URL, url);
            conf.set(LiveOptions.POSTGRES_USER, io.haitaopulse.stack.LocalPostgres.USER);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
            Live.build(env, "trends", conf);
            env.execute("secured trends");

            List<String> expected = Files.readAllLines(replay.resolve("hot_items.jsonl"));
            assertThat(expected).as("the replay has rows to compare").isNotEmpty();
            List<String> table = new ArrayList<>();
            PgRows.read(url, OutputTable.HOT_ITEMS).forEach(r -> table.add(r.toString()));
            assertThat(table)
                    .as("hot_items of the job user's run (PostgreSQL)")
                    .containsExactlyInAnyOrderElementsOf(expected);
            // The job user wrote its transactions (Write on its transactional ids and topics). Read
            // uncommitted: under heavy load the committed view of this topic came back empty once,
            // the open exactly-once finding of docs/operations/live.md, "Exactly once" (PostgreSQL is the table of
            // record).
            AvroWire.Decoder<HotItem> decoder = AvroWire.decoder(HotItem.class);
            List<String> topic = new ArrayList<>();
            for (var r : TopicRecords.read(admin, Topics.output(OutputTable.HOT_ITEMS), "read_uncommitted")) {
                topic.add(JsonRows.toJson(decoder.decode(r.value())));
            }
            assertThat(topic)
                    .as("hot_items records written by the job user")
                    .isNotEmpty()
                    .isSubsetOf(expected);

            Configuration wrong = liveConf(jobOptions, bootstrap, "not-the-password");
            assertThatThrownBy(() ->
                            Live.build(StreamExecutionEnvironment.createLocalEnvironment(1, wrong), "trends", wrong))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("Kafka at " + bootstrap + ": Authentication failed")
                    .satisfies(
                            e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("not-the-password"));

            assertThatThrownBy(() -> poll(
                            KafkaSecurity.scram("intruder", "intruder-secret").clientProperties(bootstrap), "clicks"))
                    .as("no ACL, no read")
                    .isInstanceOf(TopicAuthorizationException.class);
            assertThatThrownBy(() -> poll(
                            KafkaSecurity.scram("intruder", "intruder-secret").clientProperties(bootstrap),
                            Topics.output(OutputTable.HOT_ITEMS)))
                    .isInstanceOf(TopicAuthorizationException.class);
            assertThatThrownBy(() ->
                            poll(KafkaSecurity.scram("shop", "shop-secret").clientProperties(bootstrap), "clicks"))
                    .as("the producer writes events, it does not read them")
                    .isInstanceOf(TopicAuthorizationException.class);
        }
    }

    private Configuration liveConf(Configuration jobOptions, String bootstrap, String password) {
        Configuration conf = new Configuration(jobOptions);
        conf.set(LiveOptions.BOOTSTRAP_SERVERS, bootstrap);
        conf.set(LiveOptions.SECURITY_PROTOCOL, KafkaSecurity.Protocol.SASL_PLAINTEXT);
        conf.set(LiveOptions.SASL_USERNAME, "pulse");
        conf.set(LiveOptions.SASL_PASSWORD, password);
        conf.set(LiveOptions.STARTING_OFFSETS, LiveOptions.StartingOffsets.EARLIEST);
        conf.set(LiveOptions.BOUNDED, true);
        conf.setString(LiveOptions.SINKS.key(), "KAFKA");
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(1));
        return Live.configure(conf);
    }

    /** Reads partition 0 of {@code topic} from the start, without a group; throws what the broker answers. */
    private static void poll(Properties client, String topic) {
        Properties p = new Properties();
        p.putAll(client);
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            c.assign(List.of(partition));
            c.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                if (!c.poll(Duration.ofMillis(500)).isEmpty()) {
                    return;
                }
            }
        }
    }
}
