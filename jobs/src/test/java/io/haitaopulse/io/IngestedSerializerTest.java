package io.haitaopulse.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haitaopulse.schema.Arm;
import io.haitaopulse.schema.Campaign;
import io.haitaopulse.schema.CampaignKind;
import io.haitaopulse.schema.Channel;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.Complaint;
import io.haitaopulse.schema.DeadLetter;
import io.haitaopulse.schema.Exposure;
import io.haitaopulse.schema.Item;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.OrderLine;
import io.haitaopulse.schema.OrderStatus;
import io.haitaopulse.schema.Review;
import io.haitaopulse.schema.internal.Ingested;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.lang3.SerializationUtils;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.junit.jupiter.api.Test;

/**
 * {@link IngestedSerializer} against Flink's own serializer contract ({@link SerializerTestBase}:
 * round trips alone and in sequence, with and without reuse, copies, duplicates used from many
 * threads, snapshots), and against {@link AvroSerializer}: for the same records the jobs get back
 * equal records, including what Avro's encoding changes (sub-millisecond timestamps, unpaired
 * surrogates), and records Avro cannot write fail as they did.
 */
class IngestedSerializerTest extends SerializerTestBase<Ingested> {

    private static final Instant T = Instant.parse("2026-11-24T09:30:15.123Z");

    /** 4096 UTF-16 chars, the longest string an event may hold; 12288 bytes in UTF-8. */
    private static final String LONGEST = "淘".repeat(4096);

    /** Far beyond writeUTF's 65535 bytes, which the encoding does not depend on. */
    private static final String HUGE = "宝".repeat(30_000);

    private static final String CHINESE = "用户-张伟";

    private static final int TS = Click.getClassSchema().getField("ts").pos();

    /** Astral characters (surrogate pairs in UTF-16, four bytes in UTF-8). */
    private static final String EMOJI = "🛒👍🏽𠀀";

    @Override
    protected TypeSerializer<Ingested> createSerializer() {
        return new IngestedSerializer();
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<Ingested> getTypeClass() {
        return Ingested.class;
    }

    /** Records whose timestamps are whole milliseconds, so that a round trip returns them unchanged. */
    @Override
    protected Ingested[] getTestData() {
        return data().toArray(new Ingested[0]);
    }

    private static List<Ingested> data() {
        List<Ingested> out = new ArrayList<>();
        // Clicks: every nullable field null, then every one set, with every action and channel.
        out.add(in(click("e-1", "u-1", 1L, 2L, ClickAction.VIEW, Instant.EPOCH), Long.MIN_VALUE));
        ClickAction[] actions = ClickAction.values();
        Channel[] channels = Channel.values();
        for (int i = 0; i < channels.length; i++) {
            Click c = click("e-" + i, "u-" + i, 1000L + i, 7L, actions[i % actions.length], T.plusMillis(i));
            c.setSessionId("s-" + i);
            c.setChannel(channels[i]);
            c.setCampaignId("camp-" + i);
            c.setReferrerToken("ref-" + i);
            c.setRegion("华东");
            c.setDevice("ios");
            out.add(in(c, T.toEpochMilli() - i));
        }
        for (ClickAction a : actions) {
            out.add(in(click("e-a", "u-a", 3L, 4L, a, T), 0L));
        }
        // Non-ASCII, empty and the longest strings, in required and in nullable fields.
        Click texts = click(CHINESE, EMOJI, Long.MAX_VALUE, Long.MIN_VALUE, ClickAction.CART, T);
        texts.setSessionId("");
        texts.setCampaignId(EMOJI + CHINESE);
        texts.setReferrerToken(LONGEST);
        texts.setRegion("ß/é/ñ");
        texts.setDevice("mini_program");
        out.add(in(texts, Long.MAX_VALUE));
        out.add(in(click("", LONGEST, 0L, 0L, ClickAction.FAV, T), -1L));
        Click huge = click(HUGE, "u", -1L, -1L, ClickAction.VIEW, T);
        huge.setDevice(HUGE);
        out.add(in(huge, 42L));
        // Timestamps before the epoch, whole milliseconds.
        out.add(in(click("e-neg", "u", 5L, 6L, ClickAction.VIEW, Instant.ofEpochMilli(-1)), Long.MIN_VALUE));
        out.add(in(
                click("e-old", "u", 5L, 6L, ClickAction.VIEW, Instant.parse("1601-01-01T00:00:00.999Z")),
                Long.MIN_VALUE));
        // Exposures: both arms, non-ASCII, epoch 0 and negative.
        out.add(in(new Exposure("c-1", "u-1", Arm.TREATMENT, T), Long.MIN_VALUE));
        out.add(in(new Exposure(CHINESE, EMOJI, Arm.CONTROL, Instant.EPOCH), 0L));
        out.add(in(new Exposure("", LONGEST, Arm.CONTROL, Instant.ofEpochMilli(-86_400_001L)), Long.MAX_VALUE));
        // Every other body type, through Avro.
        out.add(in(
                new Order(
                        "o-1",
                        CHINESE,
                        OrderStatus.PAID,
                        T,
                        List.of(new OrderLine(1L, 2L, 3, 1999L, 100L), new OrderLine(4L, 5L, 1, 0L, 0L)),
                        "camp-1",
                        "coupon-" + EMOJI),
                Long.MIN_VALUE));
        out.add(in(new Order("o-2", "u", OrderStatus.CREATED, Instant.EPOCH, List.of(), null, null), 1L));
        out.add(in(
                new Campaign(
                        "camp-1",
                        CampaignKind.FLASH_SALE,
                        T,
                        T.plusSeconds(3600),
                        0.1,
                        List.of(1L, Long.MIN_VALUE),
                        List.of(Long.MAX_VALUE),
                        "双十一"),
                2L));
        out.add(in(
                new Campaign(
                        "camp-2",
                        CampaignKind.REFERRAL,
                        Instant.ofEpochMilli(-5),
                        Instant.EPOCH,
                        0.0,
                        null,
                        null,
                        null),
                Long.MIN_VALUE));
        out.add(in(new Review(9L, "u", T, 5, "o-1", Complaint.DAMAGED), 3L));
        out.add(in(new Review(9L, EMOJI, T, 1, null, null), Long.MIN_VALUE));
        out.add(in(new DeadLetter("clicks.jsonl", "{\"bad\":" + CHINESE, "not JSON", T), Long.MIN_VALUE));
        out.add(in(new Item(7L, 8L, "茶叶", T, "食品", "西湖", "CN", 12_800L), 4L));
        out.add(in(new Item(7L, 8L, "x", Instant.EPOCH, null, null, null, null), Long.MIN_VALUE));
        return out;
    }

    @Test
    void avroAndThisSerializerGiveBackEqualRecords() throws IOException {
        TypeSerializer<Ingested> avro = new AvroTypeInfo<>(Ingested.class).createSerializer(new SerializerConfigImpl());
        assertThat(avro).isInstanceOf(AvroSerializer.class);
        IngestedSerializer fast = new IngestedSerializer();
        List<Ingested> records = new ArrayList<>(data());
        records.addAll(changedByAvro());
        // The ends of epoch millis: inside them the fast path, at them Avro.
        for (long ms : new long[] {Long.MIN_VALUE, Long.MIN_VALUE + 1000, Long.MAX_VALUE - 1000, Long.MAX_VALUE}) {
            records.add(in(click("e-end", "u", 1L, 2L, ClickAction.VIEW, Instant.ofEpochMilli(ms)), ms));
            records.add(in(new Exposure("c", "u", Arm.TREATMENT, Instant.ofEpochMilli(ms)), ms));
        }
        for (Ingested r : records) {
            Ingested viaAvro = roundTrip(avro, r);
            Ingested viaFast = roundTrip(fast, r);
            assertThat(viaFast).as("%s", r).isEqualTo(viaAvro);
            assertThat(viaFast.toString()).isEqualTo(viaAvro.toString());
            assertThat(fast.copy(r)).as("copy of %s", r).isEqualTo(avro.copy(r)).isNotSameAs(r);
        }
    }

    /** Records that come back changed from Avro: this serializer changes them in the same way. */
    @Test
    void subMillisecondTimestampsAndUnpairedSurrogatesComeBackAsAvroGivesThem() throws IOException {
        IngestedSerializer fast = new IngestedSerializer();
        List<Ingested> changed = changedByAvro();
        Click c = (Click) roundTrip(fast, changed.get(0)).getBody();
        assertThat(c.getTs()).isEqualTo(Instant.parse("2026-11-24T09:30:15.123Z"));
        Click negative = (Click) roundTrip(fast, changed.get(1)).getBody();
        // toEpochMilli rounds towards the past, before the epoch too.
        assertThat(negative.getTs()).isEqualTo(Instant.ofEpochMilli(-1));
        Exposure e = (Exposure) roundTrip(fast, changed.get(2)).getBody();
        assertThat(e.getTs()).isEqualTo(Instant.parse("2026-11-24T09:30:15.123Z"));
        Click surrogates = (Click) roundTrip(fast, changed.get(3)).getBody();
        assertThat(surrogates.getUserId()).isEqualTo("a?b");
        assertThat(surrogates.getRegion()).isEqualTo("?");
    }

    /**
     * The generated constructors and setters cut timestamps to milliseconds; Avro's {@code put},
     * which its readers and copies use, does not, so sub-millisecond instants can reach a serializer.
     */
    private static List<Ingested> changedByAvro() {
        Instant subMilli = Instant.parse("2026-11-24T09:30:15.123456789Z");
        Click c = click("e-nanos", "u", 1L, 2L, ClickAction.VIEW, T);
        c.put(TS, subMilli);
        Click before = click("e-nanos-neg", "u", 1L, 2L, ClickAction.VIEW, T);
        before.put(TS, Instant.ofEpochSecond(-1, 999_999_999));
        Exposure e = new Exposure("c", "u", Arm.CONTROL, T);
        e.put(Exposure.getClassSchema().getField("ts").pos(), subMilli);
        assertThat(c.getTs().getNano() % 1_000_000).isNotZero();
        assertThat(e.getTs().getNano() % 1_000_000).isNotZero();
        Order o = new Order("o", "u", OrderStatus.RETURNED, T, List.of(), null, null);
        o.put(Order.getClassSchema().getField("ts").pos(), subMilli);
        Click surrogates = click("e-s", "a\uD800b", 1L, 2L, ClickAction.VIEW, T);
        surrogates.setRegion("\uDC00");
        return List.of(in(c, 1L), in(before, 2L), in(e, 3L), in(surrogates, 4L), in(o, 5L));
    }

    @Test
    void clicksAndExposuresTakeTheFastPathAndTheRestAvros() throws IOException {
        IngestedSerializer fast = new IngestedSerializer();
        for (Ingested r : data()) {
            DataOutputSerializer out = new DataOutputSerializer(64);
            fast.serialize(r, out);
            byte expected = r.getBody() instanceof Click
                    ? IngestedSerializer.CLICK
                    : r.getBody() instanceof Exposure ? IngestedSerializer.EXPOSURE : IngestedSerializer.AVRO;
            assertThat(out.getSharedBuffer()[0]).as("%s", r).isEqualTo(expected);
        }
    }

    /** What Avro cannot write it still cannot: the same exception, not a record with a null id. */
    @Test
    void recordsAvroCannotWriteFailAsBefore() {
        TypeSerializer<Ingested> avro = new AvroSerializer<>(Ingested.class);
        IngestedSerializer fast = new IngestedSerializer();
        Click noId = click(null, "u", 1L, 2L, ClickAction.VIEW, T);
        Click noTs = click("e", "u", 1L, 2L, ClickAction.VIEW, T);
        noTs.put(TS, null);
        Exposure noArm = new Exposure("c", "u", null, T);
        Click farFuture = click("e", "u", 1L, 2L, ClickAction.VIEW, T);
        farFuture.put(TS, Instant.MAX);
        Click farPast = click("e", "u", 1L, 2L, ClickAction.VIEW, T);
        farPast.put(TS, Instant.ofEpochSecond(Long.MIN_VALUE / 1000 - 1));
        for (Object body : List.of(noId, noTs, noArm, farFuture, farPast)) {
            Ingested r = in(body, 0L);
            Class<? extends Throwable> failure = failure(avro, r);
            assertThat(failure).as("%s", body).isNotNull();
            assertThatThrownBy(() -> fast.serialize(r, new DataOutputSerializer(64)))
                    .as("%s", body)
                    .isExactlyInstanceOf(failure);
        }
    }

    @Test
    void corruptInputIsAnIOException() {
        IngestedSerializer fast = new IngestedSerializer();
        assertThatThrownBy(() -> fast.deserialize(new DataInputDeserializer(new byte[] {9})))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("tag 9");
    }

    @Test
    void theTypeIsOneValueWithThisSerializer() {
        assertThat(IngestedTypeInfo.INSTANCE.createSerializer(new SerializerConfigImpl()))
                .isEqualTo(new IngestedSerializer());
        assertThat(IngestedTypeInfo.INSTANCE)
                .isNotEqualTo(new AvroTypeInfo<>(Ingested.class))
                .hasSameHashCodeAs(SerializationUtils.clone(IngestedTypeInfo.INSTANCE));
        assertThat(SerializationUtils.clone(IngestedTypeInfo.INSTANCE)).isSameAs(IngestedTypeInfo.INSTANCE);
    }

    private static Class<? extends Throwable> failure(TypeSerializer<Ingested> s, Ingested r) {
        try {
            s.serialize(r, new DataOutputSerializer(64));
            return null;
        } catch (Throwable t) {
            return t.getClass();
        }
    }

    private static Ingested roundTrip(TypeSerializer<Ingested> s, Ingested r) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(r, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        Ingested back = s.deserialize(in);
        assertThat(in.available()).isZero();
        return back;
    }

    private static Click click(String eventId, String userId, long item, long category, ClickAction a, Instant ts) {
        Click c = new Click();
        c.setEventId(eventId);
        c.setUserId(userId);
        c.setItemId(item);
        c.setCategoryId(category);
        c.setAction(a);
        c.setTs(ts);
        return c;
    }

    private static Ingested in(Object body, long sourceWatermark) {
        Ingested i = new Ingested();
        i.setBody(body);
        i.setSourceWatermark(sourceWatermark);
        return i;
    }
}
