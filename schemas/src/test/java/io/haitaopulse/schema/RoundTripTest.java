package io.haitaopulse.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.schema.internal.Ingested;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every schema round-trips through Avro binary, with optional fields set and with them absent. */
class RoundTripTest {

    private static final Instant T0 = Instant.ofEpochMilli(1_511_658_000_000L);
    private static final Instant T1 = Instant.ofEpochMilli(1_511_661_600_000L);

    static Stream<SpecificRecord> samples() {
        Click fullClick = new Click(
                "e-1", "u-1", 42L, 7L, ClickAction.VIEW, T0, "s-1", Channel.WECHAT, "c-1", "tok", "shanghai", "ios");
        Click bareClick = Click.newBuilder()
                .setEventId("e-2")
                .setUserId("u-2")
                .setItemId(43L)
                .setCategoryId(7L)
                .setAction(ClickAction.CART)
                .setTs(T0)
                .build();
        OrderLine line = new OrderLine(42L, 7L, 2, 12_900L, 500L);
        Order order = new Order("o-1", "u-1", OrderStatus.PAID, T0, List.of(line), "c-1", "coupon-9");
        Order bareOrder = Order.newBuilder()
                .setOrderId("o-2")
                .setUserId("u-1")
                .setStatus(OrderStatus.RETURNED)
                .setTs(T1)
                .setLines(List.of(OrderLine.newBuilder()
                        .setItemId(1L)
                        .setCategoryId(2L)
                        .setQuantity(1)
                        .setUnitPriceCents(100L)
                        .build()))
                .build();
        Campaign campaign =
                new Campaign("c-1", CampaignKind.FLASH_SALE, T0, T1, 0.1, List.of(7L), List.of(42L), "Double 11");
        Campaign bareCampaign = Campaign.newBuilder()
                .setCampaignId("c-2")
                .setKind(CampaignKind.REFERRAL)
                .setStartTs(T0)
                .setEndTs(T1)
                .setHoldoutPct(0.0)
                .build();
        Exposure exposure = new Exposure("c-1", "u-1", Arm.CONTROL, T0);
        Review review = new Review(42L, "u-1", T1, 1, "o-1", Complaint.COUNTERFEIT);
        Review bareReview = Review.newBuilder()
                .setItemId(42L)
                .setUserId("u-3")
                .setTs(T1)
                .setRating(5)
                .build();
        HotItem hot = new HotItem(T0, T1, "all", 1, 42L, 17L);
        DemandTrend trend = new DemandTrend(T0, T1, 42L, 7L, 30L, 4L, 1L, 10.0, 3.0, 6.3, true);
        DemandTrend coldTrend = DemandTrend.newBuilder()
                .setWindowStart(T0)
                .setWindowEnd(T1)
                .setItemId(42L)
                .setCategoryId(7L)
                .setViews(1L)
                .setCarts(0L)
                .setBuys(0L)
                .setTrending(false)
                .build();
        CampaignUplift uplift = new CampaignUplift(
                "c-1",
                "conversion",
                T1,
                900L,
                100L,
                0.12,
                0.10,
                0.02,
                0.2,
                -0.01,
                0.05,
                -0.1,
                0.5,
                -0.05,
                0.09,
                0.8,
                12_345L,
                0.11,
                0.10,
                0.9,
                0.015,
                0.001,
                0.029,
                0.35,
                0.98,
                0.0301,
                0.0002);
        CampaignUplift emptyUplift = CampaignUplift.newBuilder()
                .setCampaignId("c-1")
                .setMetric("revenue_per_user")
                .setAsOf(T1)
                .setNTreatment(0L)
                .setNControl(0L)
                .build();
        SourcingShortlist pick = new SourcingShortlist(
                T1, 7L, 1, 42L, 0.93, 12.5, 0.04, 4.8, 0.012, 0.001, 900L, List.of("demand +38 % week on week"));
        DeadLetter dead = new DeadLetter("events.jsonl", "{oops", "not valid JSON", T1);
        LateEvent late = new LateEvent(fullClick, "after allowed lateness", T1);
        Ingested ingestedClick = new Ingested(fullClick, Long.MIN_VALUE);
        Ingested ingestedDead = new Ingested(dead, Long.MIN_VALUE);
        Item item =
                new Item(42L, 101L, "Meiji Step formula 800 g", T0, "Infant formula / 婴儿奶粉", "Meiji", "JP", 26_800L);
        Item bareItem = Item.newBuilder()
                .setItemId(43L)
                .setCategoryId(101L)
                .setName("a2 Platinum stage 3 900 g")
                .setTs(T1)
                .build();
        Ingested ingestedItem = new Ingested(item, Long.MIN_VALUE);
        return Stream.of(
                fullClick,
                bareClick,
                order,
                bareOrder,
                campaign,
                bareCampaign,
                exposure,
                review,
                bareReview,
                hot,
                trend,
                coldTrend,
                uplift,
                emptyUplift,
                pick,
                dead,
                late,
                ingestedClick,
                ingestedDead,
                item,
                bareItem,
                ingestedItem);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void roundTripsThroughAvroBinary(SpecificRecord record) throws IOException {
        assertThat(decode(encode(record), record)).isEqualTo(record);
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> byte[] encode(T record) throws IOException {
        SpecificDatumWriter<T> writer = new SpecificDatumWriter<>((Class<T>) record.getClass());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        writer.write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> T decode(byte[] bytes, T like) throws IOException {
        SpecificDatumReader<T> reader = new SpecificDatumReader<>((Class<T>) like.getClass());
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
        return reader.read(null, decoder);
    }
}
