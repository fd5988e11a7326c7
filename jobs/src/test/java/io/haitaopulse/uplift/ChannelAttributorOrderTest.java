package io.haitaopulse.uplift;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.bots.BotFilter;
import io.haitaopulse.bots.BotOptions;
import io.haitaopulse.bots.BotSettings;
import io.haitaopulse.io.EventTime;
import io.haitaopulse.schema.Channel;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.internal.Ingested;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Channel attribution is a function of each user's events in event-time order, whatever their
 * arrival order and however the watermark moves: the operator's credits equal those of a direct
 * reading of every user's sorted events (written here without the operator's code).
 */
class ChannelAttributorOrderTest {

    private static final long SESSION_GAP = 30;
    private static final long LOOKBACK = 200;
    /** Longer than the input: no user is forgotten here (the TTL has tests of its own). */
    private static final long TTL = 1_000_000;

    private static final Channel[] CHANNELS = Channel.values();

    private record Event(
            String user,
            long ts,
            boolean order,
            Channel channel,
            String campaign,
            String token,
            long cents,
            int arrival) {

        Ingested ingested() {
            if (order) {
                return UpliftStateTest.paid(user, ts, cents);
            }
            return new Ingested(
                    Click.newBuilder()
                            .setEventId("e" + arrival + user)
                            .setUserId(user)
                            .setItemId(1L)
                            .setCategoryId(2L)
                            .setAction(ClickAction.VIEW)
                            .setTs(Instant.ofEpochMilli(ts))
                            .setChannel(channel)
                            .setCampaignId(campaign)
                            .setReferrerToken(token)
                            .build(),
                    Long.MIN_VALUE);
        }
    }

    private static String credit(
            String user,
            boolean order,
            String channel,
            String campaign,
            String token,
            long cents,
            boolean newUser,
            long ts) {
        return user + (order ? " order " : " session ") + channel + "/" + campaign + "/" + token + " " + cents
                + (newUser ? " new" : "") + " @" + ts;
    }

    private static String credit(AttributionCredit c) {
        return credit(c.userId, c.order, c.channel, c.campaignId, c.referrerToken, c.gmvCents, c.newUser, c.ts);
    }

    /** The credits of every user, read straight from their events sorted by time (clicks first within a millisecond). */
    private static List<String> expected(List<Event> events) {
        Map<String, List<Event>> byUser = new HashMap<>();
        for (Event e : events) {
            byUser.computeIfAbsent(e.user(), u -> new ArrayList<>()).add(e);
        }
        List<String> credits = new ArrayList<>();
        for (List<Event> mine : byUser.values()) {
            mine.sort(Comparator.comparingLong(Event::ts)
                    .thenComparing(Event::order)
                    .thenComparingInt(Event::arrival));
            Long lastClick = null;
            boolean ordered = false;
            List<Event> touches = new ArrayList<>();
            for (Event e : mine) {
                if (!e.order()) {
                    Channel ch = e.channel() == null ? Channel.DIRECT : e.channel();
                    String campaign = e.campaign() == null ? "" : e.campaign();
                    if (lastClick == null || e.ts() - lastClick > SESSION_GAP) {
                        credits.add(credit(e.user(), false, ch.name(), campaign, null, 0, false, e.ts()));
                    }
                    lastClick = e.ts();
                    if (ch != Channel.DIRECT) {
                        touches.add(e);
                    }
                } else {
                    Event touch = null;
                    for (Event t : touches) {
                        if (t.ts() >= e.ts() - LOOKBACK && t.ts() <= e.ts()) {
                            touch = t; // the last one in time order wins
                        }
                    }
                    boolean isNew = !ordered;
                    ordered = true;
                    credits.add(
                            touch == null
                                    ? credit(e.user(), true, "DIRECT", "", null, e.cents(), isNew, e.ts())
                                    : credit(
                                            e.user(),
                                            true,
                                            touch.channel().name(),
                                            touch.campaign() == null ? "" : touch.campaign(),
                                            touch.token(),
                                            e.cents(),
                                            isNew,
                                            e.ts()));
                }
            }
        }
        Collections.sort(credits);
        return credits;
    }

    /** One of 12 users' clicks (four in five) or PAID orders, at one of 500 milliseconds. */
    private static Event randomEvent(Random r, int arrival) {
        String user = "u" + r.nextInt(12);
        // Few distinct milliseconds: many events share one, clicks and orders alike.
        long ts = 10 + r.nextInt(1_500) / 3 * 3;
        boolean order = r.nextInt(5) == 0;
        Channel ch = r.nextInt(4) == 0 ? null : CHANNELS[r.nextInt(CHANNELS.length)];
        String campaign = r.nextBoolean() ? "c" + r.nextInt(3) : null;
        String token = ch == Channel.REFERRAL ? "t" + r.nextInt(5) : null;
        return new Event(user, ts, order, ch, campaign, token, 100 + r.nextInt(900), arrival);
    }

    @Test
    void creditsAreThoseOfEachUsersEventsInTimeOrderWhateverTheArrivalOrder() throws Exception {
        for (int seed = 1; seed <= 20; seed++) {
            Random r = new Random(seed);
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                events.add(randomEvent(r, -1));
            }
            // Arrival: time order disturbed by up to 120 ms; the watermark trails the newest event
            // by 120 ms, so every event arrives on time, most of them ahead of the watermark.
            List<Event> arrival = new ArrayList<>(events);
            List<Long> jitter = new ArrayList<>();
            for (int i = 0; i < arrival.size(); i++) {
                jitter.add(arrival.get(i).ts() + r.nextInt(120));
            }
            Integer[] order = new Integer[arrival.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, Comparator.comparingLong(jitter::get));
            // Events of one user, millisecond and kind keep their arrival order (which of two clicks
            // of one millisecond starts a session): the reading below needs each event's rank.
            for (int k = 0; k < order.length; k++) {
                Event e = arrival.get(order[k]);
                events.set(
                        order[k],
                        new Event(e.user(), e.ts(), e.order(), e.channel(), e.campaign(), e.token(), e.cents(), k));
            }
            arrival = new ArrayList<>(events);

            var h = new KeyedOneInputStreamOperatorTestHarness<String, Ingested, AttributionCredit>(
                    new KeyedProcessOperator<>(new ChannelAttributor(SESSION_GAP, LOOKBACK, TTL)),
                    i -> i.getBody() instanceof Order o ? o.getUserId() : ((Click) i.getBody()).getUserId(),
                    Types.STRING);
            h.open();
            long newest = Long.MIN_VALUE;
            long watermark = Long.MIN_VALUE;
            for (Integer i : order) {
                Event e = arrival.get(i);
                h.processElement(e.ingested(), e.ts());
                newest = Math.max(newest, e.ts());
                if (r.nextInt(7) == 0 && newest - 120 > watermark) {
                    watermark = newest - 120;
                    h.processWatermark(watermark);
                }
            }
            h.processWatermark(10_000);
            List<String> actual = new ArrayList<>();
            for (AttributionCredit c : h.extractOutputValues()) {
                actual.add(credit(c));
            }
            Collections.sort(actual);
            assertThat(actual).as("seed %d", seed).isEqualTo(expected(events));
            h.close();
        }
    }

    @Test
    void anEventBehindTheWatermarkIsAppliedOnTheNextOneBeforeTheEventsAfterIt() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<String, Ingested, AttributionCredit>(
                new KeyedProcessOperator<>(new ChannelAttributor(SESSION_GAP, LOOKBACK, TTL)),
                i -> i.getBody() instanceof Order o ? o.getUserId() : ((Click) i.getBody()).getUserId(),
                Types.STRING);
        h.open();
        h.processElement(new Event("u1", 100, false, Channel.WECHAT, "c1", null, 0, 1).ingested(), 100);
        h.processWatermark(150);
        // Held: an order ahead of the watermark; then a click behind it, which must credit it.
        h.processElement(new Event("u1", 190, true, null, null, null, 700, 2).ingested(), 190);
        h.processElement(new Event("u1", 120, false, Channel.WEIBO, "c2", null, 0, 3).ingested(), 120);
        h.processWatermark(200);
        List<String> actual = new ArrayList<>();
        for (AttributionCredit c : h.extractOutputValues()) {
            actual.add(credit(c));
        }
        assertThat(actual)
                .containsExactly(
                        credit("u1", false, "WECHAT", "c1", null, 0, false, 100),
                        credit("u1", true, "WEIBO", "c2", null, 700, true, 190));
        h.close();
    }

    /**
     * Behind the bot filter, the attributor that applies released clicks on arrival gives exactly
     * the timer-only attributor's credits, each before the same watermark: random users' clicks
     * and orders, disordered, some behind the watermark, some late at their own source, a few users
     * blacklisted, all through the real bot filter and its watermarks.
     */
    @Test
    void behindTheBotFilterClicksAppliedOnArrivalCreditExactlyAsTheirTimersWould() throws Exception {
        long credits = 0;
        // Timers pending after each event, summed over the run: fewer when clicks need none.
        long timersSaved = 0;
        for (int seed = 1; seed <= 20; seed++) {
            Random r = new Random(seed);
            List<Object> released = releasedByBotFilter(r);
            var inOrder = attributor(true);
            var byTimer = attributor(false);
            for (Object o : released) {
                feed(inOrder, List.of(o));
                feed(byTimer, List.of(o));
                if (!(o instanceof Watermark)) {
                    timersSaved += byTimer.numEventTimeTimers() - inOrder.numEventTimeTimers();
                }
            }
            assertThat(creditsBetweenWatermarks(inOrder))
                    .as("seed %d", seed)
                    .isEqualTo(creditsBetweenWatermarks(byTimer));
            credits += inOrder.extractOutputValues().size();
            inOrder.close();
            byTimer.close();
        }
        assertThat(timersSaved)
                .as("timers the clicks applied on arrival did not need")
                .isPositive();
        assertThat(credits).isPositive();
    }

    /**
     * The bound on a user's pending events that spares most released clicks a look at the pending
     * list stays a bound across restores into a job without the bot filter (every event by its
     * timer) and back: the credits are the timer-only attributor's.
     */
    @Test
    void clicksAppliedOnArrivalStayExactAcrossRestoresWithoutTheFilterAndBack() throws Exception {
        long credits = 0;
        for (int seed = 1; seed <= 20; seed++) {
            Random r = new Random(seed);
            List<Object> released = releasedByBotFilter(r);
            var byTimer = attributor(false);
            feed(byTimer, released);
            List<String> expected = sorted(byTimer.extractOutputValues());
            byTimer.close();

            List<AttributionCredit> actual = new ArrayList<>();
            int third = released.size() / 3;
            var h = attributor(true);
            feed(h, released.subList(0, third));
            actual.addAll(h.extractOutputValues());
            OperatorSubtaskState first = h.snapshot(1L, 1L);
            h.close();
            h = restored(false, first);
            feed(h, released.subList(third, 2 * third));
            actual.addAll(h.extractOutputValues());
            OperatorSubtaskState second = h.snapshot(2L, 2L);
            h.close();
            h = restored(true, second);
            feed(h, released.subList(2 * third, released.size()));
            actual.addAll(h.extractOutputValues());
            h.close();

            assertThat(sorted(actual)).as("seed %d", seed).isEqualTo(expected);
            credits += expected.size();
        }
        assertThat(credits).isPositive();
    }

    /**
     * Random users' clicks and orders, disordered, some behind the watermark, some late at their
     * own source, a few users blacklisted, through the real bot filter: its output, records and
     * watermarks, in order.
     */
    private static List<Object> releasedByBotFilter(Random r) throws Exception {
        List<Ingested> input = new ArrayList<>();
        List<Long> arrival = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            Ingested e = randomEvent(r, i).ingested();
            long ts = EventTime.of(e);
            // One in 20 late at its own source (passed at once by the filter), one in 20 far
            // behind the watermark when it arrives.
            if (r.nextInt(20) == 0) {
                e.setSourceWatermark(ts + r.nextInt(40));
            }
            input.add(e);
            arrival.add(ts + (r.nextInt(20) == 0 ? 200 + r.nextInt(300) : r.nextInt(120)));
        }
        Integer[] order = new Integer[input.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingLong(arrival::get));

        Configuration conf = new Configuration();
        conf.set(BotOptions.MAX_ITEM_VIEWS_PER_MINUTE, 44);
        conf.set(BotOptions.MAX_VIEWS_PER_MINUTE, 44);
        conf.set(BotOptions.BLACKLIST, java.time.Duration.ofMinutes(1));
        var filter = new KeyedOneInputStreamOperatorTestHarness<>(
                new BotFilter(BotSettings.from(conf)), BotFilter::userOf, Types.STRING);
        filter.open();
        long newest = Long.MIN_VALUE;
        long watermark = Long.MIN_VALUE;
        for (Integer i : order) {
            Ingested e = input.get(i);
            long ts = EventTime.of(e);
            filter.processElement(e, ts);
            newest = Math.max(newest, ts);
            if (r.nextInt(7) == 0 && newest - 120 > watermark) {
                watermark = newest - 120;
                filter.processWatermark(watermark);
            }
        }
        filter.processWatermark(10_000);
        List<Object> released = new ArrayList<>(filter.getOutput());
        filter.close();
        return released;
    }

    private static void feed(
            KeyedOneInputStreamOperatorTestHarness<String, Ingested, AttributionCredit> h, List<Object> released)
            throws Exception {
        for (Object o : released) {
            if (o instanceof Watermark w) {
                h.processWatermark(w);
            } else {
                @SuppressWarnings("unchecked")
                StreamRecord<Ingested> record = (StreamRecord<Ingested>) o;
                h.processElement(record.getValue(), record.getTimestamp());
            }
        }
    }

    private static List<String> sorted(List<AttributionCredit> credits) {
        List<String> out = new ArrayList<>();
        for (AttributionCredit c : credits) {
            out.add(credit(c));
        }
        Collections.sort(out);
        return out;
    }

    /** An attributor of the given kind, restored from {@code state} unless it is null. */
    private static KeyedOneInputStreamOperatorTestHarness<String, Ingested, AttributionCredit> restored(
            boolean releasedInOrder, OperatorSubtaskState state) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<String, Ingested, AttributionCredit>(
                new KeyedProcessOperator<>(new ChannelAttributor(SESSION_GAP, LOOKBACK, TTL, releasedInOrder)),
                BotFilter::userOf,
                Types.STRING);
        if (state != null) {
            h.initializeState(state);
        }
        h.open();
        return h;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Ingested, AttributionCredit> attributor(
            boolean releasedInOrder) throws Exception {
        return restored(releasedInOrder, null);
    }

    /**
     * The credits emitted between each two watermarks, each span's sorted. Checks that every
     * credit's record timestamp is ahead of the watermark before it and at or before its time: a
     * credit applied on arrival carries its click's record time (the bot filter releases a click at
     * its event time), its timer's credit its own time, and nothing downstream reads either.
     */
    private static List<List<String>> creditsBetweenWatermarks(
            KeyedOneInputStreamOperatorTestHarness<String, Ingested, AttributionCredit> h) {
        List<List<String>> spans = new ArrayList<>();
        List<String> span = new ArrayList<>();
        long watermark = Long.MIN_VALUE;
        for (Object o : h.getOutput()) {
            if (o instanceof Watermark w) {
                Collections.sort(span);
                spans.add(span);
                span = new ArrayList<>();
                watermark = w.getTimestamp();
            } else {
                @SuppressWarnings("unchecked")
                StreamRecord<AttributionCredit> record = (StreamRecord<AttributionCredit>) o;
                AttributionCredit c = record.getValue();
                if (c.ts > watermark) {
                    assertThat(record.getTimestamp())
                            .as("record time of %s", credit(c))
                            .isBetween(watermark + 1, c.ts);
                }
                span.add(credit(c));
            }
        }
        Collections.sort(span);
        spans.add(span);
        return spans;
    }
}
