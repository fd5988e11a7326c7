package io.haitaopulse.sourcing;

import io.haitaopulse.common.DistinctUsers;

/**
 * The distinct viewers of an item's closed days (every day of its lookback before the current
 * one), merged once and reused at each cadence boundary of the current day: a snapshot then merges
 * one day into a copy of this union instead of every day of the lookback, 28 by default, one sketch
 * union each. At the hourly default that is 24 merges of the lookback a day instead of 24 × 28.
 *
 * <p>The count is the same as merging every day in order: a {@link DistinctUsers} union is exact
 * or a sketch depending only on the users and days merged, and the sketch's registers and estimate
 * depend only on the set of users, not on the order or grouping of the merges.
 *
 * <p>Kept while its days are the same: the same first and last day, and the same number of views
 * in them. Viewers change only with views, so a view added to a closed day (which the cadence
 * slots do not do: a slot is folded before any snapshot after its end) would rebuild it too. A
 * Flink POJO, kept in keyed state beside the days; a state restored without it rebuilds it at the
 * next snapshot.
 */
public class ClosedViewers {

    /** First day in {@link #users}. */
    public long firstDay;

    /** Last day in {@link #users}, inclusive. */
    public long lastDay;

    /** Views on the days {@link #firstDay} to {@link #lastDay} when {@link #users} was merged. */
    public long views;

    /** The union of the viewers of the days {@link #firstDay} to {@link #lastDay} of the item. */
    public DistinctUsers users;

    /** For Flink's POJO serializer. */
    public ClosedViewers() {}

    /**
     * The union of the closed days of {@code days}, those before {@code lastDay} (the current day,
     * the newest it may hold): {@code cached} while it still spans them, else merged anew; null when
     * no day is closed.
     */
    static ClosedViewers refresh(ClosedViewers cached, ItemDays days, long lastDay) {
        int closed = closedDays(days, lastDay);
        if (closed == 0) {
            return null;
        }
        long views = 0;
        for (int i = 0; i < closed; i++) {
            views += days.views[i];
        }
        if (cached != null
                && cached.firstDay == days.day[0]
                && cached.lastDay == days.day[closed - 1]
                && cached.views == views) {
            return cached;
        }
        ClosedViewers union = new ClosedViewers();
        union.firstDay = days.day[0];
        union.lastDay = days.day[closed - 1];
        union.views = views;
        union.users = new DistinctUsers();
        for (int i = 0; i < closed; i++) {
            union.users.merge(days.viewers[i]);
        }
        return union;
    }

    /**
     * The viewers of every day of {@code days}: {@code union} (what {@link #refresh} returned for
     * the same days and {@code lastDay}) and the days after it.
     */
    static DistinctUsers all(ClosedViewers union, ItemDays days, long lastDay) {
        DistinctUsers viewers = union == null ? new DistinctUsers() : union.users.copy();
        for (int i = closedDays(days, lastDay); i < days.size; i++) {
            viewers.merge(days.viewers[i]);
        }
        return viewers;
    }

    /** How many of the (sorted) days come before {@code lastDay}. */
    private static int closedDays(ItemDays days, long lastDay) {
        int closed = 0;
        while (closed < days.size && days.day[closed] < lastDay) {
            closed++;
        }
        return closed;
    }
}
