package io.haitaopulse.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haitaopulse.io.OutputTable;
import io.haitaopulse.schema.Campaign;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.DeadLetter;
import io.haitaopulse.schema.Exposure;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.Review;
import io.haitaopulse.schema.internal.Ingested;
import io.haitaopulse.stack.LocalKafka;
import io.haitaopulse.testutil.LiveStack;
import io.haitaopulse.testutil.TopicRecords;
import java.nio.charset.StandardCharsets;
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
 * live path; and every kind of bad record a topic can carry becomes a dead letter with a reason.
 */
class KafkaWireTest {

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
        List<Class<? extends SpecificRecordBase>> types = new ArrayList<>(List.of(Click.class, Order.class, Campaign.class,
                Exposure.class, Review.class));
        OutputTable.all().forEach(t -> types.add(t.type()));
        List<String> topics = types.stream().map(c -> "wire-" + c.getSimpleName()).toList();
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

    @Test
    void badRecordsBecomeDeadLettersWithTheirBytes() {
        KafkaEventDeserializer<Review> reviews = new KafkaEventDeserializer<>(Topics.REVIEWS);
        Review good = new Review(7L, "u1", Instant.ofEpochMilli(1000), 5, null, null);
        assertThat(reviews.toIngested(AvroWire.encode(good), 99L).getBody()).isEqualTo(good);

        byte[] json = "{\"type\":\"review\"}".getBytes(StandardCharsets.UTF_8);
        assertDead(reviews.toIngested(json, 99L), "{\"type\":\"review\"}",
                "not Avro single-object encoding (bad header): expected Review");
        assertDead(reviews.toIngested(null, 99L), "", "empty record: expected an Avro single-object encoded Review");

        byte[] encoded = AvroWire.encode(good);
        byte[] truncated = java.util.Arrays.copyOf(encoded, encoded.length - 2);
        Ingested cut = reviews.toIngested(truncated, 99L);
        assertThat(((DeadLetter) cut.getBody()).getReason()).startsWith("corrupt Avro Review body: ");
        assertThat(((DeadLetter) cut.getBody()).getRaw()).startsWith("base64:");

        Exposure other = new Exposure("c1", "u1", io.haitaopulse.schema.Arm.CONTROL, Instant.ofEpochMilli(5));
        Ingested wrongType = reviews.toIngested(AvroWire.encode(other), 99L);
        assertThat(((DeadLetter) wrongType.getBody()).getReason())
                .startsWith("written with a schema this job does not know (fingerprint not Review of any released version");

        Review six = new Review(7L, "u1", Instant.ofEpochMilli(1000), 6, null, null);
        Ingested outOfRange = reviews.toIngested(AvroWire.encode(six), 99L);
        assertThat(((DeadLetter) outOfRange.getBody()).getReason()).isEqualTo("field 'rating' out of range: must be within 1..5");
        assertThat(((DeadLetter) outOfRange.getBody()).getSource()).isEqualTo("reviews");
        assertThat(((DeadLetter) outOfRange.getBody()).getTsIngest()).isEqualTo(Instant.ofEpochMilli(99L));
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
        byte[] oldBytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v2).encode(old).array();
        Click current = Click.newBuilder().setEventId("e-new").setUserId("u-new").setItemId(1L).setCategoryId(2L)
                .setAction(ClickAction.VIEW).setTs(Instant.ofEpochMilli(2_000L)).setDevice("ios").build();

        Schema v4 = new Schema.Parser().parse(Click.getClassSchema().toString().replace("{\"name\":\"device\"",
                "{\"name\":\"os_version\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"device\""));
        GenericRecord ahead = new GenericData.Record(v4);
        for (Schema.Field f : v4.getFields()) {
            ahead.put(f.name(), f.name().equals("os_version") ? "17.1" : old.getSchema().getField(f.name()) != null ? old.get(f.name()) : null);
        }
        ahead.put("action", new GenericData.EnumSymbol(v4.getField("action").schema(), "VIEW"));
        byte[] aheadBytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v4).encode(ahead).array();

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
        assertThat(read.get(0)).as("v2 record, resolved to the current schema").isEqualTo(Click.newBuilder().setEventId("e-old")
                .setUserId("u-old").setItemId(1L).setCategoryId(2L).setAction(ClickAction.VIEW).setTs(Instant.ofEpochMilli(1_000L))
                .build());
        assertThat(((Click) read.get(0)).getDevice()).isNull();
        assertThat(read.get(1)).isEqualTo(current);
        assertThat(read.get(2)).isInstanceOf(DeadLetter.class);
        assertThat(((DeadLetter) read.get(2)).getReason())
                .startsWith("written with a schema this job does not know (fingerprint not Click of any released version; "
                        + "a producer ahead of the job? upgrade the job)");
    }

    @Test
    void aHugeBadRecordKeepsItsFirst64KibAndSaysWhereTheRestIs() {
        KafkaEventDeserializer<Review> reviews = new KafkaEventDeserializer<>(Topics.REVIEWS);
        byte[] huge = new byte[100_000];
        java.util.Arrays.fill(huge, (byte) 0x42);
        DeadLetter d = (DeadLetter) reviews.toIngested(huge, 99L, "reviews-0@5").getBody();
        assertThat(d.getRaw()).isEqualTo(new String(huge, 0, KafkaEventDeserializer.KEPT_BYTES, StandardCharsets.US_ASCII));
        assertThat(d.getReason()).isEqualTo("not Avro single-object encoding (bad header): expected Review; record of 100000 bytes, "
                + "the first 65536 kept (all of it is at reviews-0@5)");
    }

    /**
     * Length prefixes that claim more than the record holds: Avro would allocate what they claim
     * (2 GB here) before reading; the decoder refuses them first, so each is one dead letter.
     */
    @Test
    void bogusLengthPrefixesAreDeadLettersNotAllocations() {
        KafkaEventDeserializer<Click> clicks = new KafkaEventDeserializer<>(Topics.CLICKS);
        Click click = Click.newBuilder().setEventId("e").setUserId("u").setItemId(1L).setCategoryId(2L)
                .setAction(ClickAction.VIEW).setTs(Instant.ofEpochMilli(1_000L)).build();
        byte[] good = AvroWire.encode(click);
        assertThat(good[10]).as("event_id's length, zigzag 1").isEqualTo((byte) 2);
        for (long claimed : new long[] {Integer.MAX_VALUE - 8L, 2_000_000_000L, Long.MAX_VALUE / 2, 1_000L}) {
            byte[] bogus = splice(good, 10, 1, zigzagVarint(claimed));
            DeadLetter d = (DeadLetter) clicks.toIngested(bogus, 1_000L).getBody();
            assertThat(d.getReason()).as("string of " + claimed).startsWith("corrupt Avro Click body: truncated, or a length or count larger than the");
        }
        byte[] negative = splice(good, 10, 1, zigzagVarint(-5));
        assertThat(((DeadLetter) clicks.toIngested(negative, 1_000L).getBody()).getReason()).startsWith("corrupt Avro Click body: ");

        KafkaEventDeserializer<Order> orders = new KafkaEventDeserializer<>(Topics.ORDERS);
        Order order = new Order("o", "u", io.haitaopulse.schema.OrderStatus.PAID, Instant.ofEpochMilli(1_000L), List.of(), null, null);
        byte[] empty = AvroWire.encode(order);
        // Body ends: lines (00 = no items), campaign_id and coupon_id (00 = null branch).
        assertThat(java.util.Arrays.copyOfRange(empty, empty.length - 3, empty.length)).containsExactly(0, 0, 0);
        for (long items : new long[] {Integer.MAX_VALUE - 8L, -(Integer.MAX_VALUE - 8L)}) {
            byte[] bogus = splice(empty, empty.length - 3, 1, zigzagVarint(items));
            DeadLetter d = (DeadLetter) orders.toIngested(bogus, 1_000L).getBody();
            assertThat(d.getReason()).as(items + " order lines").startsWith("corrupt Avro Order body: ");
        }
        byte[] cut = java.util.Arrays.copyOf(good, good.length - 1);
        assertThat(((DeadLetter) clicks.toIngested(cut, 1_000L).getBody()).getReason())
                .startsWith("corrupt Avro Click body: truncated");
        assertThat(clicks.toIngested(good, 1_000L).getBody()).as("the untouched record still decodes").isEqualTo(click);
    }

    /** A well-formed event of ~900 KB, as large as a topic's records get, with two oversized ids. */
    @Test
    void aValidEventWithHugeStringsIsADeadLetter() {
        KafkaEventDeserializer<Click> clicks = new KafkaEventDeserializer<>(Topics.CLICKS);
        Click huge = Click.newBuilder().setEventId("e".repeat(450_000)).setUserId("u".repeat(450_000)).setItemId(1L).setCategoryId(2L)
                .setAction(ClickAction.VIEW).setTs(Instant.ofEpochMilli(1_000L)).build();
        byte[] bytes = AvroWire.encode(huge);
        DeadLetter d = (DeadLetter) clicks.toIngested(bytes, 1_000L, "clicks-0@9").getBody();
        assertThat(d.getReason()).isEqualTo("field 'event_id' too long: 450000 characters, at most 4096; record of " + bytes.length
                + " bytes, the first 65536 kept (all of it is at clicks-0@9)");
        Click fits = Click.newBuilder(huge).setEventId("e").setUserId("u".repeat(io.haitaopulse.io.EventLimits.MAX_STRING_CHARS)).build();
        assertThat(clicks.toIngested(AvroWire.encode(fits), 1_000L).getBody()).isEqualTo(fits);
    }

    /** {@code bytes} with {@code len} bytes at {@code at} replaced by {@code with}. */
    static byte[] splice(byte[] bytes, int at, int len, byte[] with) {
        byte[] out = new byte[bytes.length - len + with.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(with, 0, out, at, with.length);
        System.arraycopy(bytes, at + len, out, at + with.length, bytes.length - at - len);
        return out;
    }

    /** Avro's encoding of a long: zigzag, then base-128 varint. */
    static byte[] zigzagVarint(long v) {
        long z = (v << 1) ^ (v >> 63);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while ((z & ~0x7FL) != 0) {
            out.write((int) ((z & 0x7F) | 0x80));
            z >>>= 7;
        }
        out.write((int) z);
        return out.toByteArray();
    }

    @Test
    void decoderRejectsEmptyInputWithAReason() {
        assertThatThrownBy(() -> AvroWire.decoder(Click.class).decode(new byte[0]))
                .hasMessage("empty record: expected an Avro single-object encoded Click");
    }

    private static void assertDead(Ingested in, String raw, String reason) {
        assertThat(in.getBody()).isInstanceOf(DeadLetter.class);
        DeadLetter d = (DeadLetter) in.getBody();
        assertThat(d.getRaw()).isEqualTo(raw);
        assertThat(d.getReason()).isEqualTo(reason);
    }

    private static Map<String, byte[]> consume(List<String> topics, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "wire-test");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, byte[]> out = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
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
                    Class<? extends SpecificRecordBase> c = (Class<? extends SpecificRecordBase>) SpecificData.get().getClass(s);
                    yield fill(c, seed);
                }
                case ARRAY -> List.of(value(s.getElementType(), seed), value(s.getElementType(), seed + 1));
                case ENUM -> SpecificData.get().createEnum(s.getEnumSymbols().get(seed % s.getEnumSymbols().size()), s);
                case STRING -> "s\u00e9" + seed;
                case LONG -> "timestamp-millis".equals(s.getProp("logicalType")) || s.getLogicalType() != null
                        ? Instant.ofEpochMilli(1_700_000_000_000L + seed) : 1_000_000_000_000L + seed;
                case INT -> seed;
                case DOUBLE -> seed + 0.25;
                case BOOLEAN -> seed % 2 == 0;
                default -> throw new IllegalArgumentException("no filler for " + s);
            };
        }
    }
}
