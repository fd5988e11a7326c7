package io.haitaopulse.bots;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.OrderLine;
import io.haitaopulse.schema.OrderStatus;
import io.haitaopulse.schema.SuspiciousEvent;
import io.haitaopulse.schema.internal.Ingested;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;

/**
 * The bot rules on hand-made click sequences. Limits are lowered to 3 views of one item and 5
 * views in all per minute, blacklisting for 10 minutes.
 */
class BotFilterTest {

    private static final long MIN = 60_000L;

    private static Configuration conf() {
        Configuration c = new Configuration();
        c.set(BotOptions.MAX_ITEM_VIEWS_PER_MINUTE, 3);
        c.set(BotOptions.MAX_VIEWS_PER_MINUTE, 5);
        c.set(BotOptions.BLACKLIST, java.time.Duration.ofMinutes(10));
        return c;
    }

    private static Ingested view(String user, long item, long ts) {
        return new Ingested(
                new Click(
                        user + "@" + ts + "#" + item,
                        user,
                        item,
                        9L,
                        ClickAction.VIEW,
                        Instant.ofEpochMilli(ts),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null),
                Long.MIN_VALUE);
    }

    private static Ingested cart(String user, long item, long ts) {
        return new Ingested(
                new Click(
                        user + "@" + ts + "c",
                        user,
                        item,
                        9L,
                        ClickAction.CART,
                        Instant.ofEpochMilli(ts),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null),
                Long.MIN_VALUE);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Ingested, Ingested> harness() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new BotFilter(BotSettings.from(conf())), BotFilter::userOf, Types.STRING);
        h.open();
        return h;
    }

    /**
     * Forgets pending: queued by the filter, and keyed timers (which only savepoints of earlier
     * versions hold).
     */
    private static int forgets(KeyedOneInputStreamOperatorTestHarness<String, Ingested, Ingested> h) {
        return ((BotFilter) h.getOperator()).pendingForgets() + h.numEventTimeTimers();
    }

    private static int keyedEntries(KeyedOneInputStreamOperatorTestHarness<String, Ingested, Ingested> h) {
        return ((HeapKeyedStateBackend<?>) h.getOperator().getKeyedStateBackend()).numKeyValueStateEntries();
    }

    /** Event ids released downstream, in order. */
    private static List<String> released(KeyedOneInputStreamOperatorTestHarness<String, Ingested, Ingested> h) {
        List<String> ids = new ArrayList<>();
        for (Ingested i : h.extractOutputValues()) {
            ids.add(i.getBody() instanceof Click c ? c.getEventId() : ((Order) i.getBody()).getOrderId());
        }
        return ids;
    }

    private static List<String> suspicious(KeyedOneInputStreamOperatorTestHarness<String, Ingested, Ingested> h) {
        List<String> ids = new ArrayList<>();
        for (StreamRecord<SuspiciousEvent> r : h.getSideOutput(BotFilter.SUSPICIOUS)) {
            SuspiciousEvent s = r.getValue();
            ids.add(((Click) s.getEvent()).getEventId() + " " + s.getRule() + " ["
                    + s.getBlacklistedFrom().toEpochMilli() + ", "
                    + s.getBlacklistedUntil().toEpochMilli() + ")");
        }
        return ids;
    }

    @Test
    void theViewThatBreaksRepeatItemBlacklistsTheUserFromItsOwnTime() throws Exception {
        var h = harness();
        // Five views of item 1 at 1, 2, 3, 4, 5 s: the fourth breaks "more than 3 in a minute".
        for (long s = 1; s <= 5; s++) {
            h.processElement(view("bot", 1, s * 1000), s * 1000);
        }
        h.processElement(view("bot", 2, 8 * MIN), 8 * MIN); // still blacklisted, any item
        h.processElement(view("bot", 2, 11 * MIN), 11 * MIN); // blacklisting over at 10 min + 5 s
        h.processElement(view("human", 1, 3000), 3000);
        h.processWatermark(new Watermark(Long.MAX_VALUE));

        // Users are judged one after the other; their order is not part of the contract.
        assertThat(released(h))
                .containsExactlyInAnyOrder("bot@1000#1", "bot@2000#1", "bot@3000#1", "human@3000#1", "bot@660000#2");
        assertThat(suspicious(h))
                .containsExactly(
                        "bot@4000#1 repeat-item [4000, 604000)",
                        // The fifth view breaks the rule again and extends the blacklisting by a second.
                        "bot@5000#1 repeat-item [4000, 605000)",
                        "bot@480000#2 repeat-item [4000, 605000)");
        assertThat(keyedEntries(h)).isZero();
        assertThat(forgets(h)).isZero();
        h.close();
    }

    @Test
    void aBotClickingForTenMinutesKeepsOneForgetNotOnePerClick() throws Exception {
        var h = harness();
        // A view of item 1 every second for 10 minutes, each released by its watermark: the fourth
        // blacklists the bot and every later one breaks the rule again and extends the blacklisting.
        for (long s = 1; s <= 600; s++) {
            h.processElement(view("bot", 1, s * 1000), s * 1000);
            h.processWatermark(new Watermark(s * 1000));
        }
        assertThat(released(h)).containsExactly("bot@1000#1", "bot@2000#1", "bot@3000#1");
        assertThat(h.getSideOutput(BotFilter.SUSPICIOUS)).hasSize(597);
        assertThat(forgets(h))
                .as("the blacklisting's forget and the views' minute forget, after 600 clicks")
                .isEqualTo(2);
        // Blacklisted until 20 min (the last view, at 10 min, plus 10), kept as long again after.
        h.processWatermark(new Watermark(30 * MIN - 1));
        assertThat(keyedEntries(h)).isEqualTo(1);
        h.processWatermark(new Watermark(30 * MIN));
        assertThat(keyedEntries(h)).isZero();
        assertThat(forgets(h)).isZero();
        h.close();
    }

    @Test
    void heldClicksNeedNeitherAForgetNorKeyedStateUntilACheckpoint() throws Exception {
        var h = harness();
        h.processWatermark(new Watermark(0));
        // 200 clicks of two items, 15 s apart (within the limits), all ahead of the watermark.
        for (long s = 1; s <= 200; s++) {
            h.processElement(view("u", s % 2, s * 15_000), s * 15_000);
        }
        // A click out of order, earlier than every held one.
        h.processElement(view("u", 9, 500), 500);
        assertThat(forgets(h)).isZero();
        assertThat(keyedEntries(h)).isZero();
        h.processWatermark(new Watermark(100 * 15_000));
        // The one at 0.5 s and the first 100 released, in event-time order; the views of the
        // last minute kept, with one forget queued for them.
        List<String> first = released(h);
        assertThat(first).hasSize(101);
        assertThat(first.get(0)).isEqualTo("u@500#9");
        assertThat(first.get(100)).isEqualTo("u@1500000#0");
        assertThat(forgets(h)).isEqualTo(1);
        assertThat(keyedEntries(h)).isEqualTo(1);
        h.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(released(h)).hasSize(201);
        assertThat(h.getSideOutput(BotFilter.SUSPICIOUS)).isNull();
        assertThat(keyedEntries(h)).isZero();
        assertThat(forgets(h)).isZero();
        h.close();
    }

    @Test
    void aUserBrowsingForTenMinutesKeepsOneForgetForTheirViews() throws Exception {
        var h = harness();
        // A view every 15 s, each released by its watermark. A view's minute ends a whole minute
        // at least a minute later: a forget per minute of views would leave two pending mid-minute.
        for (long s = 1; s <= 39; s++) {
            h.processElement(view("u", s % 2, s * 15_000), s * 15_000);
            h.processWatermark(new Watermark(s * 15_000));
        }
        assertThat(forgets(h)).as("the views' forget, at 9:45").isEqualTo(1);
        h.processElement(view("u", 0, 10 * MIN), 10 * MIN);
        h.processWatermark(new Watermark(10 * MIN));
        assertThat(released(h)).hasSize(40);
        assertThat(h.getSideOutput(BotFilter.SUSPICIOUS)).isNull();
        // Moved on to the newest view's: 11:00.
        assertThat(forgets(h)).isEqualTo(1);
        h.processWatermark(new Watermark(11 * MIN - 1));
        assertThat(keyedEntries(h)).isEqualTo(1);
        h.processWatermark(new Watermark(11 * MIN));
        assertThat(keyedEntries(h)).isZero();
        assertThat(forgets(h)).isZero();
        h.close();
    }

    @Test
    void verdictsDoNotDependOnHowFarEachWatermarkMoves() throws Exception {
        // Two bots (one item over and over; many items fast) that stop and come back, and a
        // human, over 50 minutes; then judged with a
        // watermark after every click, every 7 s, every 5 min, and once at the end.
        Random random = new Random(7);
        List<Ingested> events = new ArrayList<>();
        for (long t = 0; t < 50 * MIN; t += 1000 + random.nextInt(3000)) {
            // Quiet past the forget time of its first blacklisting (blacklisted to about 15 min,
            // forgotten at 25), then back only after its second blacklisting ended (about 43 min).
            boolean active = t < 5 * MIN || (t >= 30 * MIN && t < 33 * MIN) || t >= 44 * MIN;
            if (active) {
                events.add(view("repeat", 1, t));
                events.add(view("fast", random.nextInt(50), t + random.nextInt(2)));
            }
            if (random.nextInt(10) == 0) {
                events.add(cart("repeat", 1, t + 1));
            }
        }
        for (long t = 0; t < 50 * MIN; t += 20_000) {
            events.add(view("human", random.nextInt(50), t + random.nextInt(3000)));
        }
        events.sort(Comparator.comparingLong(e -> ((Click) e.getBody()).getTs().toEpochMilli()));
        List<String> expectedReleased = null;
        List<String> expectedSuspicious = null;
        for (long step : new long[] {1, 7_000, 5 * MIN, Long.MAX_VALUE}) {
            var h = harness();
            long watermark = Long.MIN_VALUE;
            for (Ingested e : events) {
                long ts = ((Click) e.getBody()).getTs().toEpochMilli();
                // Bounded disorder of 2 s: the watermark trails the clicks.
                long target = step == Long.MAX_VALUE ? Long.MIN_VALUE : Math.floorDiv(ts - 2_000, step) * step;
                if (target > watermark) {
                    watermark = target;
                    h.processWatermark(new Watermark(watermark));
                }
                h.processElement(e, ts);
            }
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            List<String> r = released(h);
            List<String> s = suspicious(h);
            Collections.sort(r);
            Collections.sort(s);
            if (expectedReleased == null) {
                expectedReleased = r;
                expectedSuspicious = s;
                assertThat(s).anyMatch(x -> x.startsWith("repeat@") && x.contains("repeat-item"));
                assertThat(s).anyMatch(x -> x.startsWith("fast@") && x.contains("no-dwell"));
                assertThat(s).noneMatch(x -> x.startsWith("human@"));
                // The repeat bot is blacklisted again when it comes back after its forget time.
                assertThat(s.stream()
                                .filter(x -> x.startsWith("repeat@"))
                                .map(x -> x.substring(x.indexOf('[')))
                                .map(x -> x.substring(0, x.indexOf(',')))
                                .distinct()
                                .count())
                        .isEqualTo(3);
            } else {
                assertThat(r).as("released, watermark step %d", step).isEqualTo(expectedReleased);
                assertThat(s).as("suspicious, watermark step %d", step).isEqualTo(expectedSuspicious);
            }
            assertThat(keyedEntries(h)).isZero();
            assertThat(forgets(h)).isZero();
            h.close();
        }
    }

    @Test
    void noDwellCountsViewsOfEveryItemOverTheTrailingMinute() throws Exception {
        var h = harness();
        // Six views of six items within 50 s: the sixth is one more than 5 a minute.
        for (int i = 0; i < 6; i++) {
            h.processElement(view("u", 10 + i, 10_000L * i), 10_000L * i);
        }
        // 61 s after the first: the trailing minute (1 s, 61 s] holds views 2..6 and this one.
        h.processElement(view("v", 1, 0), 0);
        h.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(suspicious(h)).containsExactly("u@50000#15 no-dwell [50000, 650000)");
        assertThat(released(h)).hasSize(6).contains("v@0#1").doesNotContain("u@50000#15");
        h.close();
    }

    @Test
    void viewsOutsideTheTrailingMinuteDoNotCount() throws Exception {
        var h = harness();
        // Three views of item 1 per minute, a minute apart: never more than 3 in any (t − 1 min, t].
        long[] times = {0, 1000, 2000, 60_000, 61_000, 62_000, 120_000, 121_000, 122_000};
        for (long t : times) {
            h.processElement(view("u", 1, t), t);
        }
        h.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(released(h)).hasSize(times.length);
        assertThat(h.getSideOutput(BotFilter.SUSPICIOUS)).isNull();
        h.close();
    }

    @Test
    void verdictsDoNotDependOnArrivalOrderWithinTheWatermark() throws Exception {
        List<Ingested> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            events.add(view(i % 3 == 0 ? "bot" : "h" + (i % 5), i % 3 == 0 ? 7 : i, 500L * i));
        }
        events.add(cart("bot", 7, 5_000));
        List<String> expectedReleased = null;
        List<String> expectedSuspicious = null;
        Random random = new Random(1);
        for (int round = 0; round < 5; round++) {
            List<Ingested> shuffled = new ArrayList<>(events);
            if (round > 0) {
                Collections.shuffle(shuffled, random);
            }
            var h = harness();
            for (Ingested e : shuffled) {
                long ts = ((Click) e.getBody()).getTs().toEpochMilli();
                h.processElement(e, ts);
            }
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            List<String> r = released(h);
            List<String> s = suspicious(h);
            Collections.sort(r);
            if (expectedReleased == null) {
                expectedReleased = r;
                expectedSuspicious = s;
                // Bot views at 0, 1.5, 3, 4.5 s ...: the fourth (4.5 s) breaks the limit of 3.
                assertThat(s).first().isEqualTo("bot@4500#7 repeat-item [4500, 604500)");
                assertThat(s).contains("bot@5000c repeat-item [4500, 604500)");
            } else {
                assertThat(r).as("released, round %d", round).isEqualTo(expectedReleased);
                assertThat(s).as("suspicious, round %d", round).containsExactlyInAnyOrderElementsOf(expectedSuspicious);
            }
            h.close();
        }
    }

    @Test
    void aUsersClicksOfOneTimeSeeEachOtherWhenReleasedAmongOtherUsersClicks() throws Exception {
        var h = harness();
        for (int i = 1; i <= 4; i++) {
            h.processElement(view("bot", i, i * 1_000L), i * 1_000L);
        }
        h.processWatermark(new Watermark(4_000));
        // One release of three clicks, two of them the bot's at one time: counted together, the
        // sixth view in the minute breaks the limit of 5 for both, not only for the later one.
        h.processElement(view("bot", 5, 5_000), 5_000);
        h.processElement(view("person", 1, 5_000), 5_000);
        h.processElement(view("bot", 6, 5_000), 5_000);
        h.processWatermark(new Watermark(5_000));
        assertThat(released(h))
                .containsExactly("bot@1000#1", "bot@2000#2", "bot@3000#3", "bot@4000#4", "person@5000#1");
        assertThat(suspicious(h))
                .containsExactly("bot@5000#5 no-dwell [5000, 605000)", "bot@5000#6 no-dwell [5000, 605000)");
        h.close();
    }

    @Test
    void clicksAreReleasedBeforeTheWatermarkThatPassesThemSoNoJobSeesThemLate() throws Exception {
        var h = harness();
        h.processElement(view("u", 1, 5_000), 5_000);
        h.processWatermark(new Watermark(4_999));
        h.processWatermark(new Watermark(5_000));
        List<Object> out = new ArrayList<>(h.getOutput());
        assertThat(out).hasSize(3);
        assertThat(out.get(0)).isEqualTo(new Watermark(4_999));
        assertThat(((StreamRecord<?>) out.get(1)).getTimestamp()).isEqualTo(5_000);
        assertThat(out.get(2)).isEqualTo(new Watermark(5_000));
        h.close();
    }

    @Test
    void aLateClickPassesAtOnceButStillMeetsTheBlacklist() throws Exception {
        var h = harness();
        for (long s = 1; s <= 4; s++) {
            h.processElement(view("bot", 1, s * 1000), s * 1000);
        }
        h.processWatermark(new Watermark(30_000));
        h.processElement(view("bot", 3, 20_000), 20_000); // behind the watermark, inside the blacklisting
        h.processElement(view("u", 3, 10_000), 10_000); // behind the watermark, clean user
        assertThat(suspicious(h))
                .containsExactly("bot@4000#1 repeat-item [4000, 604000)", "bot@20000#3 repeat-item [4000, 604000)");
        assertThat(released(h)).containsExactly("bot@1000#1", "bot@2000#1", "bot@3000#1", "u@10000#3");
        h.close();
    }

    @Test
    void ordersOfABlacklistedUserAlwaysPass() throws Exception {
        var h = harness();
        for (long s = 1; s <= 4; s++) {
            h.processElement(view("bot", 1, s * 1000), s * 1000);
        }
        h.processElement(
                new Ingested(
                        new Order(
                                "o1",
                                "bot",
                                OrderStatus.PAID,
                                Instant.ofEpochMilli(9_000),
                                List.of(new OrderLine(1L, 9L, 1, 100L, 0L)),
                                null,
                                null),
                        Long.MIN_VALUE),
                9_000);
        h.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(released(h)).contains("o1");
        h.close();
    }

    /** Max parallelism of the checkpoint tests, as the jobs pin it. */
    private static final int MAX_PARALLELISM = 128;

    /** Released and suspicious click ids of a harness, each sorted, in one list. */
    private static List<String> verdicts(KeyedOneInputStreamOperatorTestHarness<String, Ingested, Ingested> h) {
        List<String> r = released(h);
        List<String> s = suspicious(h);
        Collections.sort(r);
        Collections.sort(s);
        List<String> all = new ArrayList<>(r);
        all.add("--");
        all.addAll(s);
        return all;
    }

    /**
     * Twelve minutes of a repeat-item bot, a fast bot and three people, in event-time order, a
     * few clicks of each second shuffled; the watermark trails by 2 s.
     */
    private static List<Ingested> traffic() {
        Random random = new Random(11);
        List<Ingested> events = new ArrayList<>();
        for (long t = 0; t < 12 * MIN; t += 500 + random.nextInt(1500)) {
            events.add(view("repeat", 1, t));
            events.add(view("fast", random.nextInt(40), t + random.nextInt(2)));
            if (random.nextInt(6) == 0) {
                events.add(view("p" + random.nextInt(3), random.nextInt(40), t + random.nextInt(900)));
            }
            if (random.nextInt(8) == 0) {
                events.add(cart("repeat", 1, t + 1));
            }
        }
        events.sort(Comparator.comparingLong(BotFilterTest::ts));
        for (int i = 0; i + 1 < events.size(); i += 3) {
            Collections.swap(events, i, i + 1);
        }
        return events;
    }

    private static long ts(Ingested e) {
        return ((Click) e.getBody()).getTs().toEpochMilli();
    }

    /** Feeds {@code events[from, to)}, each followed by the watermark 2 s behind the newest. */
    private static long feed(
            KeyedOneInputStreamOperatorTestHarness<String, Ingested, Ingested> h,
            List<Ingested> events,
            int from,
            int to,
            long watermark)
            throws Exception {
        for (Ingested e : events.subList(from, to)) {
            h.processElement(e, ts(e));
            if (ts(e) - 2_000 > watermark) {
                watermark = ts(e) - 2_000;
                h.processWatermark(new Watermark(watermark));
            }
        }
        return watermark;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> r = new ArrayList<>();
        int sa = a.indexOf("--");
        int sb = b.indexOf("--");
        r.addAll(a.subList(0, sa));
        r.addAll(b.subList(0, sb));
        Collections.sort(r);
        List<String> s = new ArrayList<>(a.subList(sa + 1, a.size()));
        s.addAll(b.subList(sb + 1, b.size()));
        Collections.sort(s);
        r.add("--");
        r.addAll(s);
        return r;
    }

    /** The verdicts on {@code events} fed in one run, without a checkpoint. */
    private static List<String> uninterrupted(List<Ingested> events) throws Exception {
        var h = harness();
        feed(h, events, 0, events.size(), Long.MIN_VALUE);
        h.processWatermark(new Watermark(Long.MAX_VALUE));
        List<String> v = verdicts(h);
        h.close();
        return v;
    }

    /** A filter not yet opened, on the heap or on RocksDB. */
    private static KeyedOneInputStreamOperatorTestHarness<String, Ingested, Ingested> unopened(boolean rocksDb)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new BotFilter(BotSettings.from(conf())), BotFilter::userOf, Types.STRING);
        if (rocksDb) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        return h;
    }

    /** Users with an entry in keyed state {@code state}, on any state backend. */
    private static long users(KeyedOneInputStreamOperatorTestHarness<String, Ingested, Ingested> h, String state) {
        try (Stream<Object> keys = h.getOperator().getKeyedStateBackend().getKeys(state, VoidNamespace.INSTANCE)) {
            return keys.count();
        }
    }

    @Test
    void heldClicksSurviveACheckpointAndARestoreAndAreReleasedOnceOnEitherStateBackend() throws Exception {
        List<Ingested> events = traffic();
        List<String> expected = uninterrupted(events);
        assertThat(expected).anyMatch(x -> x.contains("repeat-item")).anyMatch(x -> x.contains("no-dwell"));
        for (boolean rocksDb : new boolean[] {false, true}) {
            int cut = events.size() / 2;
            var before = unopened(rocksDb);
            before.open();
            long watermark = feed(before, events, 0, cut, Long.MIN_VALUE);
            // A click far ahead of the watermark, held through both checkpoints below, and one just
            // ahead, held at the first only.
            before.processElement(view("owl", 77, 11 * MIN + 500), 11 * MIN + 500);
            long lark = watermark + 1_000;
            before.processElement(view("lark", 78, lark), lark);
            assertThat(users(before, BotFilter.HELD_CLICKS)).isZero();
            OperatorSubtaskState first = before.snapshot(1, 1);
            assertThat(users(before, BotFilter.HELD_CLICKS))
                    .as("users whose held clicks the checkpoint wrote to keyed state")
                    .isGreaterThan(2);
            // The clicks the first checkpoint wrote are released before the second; it must not hold them.
            watermark = feed(before, events, cut, cut + 30, watermark);
            OperatorSubtaskState second = before.snapshot(2, 2);
            List<String> beforeSecond = verdicts(before);
            before.close();

            var restored = unopened(rocksDb);
            restored.initializeState(second);
            restored.open();
            feed(restored, events, cut + 30, events.size(), watermark);
            restored.processWatermark(new Watermark(Long.MAX_VALUE));
            List<String> withExtra = new ArrayList<>(expected);
            withExtra.add(withExtra.indexOf("--"), "owl@" + (11 * MIN + 500) + "#77");
            withExtra.add(withExtra.indexOf("--"), "lark@" + lark + "#78");
            Collections.sort(withExtra.subList(0, withExtra.indexOf("--")));
            assertThat(concat(beforeSecond, verdicts(restored)))
                    .as("RocksDB: %s", rocksDb)
                    .isEqualTo(withExtra);
            assertThat(users(restored, BotFilter.HELD_CLICKS) + users(restored, "activity"))
                    .isZero();
            assertThat(forgets(restored)).isZero();
            restored.close();

            // From the first checkpoint, the rest as if the job had failed right after it.
            var fromFirst = unopened(rocksDb);
            fromFirst.initializeState(first);
            fromFirst.open();
            var head = harness();
            feed(head, events, 0, cut, Long.MIN_VALUE);
            long w = feed(fromFirst, events, cut, events.size(), headWatermark(events, cut));
            fromFirst.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(w).isPositive();
            assertThat(concat(verdicts(head), verdicts(fromFirst)))
                    .as("RocksDB: %s", rocksDb)
                    .isEqualTo(withExtra);
            head.close();
            fromFirst.close();
        }
    }

    /** The watermark after feeding {@code events[0, cut)}. */
    private static long headWatermark(List<Ingested> events, int cut) {
        long w = Long.MIN_VALUE;
        for (Ingested e : events.subList(0, cut)) {
            w = Math.max(w, ts(e) - 2_000);
        }
        return w;
    }

    /**
     * A bot clicking item 1 every second for 10 minutes (blacklisted to 20 min, forgotten at 30)
     * and a person's view at 9:30 (forgotten at 11:00, the first whole minute a minute after it),
     * then a checkpoint at 10 min: the forgets are not checkpointed, so a restore must queue them
     * again from the activity, or the state of users who never click again would stay forever.
     */
    private static OperatorSubtaskState botAndPersonAtTenMinutes(boolean rocksDb) throws Exception {
        var h = oneOfOne(rocksDb);
        h.open();
        for (long s = 1; s <= 600; s++) {
            h.processElement(view("bot", 1, s * 1000), s * 1000);
            if (s == 570) {
                h.processElement(view("person", 5, s * 1000), s * 1000);
            }
            h.processWatermark(new Watermark(s * 1000));
        }
        assertThat(forgets(h))
                .as("the bot's views (11:00) and blacklisting (20:04), the person's views (11:00)")
                .isEqualTo(3);
        OperatorSubtaskState snapshot = h.snapshot(1, 1);
        h.close();
        return snapshot;
    }

    @Test
    void aRestoreQueuesEveryUsersForgetsAgainFromTheirActivityOnEitherStateBackend() throws Exception {
        for (boolean rocksDb : new boolean[] {false, true}) {
            OperatorSubtaskState snapshot = botAndPersonAtTenMinutes(rocksDb);
            var h = oneOfOne(rocksDb);
            h.initializeState(snapshot);
            h.open();
            assertThat(forgets(h)).as("RocksDB: %s", rocksDb).isEqualTo(3);
            h.processWatermark(new Watermark(11 * MIN - 1));
            assertThat(users(h, BotFilter.ACTIVITY)).isEqualTo(2);
            h.processWatermark(new Watermark(11 * MIN));
            assertThat(users(h, BotFilter.ACTIVITY)).as("the bot, blacklisted").isEqualTo(1);
            // Blacklisted until 20 min and remembered for as long again: a late click at 19:59 is
            // held out at 25 min, and passes once the blacklisting is forgotten at 30.
            h.processWatermark(new Watermark(25 * MIN));
            h.processElement(view("bot", 2, 20 * MIN - 1000), 20 * MIN - 1000);
            assertThat(suspicious(h)).containsExactly("bot@1199000#2 repeat-item [4000, 1200000)");
            h.processWatermark(new Watermark(30 * MIN - 1));
            assertThat(users(h, BotFilter.ACTIVITY)).isEqualTo(1);
            h.processWatermark(new Watermark(30 * MIN));
            assertThat(users(h, BotFilter.ACTIVITY)).isZero();
            assertThat(forgets(h)).isZero();
            h.processElement(view("bot", 3, 20 * MIN - 1000), 20 * MIN - 1000);
            assertThat(released(h)).containsExactly("bot@1199000#3");
            h.close();
        }
    }

    @Test
    void aRestoreIntoTwoSubtasksQueuesTheForgetsOfTheUsersEachHolds() throws Exception {
        OperatorSubtaskState snapshot = botAndPersonAtTenMinutes(false);
        int queued = 0;
        for (int subtask = 0; subtask < 2; subtask++) {
            var h = restoredAsOneOfTwo(snapshot, subtask);
            queued += forgets(h);
            assertThat(forgets(h))
                    .as("subtask %d: two forgets per bot, one per person it holds", subtask)
                    .isEqualTo(2 * (int) users(h, BotFilter.ACTIVITY) - (holds(subtask, "person") ? 1 : 0));
            h.processWatermark(new Watermark(30 * MIN));
            assertThat(users(h, BotFilter.ACTIVITY)).isZero();
            assertThat(forgets(h)).isZero();
            h.close();
        }
        assertThat(queued).isEqualTo(3);
    }

    /** A filter not yet opened, the only subtask at {@link #MAX_PARALLELISM}, on the heap or RocksDB. */
    private static KeyedOneInputStreamOperatorTestHarness<String, Ingested, Ingested> oneOfOne(boolean rocksDb)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new BotFilter(BotSettings.from(conf())), BotFilter::userOf, Types.STRING, MAX_PARALLELISM, 1, 0);
        if (rocksDb) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        return h;
    }

    /** Subtask {@code subtask} of two, opened with its share of {@code snapshot} of a single subtask. */
    private static KeyedOneInputStreamOperatorTestHarness<String, Ingested, Ingested> restoredAsOneOfTwo(
            OperatorSubtaskState snapshot, int subtask) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new BotFilter(BotSettings.from(conf())), BotFilter::userOf, Types.STRING, MAX_PARALLELISM, 2, subtask);
        h.initializeState(
                AbstractStreamOperatorTestHarness.repartitionOperatorState(snapshot, MAX_PARALLELISM, 1, 2, subtask));
        h.open();
        return h;
    }

    /** Whether subtask {@code subtask} of two holds {@code user}. */
    private static boolean holds(int subtask, String user) {
        return KeyGroupRangeAssignment.assignKeyToParallelOperator(user, MAX_PARALLELISM, 2) == subtask;
    }

    @Test
    void aCheckpointRestoredIntoTwoSubtasksReleasesEveryHeldClickOnceWhereItsUserIs() throws Exception {
        List<Ingested> events = traffic();
        List<String> expected = uninterrupted(events);

        int cut = events.size() / 3;
        var one = oneOfOne(false);
        one.open();
        long watermark = feed(one, events, 0, cut, Long.MIN_VALUE);
        OperatorSubtaskState snapshot = one.snapshot(1, 1);
        List<String> all = verdicts(one);
        one.close();

        for (int subtask = 0; subtask < 2; subtask++) {
            var h = restoredAsOneOfTwo(snapshot, subtask);
            long w = watermark;
            for (Ingested e : events.subList(cut, events.size())) {
                if (holds(subtask, BotFilter.userOf(e))) {
                    h.processElement(e, ts(e));
                }
                if (ts(e) - 2_000 > w) {
                    w = ts(e) - 2_000;
                    h.processWatermark(new Watermark(w));
                }
            }
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            all = concat(all, verdicts(h));
            h.close();
        }
        assertThat(all).isEqualTo(expected);
    }

    /**
     * A checkpoint of the filter as earlier versions kept it: held clicks in keyed state, each user
     * with a wake-up timer, the activity with the field of that timer. Written by that version
     * ({@code bots/keyed-held-clicks.snapshot}): the bot's views at 1, 2 and 3 s released
     * (watermark 3 s), its views at 4 and 5 s and cart at 6 s held, a person's view at 4.5 s held.
     */
    @Test
    void aCheckpointOfTheKeyedLayoutOfEarlierVersionsReleasesItsHeldClicks() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new BotFilter(BotSettings.from(conf())), BotFilter::userOf, Types.STRING);
        h.initializeState(OperatorSnapshotUtil.getResourceFilename("bots/keyed-held-clicks.snapshot"));
        h.open();
        assertThat(h.numEventTimeTimers())
                .as("the earlier version's wake-up timers of both users and the bot's views' forget timer")
                .isEqualTo(3);
        assertThat(((BotFilter) h.getOperator()).pendingForgets())
                .as("the bot's views' forget, queued again from its activity")
                .isEqualTo(1);
        h.processElement(view("bot", 1, 7_000), 7_000);
        h.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(released(h)).containsExactly("human@4500#1");
        assertThat(suspicious(h))
                .containsExactly(
                        "bot@4000#1 repeat-item [4000, 604000)",
                        "bot@5000#1 repeat-item [4000, 605000)",
                        "bot@6000c repeat-item [4000, 605000)",
                        "bot@7000#1 repeat-item [4000, 607000)");
        assertThat(keyedEntries(h)).isZero();
        assertThat(forgets(h)).isZero();
        h.close();
    }
}
