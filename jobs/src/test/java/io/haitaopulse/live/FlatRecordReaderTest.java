package io.haitaopulse.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.schema.Arm;
import io.haitaopulse.schema.Campaign;
import io.haitaopulse.schema.Channel;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.Complaint;
import io.haitaopulse.schema.Exposure;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.Review;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

/**
 * The one-pass decoder of flat records agrees with Avro's path on every input: valid records of
 * every shape, hand-made encodings Avro accepts in forms the fast path declines, and many random
 * corruptions of real records, where both must fail with the same reason or give the same record.
 */
class FlatRecordReaderTest {

    private static final long SEED = 20261204L;

    private static final Map<Class<?>, AvroWire.Decoder<?>> AVRO = new HashMap<>();
    private static final Map<Class<?>, AvroWire.Decoder<?>> BOTH = new HashMap<>();

    @Test
    void flatTypesHaveAReaderAndNestedOnesDoNot() {
        assertThat(FlatRecordReader.of(Click.class)).isNotNull();
        assertThat(FlatRecordReader.of(Exposure.class)).isNotNull();
        assertThat(FlatRecordReader.of(Review.class)).isNotNull();
        // Order lines (an array of records) and a campaign's target lists and double.
        assertThat(FlatRecordReader.of(Order.class)).isNull();
        assertThat(FlatRecordReader.of(Campaign.class)).isNull();
    }

    @Test
    void ordinaryRecordsTakeTheFastPathAndEqualAvrosDecoding() throws Exception {
        Random random = new Random(SEED);
        FlatRecordReader<Click> clicks = FlatRecordReader.of(Click.class);
        AvroWire.Decoder<Click> avro = AvroWire.avroDecoder(Click.class);
        for (int i = 0; i < 2_000; i++) {
            Click c = randomClick(random);
            byte[] bytes = AvroWire.encode(c);
            Click fast = clicks.read(bytes);
            if (inNineBytes(c.getItemId()) && inNineBytes(c.getCategoryId())) {
                assertThat(fast).as("click %s", c).isNotNull().isEqualTo(avro.decode(bytes));
                assertThat(fast.getTs()).isEqualTo(c.getTs());
            } else {
                // The 10-byte form of a long is left to Avro.
                assertThat(fast).as("click %s", c).isNull();
                assertThat(AvroWire.decoder(Click.class).decode(bytes)).isEqualTo(avro.decode(bytes));
            }
        }
        Exposure e = new Exposure("c-1", "u-9", Arm.TREATMENT, Instant.ofEpochMilli(-5));
        assertThat(FlatRecordReader.of(Exposure.class).read(AvroWire.encode(e))).isEqualTo(e);
        Review r = new Review(42L, "u", Instant.ofEpochMilli(7), 3, null, Complaint.values()[0]);
        assertThat(FlatRecordReader.of(Review.class).read(AvroWire.encode(r))).isEqualTo(r);
    }

    @Test
    void encodingsAvroAcceptsInFormsTheFastPathDeclinesDecodeTheSame() throws Exception {
        Click c = click("e1", "u1", 5L, 2L, ClickAction.VIEW, 1_000L);
        byte[] plain = AvroWire.encode(c);
        // After the header, "e1" and "u1" (a length byte and two bytes each): item_id 5 (zigzag 10),
        // category_id 2, then the action's index, each in one byte.
        int itemAt = 10 + 1 + 2 + 1 + 2;
        int actionAt = itemAt + 2;
        List<byte[]> variants = List.of(
                splice(plain, itemAt, 1, new byte[] {
                    (byte) 0x8A,
                    (byte) 0x80,
                    (byte) 0x80,
                    (byte) 0x80,
                    (byte) 0x80,
                    (byte) 0x80,
                    (byte) 0x80,
                    (byte) 0x80,
                    (byte) 0x80,
                    0x00
                }),
                // item_id in a 5-byte form, which the fast path reads, and the action's index in
                // the 5-byte form of an int, which it leaves to Avro.
                splice(plain, itemAt, 1, new byte[] {(byte) 0x8A, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x00}),
                splice(plain, actionAt, 1, new byte[] {
                    (byte) (plain[actionAt] | 0x80), (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x00
                }),
                // Trailing bytes after the record: Avro ignores them.
                concat(plain, new byte[] {1, 2, 3}),
                // A long at its largest and smallest: 10 bytes.
                AvroWire.encode(click("e", "u", Long.MAX_VALUE, Long.MIN_VALUE, ClickAction.CART, 0L)),
                // Malformed UTF-8 inside a string: replaced the same way.
                splice(plain, 10 + 1, 2, new byte[] {(byte) 0xC3, (byte) 0x28}));
        for (byte[] v : variants) {
            assertSameOutcome(Click.class, v);
        }
        FlatRecordReader<Click> flat = FlatRecordReader.of(Click.class);
        AvroWire.Decoder<Click> decoder = AvroWire.decoder(Click.class);
        assertThat(flat.read(variants.get(0))).isNull();
        assertThat(decoder.decode(variants.get(0))).isEqualTo(c);
        assertThat(flat.read(variants.get(1))).isEqualTo(c);
        assertThat(flat.read(variants.get(2))).isNull();
        assertThat(decoder.decode(variants.get(2))).isEqualTo(c);
        assertThat(flat.read(variants.get(3))).isEqualTo(c);
        assertThat(flat.read(variants.get(4))).isNull();
        assertThat(flat.read(variants.get(5)).getEventId()).isEqualTo("\uFFFD(");
    }

    @Test
    void aRecordTheFastPathReturnsIsWithinTheEventLimitsAndALongerStringTakesAvrosPath() throws Exception {
        int max = io.haitaopulse.io.EventLimits.MAX_STRING_CHARS;
        AvroWire.Decoder<Click> both = AvroWire.decoder(Click.class);
        KafkaEventDeserializer<Click> source = new KafkaEventDeserializer<>(Topics.CLICKS);

        Click atLimit = click("e".repeat(max), "u1", 5L, 2L, ClickAction.VIEW, 1_000L);
        assertThat(FlatRecordReader.of(Click.class).read(AvroWire.encode(atLimit)))
                .isEqualTo(atLimit);
        assertThat(both.decode(AvroWire.encode(atLimit))).isEqualTo(atLimit);
        assertThat(both.lastWithinLimits()).isTrue();
        assertThat(source.toIngested(AvroWire.encode(atLimit), 1_000L).getBody())
                .isEqualTo(atLimit);

        // One byte more: declined, decoded by Avro, and the event limits give the reason.
        Click over = click("e".repeat(max + 1), "u1", 5L, 2L, ClickAction.VIEW, 1_000L);
        assertThat(FlatRecordReader.of(Click.class).read(AvroWire.encode(over))).isNull();
        assertThat(both.decode(AvroWire.encode(over))).isEqualTo(over);
        assertThat(both.lastWithinLimits()).isFalse();
        assertThat(((io.haitaopulse.schema.DeadLetter)
                                source.toIngested(AvroWire.encode(over), 1_000L).getBody())
                        .getReason())
                .isEqualTo(io.haitaopulse.io.EventLimits.tooLong("event_id", max + 1));

        // More bytes than the limit but fewer characters (three bytes each): Avro's path, and valid.
        Click wide = click("面".repeat(max / 2), "u1", 5L, 2L, ClickAction.VIEW, 1_000L);
        assertThat(FlatRecordReader.of(Click.class).read(AvroWire.encode(wide))).isNull();
        assertThat(source.toIngested(AvroWire.encode(wide), 1_000L).getBody()).isEqualTo(wide);
        assertThat(both.decode(AvroWire.encode(wide))).isEqualTo(wide);
        assertThat(both.lastWithinLimits()).isFalse();
    }

    @Test
    void corruptedRecordsFailWithTheSameReasonOrDecodeTheSame() {
        Random random = new Random(SEED + 1);
        FlatRecordReader<Click> clicks = FlatRecordReader.of(Click.class);
        int fast = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = AvroWire.encode(randomClick(random));
            byte[] bad = corrupt(bytes, random);
            assertSameOutcome(Click.class, bad);
            if (clicks.read(bad) != null) {
                fast++;
            }
        }
        // Many corruptions still decode (a changed digit of an id, a changed enum index in range):
        // the fast path takes those, so the comparison above covered it.
        assertThat(fast).isGreaterThan(1_000);
        for (int i = 0; i < 5_000; i++) {
            Exposure e = new Exposure(
                    randomString(random), randomString(random), Arm.values()[random.nextInt(2)], randomInstant(random));
            assertSameOutcome(Exposure.class, corrupt(AvroWire.encode(e), random));
        }
    }

    /** A long whose zigzag varint takes at most 9 bytes (63 bits). */
    private static boolean inNineBytes(long v) {
        return v >= -(1L << 62) && v < 1L << 62;
    }

    private static <T extends SpecificRecordBase> void assertSameOutcome(Class<T> type, byte[] bytes) {
        Object expected = outcome(AVRO.computeIfAbsent(type, t -> AvroWire.avroDecoder(type)), bytes);
        Object actual = outcome(BOTH.computeIfAbsent(type, t -> AvroWire.decoder(type)), bytes);
        assertThat(actual).as("decoding %s", Arrays.toString(bytes)).isEqualTo(expected);
    }

    private static Object outcome(AvroWire.Decoder<?> decoder, byte[] bytes) {
        try {
            return decoder.decode(bytes);
        } catch (AvroWire.InvalidWireException e) {
            return "failed: " + e.getMessage();
        }
    }

    /** One random change: a byte flipped, cut off, inserted, or the end extended. */
    private static byte[] corrupt(byte[] bytes, Random random) {
        byte[] b = bytes.clone();
        int at = 10 + random.nextInt(b.length - 10);
        switch (random.nextInt(5)) {
            case 0 -> b[at] = (byte) random.nextInt(256);
            case 1 -> b[at] ^= (byte) (1 << random.nextInt(8));
            case 2 -> b = Arrays.copyOf(b, at);
            case 3 -> b = splice(b, at, 0, new byte[] {(byte) random.nextInt(256)});
            default -> b = concat(b, new byte[] {(byte) random.nextInt(256), (byte) random.nextInt(256)});
        }
        return b;
    }

    private static Click randomClick(Random random) {
        Click c = click(
                randomString(random),
                randomString(random),
                randomLong(random),
                randomLong(random),
                ClickAction.values()[random.nextInt(ClickAction.values().length)],
                randomInstant(random).toEpochMilli());
        c.setSessionId(random.nextBoolean() ? null : randomString(random));
        c.setChannel(random.nextBoolean() ? null : Channel.values()[random.nextInt(Channel.values().length)]);
        c.setCampaignId(random.nextBoolean() ? null : randomString(random));
        c.setReferrerToken(random.nextInt(4) == 0 ? randomString(random) : null);
        c.setRegion(random.nextBoolean() ? null : randomString(random));
        c.setDevice(random.nextBoolean() ? null : randomString(random));
        return c;
    }

    private static Click click(String event, String user, long item, long category, ClickAction action, long ts) {
        Click c = new Click();
        c.setEventId(event);
        c.setUserId(user);
        c.setItemId(item);
        c.setCategoryId(category);
        c.setAction(action);
        c.setTs(Instant.ofEpochMilli(ts));
        return c;
    }

    /** Empty, ASCII, Chinese, emoji (surrogate pairs) and long strings. */
    private static String randomString(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> "";
            case 1 -> "u" + random.nextInt(1_000_000);
            case 2 -> "面膜-" + random.nextInt(100);
            case 3 -> "\uD83D\uDE00" + random.nextInt(10);
            case 4 -> "x".repeat(64 + random.nextInt(200));
            default -> Long.toString(random.nextLong(), 36);
        };
    }

    /** Small, large, negative and extreme longs: every varint length. */
    private static long randomLong(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> random.nextInt(1_000);
            case 1 -> random.nextLong();
            case 2 -> -random.nextInt(1 << 20);
            default -> random.nextLong() >> random.nextInt(64);
        };
    }

    private static Instant randomInstant(Random random) {
        return Instant.ofEpochMilli(1_700_000_000_000L + random.nextInt() * 1_000L);
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b, 0, at);
        out.write(insert, 0, insert.length);
        out.write(b, at + remove, b.length - at - remove);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return splice(a, a.length, 0, b);
    }
}
