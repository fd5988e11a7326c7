package io.haitaopulse.sourcing;

import io.haitaopulse.common.DistinctUsers;
import java.util.Arrays;

/**
 * One item's activity per day of the shop, days sorted: views and distinct viewers, PAID orders,
 * units and their value, RETURNED units, reviews (rating sum and count), complaints and
 * counterfeit complaints. A Flink POJO.
 */
public class ItemDays {
    public long[] day = new long[1];
    public long[] views = new long[1];
    public DistinctUsers[] viewers = new DistinctUsers[1];
    public long[] orders = new long[1];
    public long[] units = new long[1];
    public long[] revenue = new long[1];
    public long[] returned = new long[1];
    public long[] ratingSum = new long[1];
    public long[] ratings = new long[1];
    public long[] complaints = new long[1];
    public long[] counterfeit = new long[1];
    public int size;

    public ItemDays() {}

    /** Index of {@code d}, inserting an empty day if needed. */
    int at(long d) {
        int i = size;
        while (i > 0 && day[i - 1] > d) {
            i--;
        }
        if (i > 0 && day[i - 1] == d) {
            return i - 1;
        }
        if (size == day.length) {
            int n = size * 2;
            day = Arrays.copyOf(day, n);
            views = Arrays.copyOf(views, n);
            viewers = Arrays.copyOf(viewers, n);
            orders = Arrays.copyOf(orders, n);
            units = Arrays.copyOf(units, n);
            revenue = Arrays.copyOf(revenue, n);
            returned = Arrays.copyOf(returned, n);
            ratingSum = Arrays.copyOf(ratingSum, n);
            ratings = Arrays.copyOf(ratings, n);
            complaints = Arrays.copyOf(complaints, n);
            counterfeit = Arrays.copyOf(counterfeit, n);
        }
        int tail = size - i;
        for (long[] a :
                new long[][] {day, views, orders, units, revenue, returned, ratingSum, ratings, complaints, counterfeit
                }) {
            System.arraycopy(a, i, a, i + 1, tail);
            a[i] = 0;
        }
        System.arraycopy(viewers, i, viewers, i + 1, tail);
        day[i] = d;
        viewers[i] = new DistinctUsers();
        size++;
        return i;
    }

    /** Adds every day of {@code o}. */
    void merge(ItemDays o) {
        for (int j = 0; j < o.size; j++) {
            int i = at(o.day[j]);
            views[i] += o.views[j];
            viewers[i].merge(o.viewers[j]);
            orders[i] += o.orders[j];
            units[i] += o.units[j];
            revenue[i] += o.revenue[j];
            returned[i] += o.returned[j];
            ratingSum[i] += o.ratingSum[j];
            ratings[i] += o.ratings[j];
            complaints[i] += o.complaints[j];
            counterfeit[i] += o.counterfeit[j];
        }
    }

    /** Drops days before {@code firstDay}. */
    void dropBefore(long firstDay) {
        int drop = 0;
        while (drop < size && day[drop] < firstDay) {
            drop++;
        }
        if (drop == 0) {
            return;
        }
        int keep = size - drop;
        for (long[] a :
                new long[][] {day, views, orders, units, revenue, returned, ratingSum, ratings, complaints, counterfeit
                }) {
            System.arraycopy(a, drop, a, 0, keep);
        }
        System.arraycopy(viewers, drop, viewers, 0, keep);
        Arrays.fill(viewers, keep, size, null);
        size = keep;
    }
}
