package io.haitaopulse.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.DeadLetter;
import io.haitaopulse.schema.Exposure;
import io.haitaopulse.schema.Item;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.Review;
import io.haitaopulse.schema.internal.Ingested;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every kind of bad record a topic can carry becomes a dead letter with a reason, decoded from
 * bytes as the live path's deserializer receives them (no broker needed: {@link KafkaWireIT} covers
 * the way through one).
 */
class KafkaEventDeserializerTest {

    @Test
    void badRecordsBecomeDeadLettersWithTheirBytes() {
        KafkaEventDeserializer<Review> reviews = new KafkaEventDeserializer<>(Topics.REVIEWS);
        Review good = new Review(7L, "u1", Instant.ofEpochMilli(1000), 5, null, null);
        assertThat(reviews.toIngested(AvroWire.encode(good), 99L).getBody()).isEqualTo(good);

        byte[] json = "{\"type\":\"review\"}".getBytes(StandardCharsets.UTF_8);
        assertDead(
                reviews.toIngested(json, 99L),
                "{\"type\":\"review\"}",
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
                .startsWith(
                        "written with a schema this job does not know (fingerprint not Review of any released version");

        Review six = new Review(7L, "u1", Instant.ofEpochMilli(1000), 6, null, null);
        Ingested outOfRange = reviews.toIngested(AvroWire.encode(six), 99L);
        assertThat(((DeadLetter) outOfRange.getBody()).getReason())
                .isEqualTo("field 'rating' out of range: must be within 1..5");
        assertThat(((DeadLetter) outOfRange.getBody()).getSource()).isEqualTo("reviews");
        assertThat(((DeadLetter) outOfRange.getBody()).getTsIngest()).isEqualTo(Instant.ofEpochMilli(99L));
    }

    @Test
    void catalogueRecordsRoundTripTheWireAndBreakTheSameRulesAsInFiles() {
        KafkaEventDeserializer<Item> items = new KafkaEventDeserializer<>(Topics.ITEMS);
        // Valid from long before the record's Kafka timestamp: a catalogue republished on a
        // compacted topic, which the clock-skew rule must not dead-letter.
        Item good = new Item(
                10_100_001L,
                101L,
                "Meiji Step formula 800 g",
                Instant.ofEpochMilli(1_000L),
                "Infant formula / 婴儿奶粉",
                "Meiji",
                "JP",
                26_800L);
        Ingested read = items.toIngested(AvroWire.encode(good), 1_800_000_000_000L);
        assertThat(read.getBody()).isEqualTo(good);
        assertThat(Topics.ITEMS.key(good)).isEqualTo("10100001".getBytes(StandardCharsets.UTF_8));
        assertThat(Topics.inputFor(Item.class)).isSameAs(Topics.ITEMS);

        Item bare = Item.newBuilder()
                .setItemId(7L)
                .setCategoryId(3L)
                .setName("x")
                .setTs(Instant.ofEpochMilli(5L))
                .build();
        assertThat(items.toIngested(AvroWire.encode(bare), 99L).getBody()).isEqualTo(bare);

        Item lowerCase = Item.newBuilder(bare).setOriginCountry("jp").build();
        assertThat(((DeadLetter) items.toIngested(AvroWire.encode(lowerCase), 99L)
                                .getBody())
                        .getReason())
                .isEqualTo("field 'origin_country' must be two upper-case letters A-Z (ISO 3166-1 alpha-2)");
        Item negative = Item.newBuilder(bare).setPriceCents(-1L).build();
        assertThat(((DeadLetter)
                                items.toIngested(AvroWire.encode(negative), 99L).getBody())
                        .getReason())
                .isEqualTo("field 'price_cents' out of range: must be >= 0");
        Item blank = Item.newBuilder(bare).setName("  ").build();
        DeadLetter d =
                (DeadLetter) items.toIngested(AvroWire.encode(blank), 99L).getBody();
        assertThat(d.getReason()).isEqualTo("field 'name' must not be blank");
        assertThat(d.getSource()).isEqualTo("items");
    }

    @Test
    void aHugeBadRecordKeepsItsFirst64KibAndSaysWhereTheRestIs() {
        KafkaEventDeserializer<Review> reviews = new KafkaEventDeserializer<>(Topics.REVIEWS);
        byte[] huge = new byte[100_000];
        java.util.Arrays.fill(huge, (byte) 0x42);
        DeadLetter d = (DeadLetter) reviews.toIngested(huge, 99L, "reviews-0@5").getBody();
        assertThat(d.getRaw())
                .isEqualTo(new String(huge, 0, KafkaEventDeserializer.KEPT_BYTES, StandardCharsets.US_ASCII));
        assertThat(d.getReason())
                .isEqualTo("not Avro single-object encoding (bad header): expected Review; record of 100000 bytes, "
                        + "the first 65536 kept (all of it is at reviews-0@5)");
    }

    /**
     * Length prefixes that claim more than the record holds: Avro would allocate what they claim
     * (2 GB here) before reading; the decoder refuses them first, so each is one dead letter.
     */
    @Test
    void bogusLengthPrefixesAreDeadLettersNotAllocations() {
        KafkaEventDeserializer<Click> clicks = new KafkaEventDeserializer<>(Topics.CLICKS);
        Click click = Click.newBuilder()
                .setEventId("e")
                .setUserId("u")
                .setItemId(1L)
                .setCategoryId(2L)
                .setAction(ClickAction.VIEW)
                .setTs(Instant.ofEpochMilli(1_000L))
                .build();
        byte[] good = AvroWire.encode(click);
        assertThat(good[10]).as("event_id's length, zigzag 1").isEqualTo((byte) 2);
        for (long claimed : new long[] {Integer.MAX_VALUE - 8L, 2_000_000_000L, Long.MAX_VALUE / 2, 1_000L}) {
            byte[] bogus = splice(good, 10, 1, zigzagVarint(claimed));
            DeadLetter d = (DeadLetter) clicks.toIngested(bogus, 1_000L).getBody();
            assertThat(d.getReason())
                    .as("string of " + claimed)
                    .startsWith("corrupt Avro Click body: truncated, or a length or count larger than the");
        }
        byte[] negative = splice(good, 10, 1, zigzagVarint(-5));
        assertThat(((DeadLetter) clicks.toIngested(negative, 1_000L).getBody()).getReason())
                .startsWith("corrupt Avro Click body: ");

        KafkaEventDeserializer<Order> orders = new KafkaEventDeserializer<>(Topics.ORDERS);
        Order order = new Order(
                "o", "u", io.haitaopulse.schema.OrderStatus.PAID, Instant.ofEpochMilli(1_000L), List.of(), null, null);
        byte[] empty = AvroWire.encode(order);
        // Body ends: lines (00 = no items), campaign_id and coupon_id (00 = null branch).
        assertThat(java.util.Arrays.copyOfRange(empty, empty.length - 3, empty.length))
                .containsExactly(0, 0, 0);
        for (long items : new long[] {Integer.MAX_VALUE - 8L, -(Integer.MAX_VALUE - 8L)}) {
            byte[] bogus = splice(empty, empty.length - 3, 1, zigzagVarint(items));
            DeadLetter d = (DeadLetter) orders.toIngested(bogus, 1_000L).getBody();
            assertThat(d.getReason()).as(items + " order lines").startsWith("corrupt Avro Order body: ");
        }
        byte[] cut = java.util.Arrays.copyOf(good, good.length - 1);
        assertThat(((DeadLetter) clicks.toIngested(cut, 1_000L).getBody()).getReason())
                .startsWith("corrupt Avro Click body: truncated");
        assertThat(clicks.toIngested(good, 1_000L).getBody())
                .as("the untouched record still decodes")
                .isEqualTo(click);
    }

    /** A well-formed event of ~900 KB, as large as a topic's records get, with two oversized ids. */
    @Test
    void aValidEventWithHugeStringsIsADeadLetter() {
        KafkaEventDeserializer<Click> clicks = new KafkaEventDeserializer<>(Topics.CLICKS);
        Click huge = Click.newBuilder()
                .setEventId("e".repeat(450_000))
                .setUserId("u".repeat(450_000))
                .setItemId(1L)
                .setCategoryId(2L)
                .setAction(ClickAction.VIEW)
                .setTs(Instant.ofEpochMilli(1_000L))
                .build();
        byte[] bytes = AvroWire.encode(huge);
        DeadLetter d =
                (DeadLetter) clicks.toIngested(bytes, 1_000L, "clicks-0@9").getBody();
        assertThat(d.getReason())
                .isEqualTo("field 'event_id' too long: 450000 characters, at most 4096; record of " + bytes.length
                        + " bytes, the first 65536 kept (all of it is at clicks-0@9)");
        Click fits = Click.newBuilder(huge)
                .setEventId("e")
                .setUserId("u".repeat(io.haitaopulse.io.EventLimits.MAX_STRING_CHARS))
                .build();
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
}
