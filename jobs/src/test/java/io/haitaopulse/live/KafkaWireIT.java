package io.haitaopulse.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.io.OutputTable;
import io.haitaopulse.schema.Campaign;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.DeadLetter;
import io.haitaopulse.schema.Exposure;
import io.haitaopulse.schema.Item;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.Review;
import io.haitaopulse.stack.LocalKafka;
import io.haitaopulse.testutil.LiveStack;
import io.haitaopulse.testutil.TopicRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every Avro type of the project through a real Kafka broker and back, in the wire format of the
 * live path, and producers of two released schema versions writing side by side to one topic
 * ({@link KafkaEventDeserializerTest} covers bad records without a broker).
 */
class KafkaWireIT {

    private static LocalKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = LiveStack.newKafka();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void everyTypeRoundTripsThroughKafka() throws Exception {
        List<Class<? extends SpecificRecordBase>> types = new ArrayList<>(
                List.of(Click.class, Order.class, Campaign.class, Exposure.class, Review.class, Item.class));
        // The reference tables' rows are input records, already in the list.
        OutputTable.all().stream()
                .map(OutputTable::type)
                .filter(t -> !types.contains(t))
                .forEach(types::add);
        List<String> topics =
                types.stream().map(c -> "wire-" + c.getSimpleName()).toList();
        LiveSetup.createTopics(kafka.bootstrapServers(), 1, topics);

        Map<String, SpecificRecordBase> sent = new HashMap<>();
        try (EventProducer producer = new EventProducer(kafka.bootstrapServers())) {
            for (int i = 0; i < types.size(); i++) {
                SpecificRecordBase record = Filler.fill(types.get(i), i);
                sent.put(topics.get(i), record);
                producer.sendRawNow(topics.get(i), null, AvroWire.encode(record));
            }
        }
        Map<String, byte[]> received = consume(topics, types.size());
        for (int i = 0; i < types.size(); i++) {
            @SuppressWarnings("unchecked")
            Class<SpecificRecordBase> type = (Class<SpecificRecordBase>) types.get(i);
            SpecificRecordBase back = AvroWire.decoder(type).decode(received.get(topics.get(i)));
            assertThat(back).as(type.getSimpleName()).isEqualTo(sent.get(topics.get(i)));
        }
    }

    /**
     * Schema evolution: a producer still on released v2 of Click (no {@code device}) and
     * one on the current version write side by side to one topic; the job reads both. A producer
     * ahead of the job (a schema no release has) is a dead letter that says to upgrade the job.
     */
    @Test
    void oldAndNewProducersSideBySideAreBothRead() throws Exception {
        Schema v2 = ReleasedSchemas.of(Click.getClassSchema().getFullName()).get(1);
        assertThat(v2.getField("device")).as("v2 predates the field").isNull();
        GenericRecord old = new GenericData.Record(v2);
        old.put("event_id", "e-old");
        old.put("user_id", "u-old");
        old.put("item_id", 1L);
        old.put("category_id", 2L);
        old.put("action", new GenericData.EnumSymbol(v2.getField("action").schema(), "VIEW"));
        old.put("ts", 1_000L);
        byte[] oldBytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v2)
                .encode(old)
                .array();
        Click current = Click.newBuilder()
                .setEventId("e-new")
                .setUserId("u-new")
                .setItemId(1L)
                .setCategoryId(2L)
                .setAction(ClickAction.VIEW)
                .setTs(Instant.ofEpochMilli(2_000L))
                .setDevice("ios")
                .build();

        Schema v4 = new Schema.Parser()
                .parse(
                        Click.getClassSchema()
                                .toString()
                                .replace(
                                        "{\"name\":\"device\"",
                                        "{\"name\":\"os_version\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"device\""));
        GenericRecord ahead = new GenericData.Record(v4);
        for (Schema.Field f : v4.getFields()) {
            ahead.put(
                    f.name(),
                    f.name().equals("os_version")
                            ? "17.1"
                            : old.getSchema().getField(f.name()) != null ? old.get(f.name()) : null);
        }
        ahead.put("action", new GenericData.EnumSymbol(v4.getField("action").schema(), "VIEW"));
        byte[] aheadBytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v4)
                .encode(ahead)
                .array();

        String topic = "wire-evolution";
        LiveSetup.createTopics(kafka.bootstrapServers(), 1, List.of(topic));
        try (EventProducer producer = new EventProducer(kafka.bootstrapServers())) {
            producer.sendRawNow(topic, null, oldBytes);
            producer.sendRawNow(topic, null, AvroWire.encode(current));
            producer.sendRawNow(topic, null, aheadBytes);
        }
        Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        KafkaEventDeserializer<Click> clicks = new KafkaEventDeserializer<>(Topics.CLICKS);
        List<Object> read = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicRecords.read(client, topic, "read_committed")) {
            // A fixed record time near the events: this test is about schemas, not clock skew.
            read.add(clicks.toIngested(r.value(), 3_000L).getBody());
        }

        assertThat(read).hasSize(3);
        assertThat(read.get(0))
                .as("v2 record, resolved to the current schema")
                .isEqualTo(Click.newBuilder()
                        .setEventId("e-old")
                        .setUserId("u-old")
                        .setItemId(1L)
                        .setCategoryId(2L)
                        .setAction(ClickAction.VIEW)
                        .setTs(Instant.ofEpochMilli(1_000L))
                        .build());
        assertThat(((Click) read.get(0)).getDevice()).isNull();
        assertThat(read.get(1)).isEqualTo(current);
        assertThat(read.get(2)).isInstanceOf(DeadLetter.class);
        assertThat(((DeadLetter) read.get(2)).getReason())
                .startsWith(
                        "written with a schema this job does not know (fingerprint not Click of any released version; "
                                + "a producer ahead of the job? upgrade the job)");
    }

    private static Map<String, byte[]> consume(List<String> topics, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "wire-test");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, byte[]> out = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(topics);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    out.put(r.topic(), r.value());
                }
            }
        }
        assertThat(out).hasSize(expected);
        return out;
    }

    /** Builds a record of any schema with every field set to a value derived from {@code seed}. */
    static final class Filler {
        static <T extends SpecificRecordBase> T fill(Class<T> type, int seed) {
            @SuppressWarnings("unchecked")
            T r = (T) SpecificData.get().newRecord(null, SpecificData.get().getSchema(type));
            for (Schema.Field f : r.getSchema().getFields()) {
                r.put(f.pos(), value(f.schema(), seed + f.pos()));
            }
            return r;
        }

        private static Object value(Schema s, int seed) {
            return switch (s.getType()) {
                case UNION -> value(s.getTypes().get(s.getTypes().size() - 1), seed);
                case RECORD -> {
                    @SuppressWarnings("unchecked")
                    Class<? extends SpecificRecordBase> c = (Class<? extends SpecificRecordBase>)
                            SpecificData.get().getClass(s);
                    yield fill(c, seed);
                }
                case ARRAY -> List.of(value(s.getElementType(), seed), value(s.getElementType(), seed + 1));
                case ENUM ->
                    SpecificData.get()
                            .createEnum(
                                    s.getEnumSymbols()
                                            .get(seed % s.getEnumSymbols().size()),
                                    s);
                case STRING -> "s\u00e9" + seed;
                case LONG ->
                    "timestamp-millis".equals(s.getProp("logicalType")) || s.getLogicalType() != null
                            ? Instant.ofEpochMilli(1_700_000_000_000L + seed)
                            : 1_000_000_000_000L + seed;
                case INT -> seed;
                case DOUBLE -> seed + 0.25;
                case BOOLEAN -> seed % 2 == 0;
                default -> throw new IllegalArgumentException("no filler for " + s);
            };
        }
    }
}
