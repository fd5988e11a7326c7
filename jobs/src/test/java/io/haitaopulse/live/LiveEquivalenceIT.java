package io.haitaopulse.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.haitaopulse.generator.SimulatorConfig;
import io.haitaopulse.io.DeadLetters;
import io.haitaopulse.io.OutputTable;
import io.haitaopulse.io.ReplayOutput;
import io.haitaopulse.privacy.Pseudonymizer;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.HotItem;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.OrderLine;
import io.haitaopulse.schema.OrderStatus;
import io.haitaopulse.schema.Review;
import io.haitaopulse.schema.TrendAlert;
import io.haitaopulse.testutil.LiveStack;
import io.haitaopulse.testutil.LooseTrends;
import io.haitaopulse.testutil.RawIdScan;
import io.haitaopulse.testutil.TopicRecords;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/**
 * The live path against real Kafka and PostgreSQL gives exactly the replay's rows: a simulated
 * day with disorder, late events and malformed lines, run through {@code --job all} live (bounded
 * at the offsets present at start). Every table in PostgreSQL equals the replay file row for row
 * (upsert tables: the newest row per key, trend_alerts among them); Kafka's read_committed
 * hot_items topic holds each row exactly once, and the trend_alerts topic, read as a consumer
 * would (newest record per key), holds each episode's final row; every malformed line is in
 * dead_letters, and so is every bad record only the wire can carry. The simulator's catalogue goes
 * through the compacted items topic into the PostgreSQL items table, and the reference tables are
 * not written back to Kafka.
 */
class LiveEquivalenceIT extends LiveFixture {

    @Override
    SimulatorConfig config() {
        SimulatorConfig small = SimulatorConfig.scenario("small");
        return small.withDisorder(small.maxDelay(), 0.002, 0.002);
    }

    /**
     * Loosened trend thresholds: one simulated day then has many episodes, some over several
     * windows, so trend_alerts has rows written in several versions to compare.
     */
    @Override
    void jobOptions(Configuration conf) {
        LooseTrends.apply(conf);
    }

    @Test
    void liveOutputEqualsReplayOutput() throws Exception {
        List<String> wireOnly = sendRecordsOnlyTheWireCanCarry();
        String url = LiveStack.freshDatabase("live");
        Configuration conf = liveConf(url, "equivalence", "KAFKA;POSTGRES");
        // Bad data must never fail the job: a restart would hide it, so there is none.
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        keepEveryTrendAlertsVersion();
        runLive(conf, null);

        assertThat(replayRows(OutputTable.LATE_EVENTS))
                .as("the data exercises late events")
                .isNotEmpty();
        assertThat(replayRows(OutputTable.DEAD_LETTERS))
                .as("the data exercises dead letters")
                .isNotEmpty();
        assertTablesEqualReplay(url, wireOnly);
        List<HotItem> topic = readTopic(OutputTable.HOT_ITEMS);
        List<JsonNode> expected = ReplayOutput.readRows(replayOut.resolve("hot_items.jsonl"));
        assertThat(topic)
                .as("hot_items topic, read_committed (read_uncommitted: "
                        + readTopic(OutputTable.HOT_ITEMS, "read_uncommitted").size() + ")")
                .hasSize(expected.size());
        assertThat(canonical(topic.stream().map(r -> json(r)).toList())).isEqualTo(canonical(expected));
        assertThat(readTopic(OutputTable.DEAD_LETTERS))
                .as("dead_letters topic, read_committed")
                .hasSize(replayRows(OutputTable.DEAD_LETTERS).size() + wireOnly.size());

        assertTrendAlertsTopicHoldsEachEpisodesFinalRowUnderItsKey();
        assertNoRawUserIdAnywhere(url);
        assertCatalogueTopicsAreInputsOnly();
    }

    /**
     * Kafka rolls a segment once a batch's timestamp is {@code segment.ms} (7 days) past the
     * segment's first, and the rows here carry event times weeks before the wall-clock timestamps
     * the topic also holds; in one run the segment rolled at such a batch and the log cleaner
     * compacted the rolled segment of this compacted topic before the test read it, leaving one
     * version per key. A {@code segment.ms} longer than that gap keeps every version this test
     * counts. The topic is made here, as the job would make it, so that its configuration can be
     * changed before the job writes.
     */
    private void keepEveryTrendAlertsVersion() throws Exception {
        String topic = Topics.output(OutputTable.TREND_ALERTS);
        LiveSetup.createTopics(kafka.bootstrapServers(), 1, List.of(topic));
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
            ConfigResource alerts = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            AlterConfigOp longSegments = new AlterConfigOp(
                    new ConfigEntry(
                            "segment.ms", Long.toString(Duration.ofDays(3650).toMillis())),
                    AlterConfigOp.OpType.SET);
            admin.incrementalAlterConfigs(Map.of(alerts, List.of(longSegments)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * trend_alerts on Kafka as a downstream consumer reads it: read_committed, the newest record
     * per key wins. Every version of an episode is keyed {@code item_id|started_at}, and the newest
     * per key equals the replay's row; the topic is compacted (and still deleted by retention).
     */
    private void assertTrendAlertsTopicHoldsEachEpisodesFinalRowUnderItsKey() throws Exception {
        Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        String topic = Topics.output(OutputTable.TREND_ALERTS);
        AvroWire.Decoder<TrendAlert> decoder = AvroWire.decoder(TrendAlert.class);
        Map<String, TrendAlert> newest = new LinkedHashMap<>();
        List<ConsumerRecord<byte[], byte[]>> records = TopicRecords.read(client, topic, "read_committed");
        for (ConsumerRecord<byte[], byte[]> r : records) {
            TrendAlert row = decoder.decode(r.value());
            String key = new String(r.key(), StandardCharsets.UTF_8);
            assertThat(key).isEqualTo(row.getItemId() + "|" + row.getStartedAt().toEpochMilli());
            newest.put(key, row);
        }
        List<JsonNode> expected = replayRows(OutputTable.TREND_ALERTS);
        assertThat(expected).as("episodes in the replay").hasSizeGreaterThan(20);
        assertThat(records.size())
                .as("records on the topic: an episode is written again for every window it lasts and when it ends")
                .isGreaterThan(newest.size());
        assertThat(canonical(newest.values().stream().map(r -> json(r)).toList()))
                .isEqualTo(canonical(expected));
        try (Admin admin = Admin.create(client)) {
            ConfigResource alerts = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            assertThat(admin.describeConfigs(List.of(alerts))
                            .all()
                            .get(30, TimeUnit.SECONDS)
                            .get(alerts)
                            .get("cleanup.policy")
                            .value())
                    .isEqualTo("compact,delete");
        }
    }

    /**
     * The items topic is compacted, and the reference tables went to PostgreSQL only: their topics
     * of the same name are inputs and hold exactly what the producer sent.
     */
    private void assertCatalogueTopicsAreInputsOnly() throws Exception {
        Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        try (Admin admin = Admin.create(client)) {
            ConfigResource items = new ConfigResource(ConfigResource.Type.TOPIC, Topics.ITEMS.name());
            ConfigResource clicks = new ConfigResource(ConfigResource.Type.TOPIC, Topics.CLICKS.name());
            Map<ConfigResource, Config> configs =
                    admin.describeConfigs(List.of(items, clicks)).all().get(30, TimeUnit.SECONDS);
            assertThat(configs.get(items).get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(configs.get(clicks).get("cleanup.policy").value()).isEqualTo("delete");
        }
        long catalogue = lineCount("items.jsonl");
        assertThat(catalogue).as("the simulator's catalogue").isEqualTo(400);
        assertThat(TopicRecords.read(client, Topics.ITEMS.name(), "read_uncommitted"))
                .hasSize((int) catalogue);
        assertThat(TopicRecords.read(client, Topics.CAMPAIGNS.name(), "read_uncommitted"))
                .hasSize((int) lineCount("campaigns.jsonl"));
        assertThat(replayRows(OutputTable.ITEMS)).hasSize((int) catalogue);
        assertThat(replayRows(OutputTable.CAMPAIGNS)).isNotEmpty();
    }

    private long lineCount(String file) throws java.io.IOException {
        try (var lines = java.nio.file.Files.lines(work.resolve("events").resolve(file))) {
            return lines.filter(l -> !l.isBlank()).count();
        }
    }

    /**
     * The fuzz of the wire: after the day's events, records no file can hold — an empty
     * value, random bytes, a cut Avro body, JSON text, a record of another type, an out-of-range
     * rating, a 900 KB blob, and clicks whose time is centuries ahead of or weeks behind their Kafka
     * record timestamp. Each must become a dead letter and change nothing else: an accepted 2286
     * click would add hot_items windows, an accepted old one a late event. Then hostile ones: a
     * click and an order whose length prefixes claim 2 GB (a string, an array of order lines),
     * which Avro would allocate before reading, a click cut off inside a string, and a well-formed
     * click of ~900 KB whose ids are far over the string limit. Returns their expected raw values.
     */
    private List<String> sendRecordsOnlyTheWireCanCarry() throws Exception {
        Random rnd = new Random(7);
        byte[] random = new byte[300];
        rnd.nextBytes(random);
        random[0] = 0x42; // not the single-object marker
        byte[] blob = new byte[900_000];
        rnd.nextBytes(blob);
        blob[0] = 0x42;
        Order order = Order.newBuilder()
                .setOrderId("o-fuzz")
                .setUserId("u-fuzz")
                .setStatus(OrderStatus.PAID)
                .setTs(Instant.parse("2026-11-01T12:00:00Z"))
                .setLines(List.of(new OrderLine(1L, 2L, 1, 100L, 0L)))
                .build();
        byte[] orderBytes = AvroWire.encode(order);
        byte[] cut = java.util.Arrays.copyOf(orderBytes, orderBytes.length - 3);
        String json = "{\"type\":\"review\",\"item_id\":1,\"user_id\":\"u-fuzz\",\"ts\":1793548800000,\"rating\":5}";
        byte[] reviewOnClicks =
                AvroWire.encode(new Review(1L, "u-fuzz", Instant.parse("2026-11-01T12:00:00Z"), 5, null, null));
        byte[] nine = AvroWire.encode(new Review(1L, "u-fuzz", Instant.parse("2026-11-01T12:00:00Z"), 9, null, null));
        Click.Builder click = Click.newBuilder()
                .setEventId("e-fuzz")
                .setUserId("u-fuzz")
                .setItemId(10100001L)
                .setCategoryId(101L)
                .setAction(ClickAction.VIEW);
        byte[] ahead = AvroWire.encode(
                click.setTs(Instant.ofEpochMilli(9_999_999_999_999L)).build());
        byte[] behind = AvroWire.encode(
                click.setTs(Instant.parse("1990-01-01T00:00:00Z")).build());
        List<String> raws = new ArrayList<>();
        try (EventProducer p = new EventProducer(kafka.bootstrapServers())) {
            // Record timestamp: now, as a producer stamps what it writes.
            p.sendRawNow(Topics.CLICKS.name(), null, new byte[0]);
            raws.add("");
            p.sendRawNow(Topics.EXPOSURES.name(), null, blob);
            raws.add(DeadLetters.BASE64_PREFIX
                    + Base64.getEncoder()
                            .encodeToString(java.util.Arrays.copyOf(blob, KafkaEventDeserializer.KEPT_BYTES)));
            for (Object[] r : new Object[][] {
                {Topics.CLICKS, random},
                {Topics.ORDERS, cut},
                {Topics.CLICKS, reviewOnClicks},
                {Topics.REVIEWS, nine},
                {Topics.CLICKS, ahead},
                {Topics.CLICKS, behind}
            }) {
                p.sendRawNow(((Topics.Input<?>) r[0]).name(), null, (byte[]) r[1]);
                raws.add(DeadLetters.BASE64_PREFIX + Base64.getEncoder().encodeToString((byte[]) r[1]));
            }
            p.sendRawNow(Topics.REVIEWS.name(), null, json.getBytes(StandardCharsets.UTF_8));
            raws.add(new Pseudonymizer(key).redactJson(json));

            Instant now = Instant.now();
            byte[] clickBytes = AvroWire.encode(click.setTs(now).build());
            assertThat(clickBytes[10])
                    .as("byte 10 is event_id's length, \"e-fuzz\": zigzag 6")
                    .isEqualTo((byte) 12);
            byte[] hugeString = KafkaEventDeserializerTest.splice(
                    clickBytes, 10, 1, KafkaEventDeserializerTest.zigzagVarint(Integer.MAX_VALUE - 8L));
            byte[] emptyOrder = AvroWire.encode(
                    Order.newBuilder(order).setLines(List.of()).setTs(now).build());
            // The body ends with the lines' item count (0) and two null unions.
            byte[] hugeArray = KafkaEventDeserializerTest.splice(
                    emptyOrder,
                    emptyOrder.length - 3,
                    1,
                    KafkaEventDeserializerTest.zigzagVarint(Integer.MAX_VALUE - 8L));
            byte[] cutString = java.util.Arrays.copyOf(clickBytes, 13);
            byte[] bigIds = AvroWire.encode(click.setEventId("e".repeat(450_000))
                    .setUserId("u".repeat(450_000))
                    .setTs(now)
                    .build());
            for (Object[] r : new Object[][] {
                {Topics.CLICKS, hugeString},
                {Topics.ORDERS, hugeArray},
                {Topics.CLICKS, cutString},
                {Topics.CLICKS, bigIds}
            }) {
                byte[] value = (byte[]) r[1];
                p.sendRawNow(((Topics.Input<?>) r[0]).name(), null, value);
                raws.add(DeadLetters.BASE64_PREFIX
                        + Base64.getEncoder()
                                .encodeToString(java.util.Arrays.copyOf(
                                        value, Math.min(value.length, KafkaEventDeserializer.KEPT_BYTES))));
            }
        }
        return raws;
    }

    /**
     * No raw user id in any output file, topic or table. The input has them by the
     * thousand; late events and dead letters carry user ids, pseudonymised.
     */
    private void assertNoRawUserIdAnywhere(String url) throws Exception {
        Set<String> raw = RawIdScan.userIdsIn(eventFiles);
        assertThat(raw).as("raw ids in the input").hasSizeGreaterThan(100);
        assertThat(new RawIdScan(raw).files(work.resolve("events")).leaks())
                .as("the scan finds ids where they are")
                .isNotEmpty();

        List<String> outputTopics = Topics.outputs(OutputTable.all());
        RawIdScan scan = new RawIdScan(raw).files(replayOut).tables(url).topics(kafka.bootstrapServers(), outputTopics);
        assertThat(scan.leaks()).as("raw user ids in outputs").isEmpty();
        assertThat(scan.scannedChars()).isGreaterThan(1_000_000L);

        assertThat(replayRows(OutputTable.LATE_EVENTS)).allSatisfy(r -> {
            JsonNode user = r.get("event").get("user_id");
            if (user != null && !user.isNull()) {
                assertThat(user.asText()).hasSize(Pseudonymizer.LENGTH);
            }
        });
        assertThat(replayRows(OutputTable.DEAD_LETTERS))
                .as("malformed lines keep their user_id member, pseudonymised")
                .anySatisfy(
                        r -> assertThat(r.get("raw").asText()).containsPattern("\"user_id\":\"[A-Za-z0-9_-]{22}\""));
    }
}
