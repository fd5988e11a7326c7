package io.haitaopulse.sourcing;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.common.DistinctUsers;
import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.io.InputExtent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The distinct viewers of the item snapshots, hour by hour over days of views, against a direct
 * reading of the views. The shop's clock is UTC+05:30, so the hourly slot from 18:00 to 19:00 UTC
 * spans the shop's midnight: folding it closes a day and adds to it at once, and the viewers kept
 * for closed days must include that day's last half hour.
 */
class ItemSourcingTest {

    private static final long HOUR = 3_600_000L;
    private static final long DAY = ItemSourcing.DAY;
    private static final long TZ = 19_800_000L; // +05:30
    private static final int LOOKBACK = 3;
    private static final int DAYS = 7;

    /** A view of item 1 (category 7) by {@code user} at {@code ts}. */
    private static ItemEvent view(long ts, int user) {
        ItemEvent e = new ItemEvent();
        e.itemId = 1;
        e.categoryId = 7;
        e.ts = ts;
        e.kind = ItemEvent.VIEW;
        e.userHash = DistinctUsers.hash("u" + user);
        return e;
    }

    /** Views at random times, every one of the shop's days, with users drawn from {@code pool}. */
    private static List<ItemEvent> views(int pool, int perHour, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<ItemEvent> views = new ArrayList<>();
        for (long hour = 0; hour < DAYS * 24; hour++) {
            // Quiet hours too, so some days and slots hold nothing.
            int n = hour % 24 == 3 ? 0 : r.nextInt(perHour + 1);
            List<Long> times = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                times.add(hour * HOUR + r.nextLong(HOUR));
            }
            times.sort(null);
            for (long ts : times) {
                views.add(view(ts, r.nextInt(pool)));
            }
        }
        return views;
    }

    /** Every snapshot the operator emits for {@code views}, with a watermark at each hour. */
    private static List<ItemSnapshot> snapshots(List<ItemEvent> views) throws Exception {
        ItemSourcing f = new ItemSourcing(new SlidingWindows(HOUR, HOUR, 0), LOOKBACK, TZ);
        KeyedBroadcastOperatorTestHarness<Long, ItemEvent, Long, ItemSnapshot> h =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        f, e -> e.itemId, Types.LONG, InputExtent.STATE);
        try {
            long nextHour = HOUR;
            for (ItemEvent e : views) {
                while (e.ts >= nextHour) {
                    h.watermark(nextHour - 1);
                    nextHour += HOUR;
                }
                h.processElement(e, e.ts);
            }
            h.watermark(DAYS * DAY - 1);
            return h.extractOutputValues();
        } finally {
            h.close();
        }
    }

    private static long dayOf(long ts) {
        return Math.floorDiv(ts + TZ, DAY);
    }

    /** The views a snapshot as of {@code asOf} covers: before it, in its lookback. */
    private static List<ItemEvent> covered(List<ItemEvent> views, long asOf) {
        long firstDay = dayOf(asOf - 1) - LOOKBACK + 1;
        return views.stream()
                .filter(v -> v.ts < asOf && dayOf(v.ts) >= firstDay)
                .toList();
    }

    @Test
    void viewersAreTheDistinctUsersOfTheLookbackAtEveryHour() throws Exception {
        // 40 users at most: every count stays exact, so the reference is a plain set.
        List<ItemEvent> views = views(40, 4, 11);
        List<ItemSnapshot> out = snapshots(views);

        assertThat(out).hasSizeGreaterThan((DAYS - 1) * 24);
        int acrossMidnight = 0;
        for (ItemSnapshot s : out) {
            Set<Long> users = new HashSet<>();
            covered(views, s.asOf).forEach(v -> users.add(v.userHash));
            assertThat(s.viewers).as("viewers as of %d", s.asOf).isEqualTo(users.size());
            if (Math.floorMod(s.asOf + TZ, DAY) == HOUR / 2) {
                acrossMidnight++;
            }
        }
        assertThat(acrossMidnight).isGreaterThanOrEqualTo(DAYS - 1);
    }

    @Test
    void viewersBeyondTheExactLimitEqualTheMergeOfEveryDay() throws Exception {
        // Up to 90 views an hour from 2,000 users: days and lookbacks far past the exact limit.
        List<ItemEvent> views = views(2_000, 90, 12);
        List<ItemSnapshot> out = snapshots(views);

        assertThat(out).hasSizeGreaterThan((DAYS - 1) * 24);
        boolean estimated = false;
        for (ItemSnapshot s : out) {
            // Per day, then merged day by day: the computation before closed days were kept.
            long lastDay = dayOf(s.asOf - 1);
            DistinctUsers all = new DistinctUsers();
            for (long d = lastDay - LOOKBACK + 1; d <= lastDay; d++) {
                DistinctUsers day = new DistinctUsers();
                for (ItemEvent v : covered(views, s.asOf)) {
                    if (dayOf(v.ts) == d) {
                        day.add(v.userHash);
                    }
                }
                all.merge(day);
            }
            estimated |= !all.isExact();
            assertThat(s.viewers).as("viewers as of %d", s.asOf).isEqualTo(all.count());
        }
        assertThat(estimated).isTrue();
    }
}
