package io.haitaopulse.uplift;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.privacy.KAnonymity;
import io.haitaopulse.schema.Arm;
import io.haitaopulse.schema.Campaign;
import io.haitaopulse.schema.CampaignKind;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.Exposure;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.OrderLine;
import io.haitaopulse.schema.OrderStatus;
import io.haitaopulse.schema.internal.Ingested;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** Per-user and per-campaign state is released once a campaign's rows are final. Slots of 10 ms. */
class UpliftStateTest {

    private static final SlidingWindows SLOTS = new SlidingWindows(10, 10, 0);

    private static Ingested exposure(String user, Arm arm, long ts) {
        return new Ingested(new Exposure("c1", user, arm, Instant.ofEpochMilli(ts)), Long.MIN_VALUE);
    }

    private static Ingested click(String user, long ts) {
        return new Ingested(
                Click.newBuilder()
                        .setEventId("e" + ts)
                        .setUserId(user)
                        .setItemId(1L)
                        .setCategoryId(2L)
                        .setAction(ClickAction.VIEW)
                        .setTs(Instant.ofEpochMilli(ts))
                        .build(),
                Long.MIN_VALUE);
    }

    /** A PAID order of one line worth {@code cents}; the other uplift tests use it too. */
    static Ingested paid(String user, long ts, long cents) {
        return new Ingested(
                new Order(
                        "o",
                        user,
                        OrderStatus.PAID,
                        Instant.ofEpochMilli(ts),
                        List.of(new OrderLine(1L, 2L, 1, cents, 0L)),
                        null,
                        null),
                Long.MIN_VALUE);
    }

    private static Ingested order(String user, OrderStatus status, long ts, long cents) {
        return new Ingested(
                new Order(
                        "o",
                        user,
                        status,
                        Instant.ofEpochMilli(ts),
                        List.of(new OrderLine(1L, 2L, 1, cents, 0L)),
                        null,
                        null),
                Long.MIN_VALUE);
    }

    private static KeyedBroadcastOperatorTestHarness<String, Ingested, Campaign, ScoreInput> userHarness()
            throws Exception {
        return userHarness(0);
    }

    private static KeyedBroadcastOperatorTestHarness<String, Ingested, Campaign, ScoreInput> userHarness(
            long cupedLookback) throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new UserOutcomes(SLOTS, 1_000, 500, cupedLookback),
                i -> i.getBody() instanceof Exposure e ? e.getUserId() : ((Order) i.getBody()).getUserId(),
                Types.STRING,
                UserOutcomes.CAMPAIGNS);
    }

    /** Entries in the user operator's keyed state (this harness has no shortcut for it). */
    private static int keyedEntries(KeyedBroadcastOperatorTestHarness<String, Ingested, Campaign, ScoreInput> h) {
        return ((HeapKeyedStateBackend<?>) h.getOperator().getKeyedStateBackend()).numKeyValueStateEntries();
    }

    @Test
    void userStateIsReleasedWhenTheCampaignIsFinal() throws Exception {
        var h = userHarness();
        h.processBroadcastElement(
                new Campaign(
                        "c1",
                        CampaignKind.SOCIAL,
                        Instant.ofEpochMilli(0),
                        Instant.ofEpochMilli(50),
                        0.5,
                        null,
                        null,
                        null),
                0);
        h.processElement(exposure("u1", Arm.TREATMENT, 5), 5);
        h.processElement(paid("u1", 20, 700), 20);
        h.processElement(paid("u1", 60, 100), 60); // after the end: not counted
        h.watermark(Long.MAX_VALUE);
        List<ScoreInput> out = h.extractOutputValues();
        assertThat(out)
                .extracting(ScoreInput::toString)
                .containsExactly(
                        "Change{c1 arm 0 dn 1 dConv 0.0 dRev 0.0 dRet 0.0 @5}",
                        "Change{c1 arm 0 dn 0 dConv 1.0 dRev 700.0 dRet 0.0 dFirst 1 dRedeemed 0 @20}");
        assertThat(keyedEntries(h)).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void theCovariateIsTheMetricOverTheLookbackBeforeTheFirstExposure() throws Exception {
        var h = userHarness(100);
        h.processBroadcastElement(
                new Campaign(
                        "c1",
                        CampaignKind.HOLIDAY_DISCOUNT,
                        Instant.ofEpochMilli(200),
                        Instant.ofEpochMilli(400),
                        0.5,
                        null,
                        null,
                        null),
                0);
        h.processElement(order("u1", OrderStatus.PAID, 149, 5_000), 149); // fe − 101: before the lookback
        h.processElement(order("u1", OrderStatus.PAID, 150, 300), 150); // fe − 100: first instant of it
        h.processElement(order("u1", OrderStatus.RETURNED, 249, 100), 249); // last instant of it
        h.processElement(exposure("u1", Arm.TREATMENT, 250), 250);
        h.processElement(order("u1", OrderStatus.PAID, 250, 700), 250); // at the exposure: outcome, not covariate
        h.processElement(order("u1", OrderStatus.RETURNED, 300, 200), 300);
        h.watermark(Long.MAX_VALUE);
        List<ScoreInput> out = h.extractOutputValues();
        assertThat(out).hasSize(2);
        ScoreInput added = out.get(0);
        assertThat(added.dn).isEqualTo(1);
        assertThat(new double[] {added.dConv, added.dRev, added.dRet}).containsExactly(1, 700, 0);
        assertThat(new double[] {added.dConvX, added.dRevX, added.dRetX}).containsExactly(1, 200, 100);
        assertThat(new double[] {added.dConvXSq, added.dRevXSq, added.dRetXSq}).containsExactly(1, 40_000, 10_000);
        assertThat(new double[] {added.dConvXY, added.dRevXY, added.dRetXY}).containsExactly(1, 140_000, 0);
        ScoreInput returned = out.get(1);
        assertThat(new double[] {returned.dn, returned.dConv, returned.dRev, returned.dRet})
                .containsExactly(0, 0, -200, 200);
        assertThat(new double[] {returned.dConvX, returned.dRevX, returned.dRetX})
                .containsExactly(0, 0, 0);
        assertThat(new double[] {returned.dRevXY, returned.dRetXY})
                .as("x·y of the new values minus x·y of the old: 200·500 − 200·700, 100·200 − 100·0")
                .containsExactly(-40_000, 20_000);
        h.close();
    }

    /**
     * An order behind the watermark but in a slot that is not final yet is on time. Its timer fires
     * after the exposure's: the user stays counted (as of the latest time already evaluated), and the
     * order's change carries its own time, in the same open slot.
     */
    @Test
    void anOrderBehindTheWatermarkInAnOpenSlotDoesNotUncountTheUser() throws Exception {
        var h = userHarness(100);
        h.processBroadcastElement(
                new Campaign(
                        "c1",
                        CampaignKind.SOCIAL,
                        Instant.ofEpochMilli(0),
                        Instant.ofEpochMilli(50),
                        0.5,
                        null,
                        null,
                        null),
                0);
        h.processElement(exposure("u1", Arm.TREATMENT, 5), 5);
        h.watermark(7);
        h.processElement(order("u1", OrderStatus.PAID, 3, 400), 3); // before the exposure: the covariate
        h.watermark(8);
        h.processElement(order("u1", OrderStatus.PAID, 6, 900), 6); // after it: the outcome
        h.watermark(Long.MAX_VALUE);
        List<ScoreInput> out = h.extractOutputValues();
        assertThat(out)
                .extracting(ScoreInput::toString)
                .containsExactly(
                        "Change{c1 arm 0 dn 1 dConv 0.0 dRev 0.0 dRet 0.0 @5}",
                        "Change{c1 arm 0 dn 0 dConv 0.0 dRev 0.0 dRet 0.0 @3}",
                        "Change{c1 arm 0 dn 0 dConv 1.0 dRev 900.0 dRet 0.0 @6}");
        assertThat(new double[] {out.get(1).dConvX, out.get(1).dRevX}).containsExactly(1, 400);
        h.close();
    }

    @Test
    void ordersAreKeptForTheLookbackAfterTheirTimeAndThenReleased() throws Exception {
        var h = userHarness(100);
        h.processElement(order("u1", OrderStatus.PAID, 5, 300), 5);
        // An exposure at 105 (on time until its slot [100, 110) is final at 109) still sees it.
        h.watermark(108);
        assertThat(keyedEntries(h)).as("orders and history").isEqualTo(2);
        h.watermark(109);
        assertThat(keyedEntries(h))
                .as("history only (first order, kept 500 after the last activity)")
                .isEqualTo(1);
        h.watermark(505);
        assertThat(keyedEntries(h)).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        assertThat(h.extractOutputValues()).isEmpty();
        h.close();
    }

    @Test
    void withoutLookbackAnOrderNoCampaignNeedsGoesWhenItsSlotIsFinal() throws Exception {
        var h = userHarness(0);
        h.processElement(order("u1", OrderStatus.PAID, 5, 300), 5);
        h.watermark(8);
        assertThat(keyedEntries(h)).isEqualTo(2);
        h.watermark(9);
        assertThat(keyedEntries(h)).isEqualTo(1);
        h.close();
    }

    @Test
    void exposuresToACampaignNeverDefinedAreForgottenAfterTheTtl() throws Exception {
        var h = userHarness();
        h.processElement(exposure("u1", Arm.CONTROL, 5), 5);
        h.watermark(1_004);
        assertThat(keyedEntries(h)).isPositive();
        h.watermark(1_005);
        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(keyedEntries(h)).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void attributionForgetsASilentUserAfterTheTtl() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<String, Ingested, AttributionCredit>(
                new KeyedProcessOperator<>(new ChannelAttributor(30, 100, 1_000)),
                i -> ((Order) i.getBody()).getUserId(),
                Types.STRING);
        h.open();
        h.processElement(paid("u1", 5, 100), 5);
        h.processWatermark(1_004);
        assertThat(h.extractOutputValues())
                .extracting(c -> c.channel + " " + c.gmvCents + " new=" + c.newUser)
                .containsExactly("DIRECT 100 new=true");
        assertThat(h.numKeyedStateEntries()).isPositive();
        h.processWatermark(1_005);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void aUsersHistoryKeepsOneTimerHoweverManyBurstsOfActivity() throws Exception {
        var h = userHarness();
        // Ten orders 40 ms apart, each forgotten (no campaign needs it) before the next comes.
        for (long t = 2; t <= 400; t += 40) {
            h.processElement(paid("u1", t, 100), t);
            h.watermark(t);
            h.watermark(t + 39);
        }
        assertThat(h.numEventTimeTimers())
                .as("timers of a user with ten bursts of activity within the history TTL")
                .isEqualTo(1);
        // The history (first paid order) is forgotten the TTL of 500 after the last order, at 862.
        h.watermark(861);
        assertThat(keyedEntries(h)).isEqualTo(1);
        h.watermark(862);
        assertThat(keyedEntries(h)).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void attributionKeepsOneForgetTimerPerUserHoweverOftenTheyClick() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<String, Ingested, AttributionCredit>(
                new KeyedProcessOperator<>(new ChannelAttributor(30, 100, 1_000)),
                i -> ((Click) i.getBody()).getUserId(),
                Types.STRING);
        h.open();
        // 200 clicks, each in its own millisecond, each released by its watermark.
        for (long t = 2; t <= 400; t += 2) {
            h.processElement(click("u1", t), t);
            h.processWatermark(t);
        }
        assertThat(h.numEventTimeTimers())
                .as("timers of a user who clicked 200 times within the TTL")
                .isEqualTo(1);
        // Forgotten a TTL after the last click, not after the first.
        h.processWatermark(1_399);
        assertThat(h.numKeyedStateEntries()).isPositive();
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        h.processWatermark(1_400);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        // The only credit: the session the first click started (the next ones are within 30 ms).
        assertThat(h.extractOutputValues())
                .extracting(c -> c.channel + "@" + c.ts)
                .containsExactly("DIRECT@2");
        h.close();
    }

    @Test
    void theScoreboardWritesARowPerSlotAndForgetsTheCampaignAfterItsLastRow() throws Exception {
        var h = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new CampaignScoreboard(SLOTS, 0.01, 1000, new KAnonymity(10)),
                s -> s.campaignId,
                Types.STRING,
                io.haitaopulse.io.InputExtent.STATE);
        h.processElement(ScoreInput.definition("c1", "SOCIAL", 0, 25, 0.5), 0);
        h.processElement(ScoreInput.change("c1", 0, 1, Outcome.NONE, new Outcome(1, 500, 0, 0, 0, 0), 0, 0, 3), 0);
        h.processElement(ScoreInput.change("c1", 1, 1, Outcome.NONE, Outcome.NONE, 0, 0, 12), 0);
        h.watermark(9);
        assertThat(h.extractOutputValues())
                .extracting(r -> r.getMetric() + "@" + r.getAsOf().toEpochMilli() + " n=" + r.getNTreatment() + "/"
                        + r.getNControl())
                .containsExactly("conversion@10 n=1/0", "revenue_per_user@10 n=1/0", "returns_per_user@10 n=1/0");
        h.getOutput().clear();
        h.watermark(Long.MAX_VALUE);
        assertThat(h.extractOutputValues())
                .extracting(r -> r.getMetric() + "@" + r.getAsOf().toEpochMilli() + " n=" + r.getNTreatment() + "/"
                        + r.getNControl())
                // The input ended: the row as of 20 reflects all of it (the last change is at 12), so rows stop.
                .containsExactly("conversion@20 n=1/1", "revenue_per_user@20 n=1/1", "returns_per_user@20 n=1/1");
        assertThat(((HeapKeyedStateBackend<?>) h.getOperator().getKeyedStateBackend()).numKeyValueStateEntries())
                .isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }
}
