package io.haitaopulse.uplift;

import java.util.Arrays;

/**
 * A user's PAID and RETURNED order events still needed by some campaign, or by the CUPED
 * covariate of an exposure that may still come: time, value in cents (quantity × unit price −
 * discount, over the event's lines) and kind. A Flink POJO.
 */
public class OrderLog {
    public long[] ts = new long[2];
    public long[] value = new long[2];
    public boolean[] paid = new boolean[2];
    /** Campaign of a PAID order that used a coupon, else null. */
    public String[] couponCampaign = new String[2];

    public int size;

    public OrderLog() {}

    void add(long t, long v, boolean isPaid, String couponCampaignId) {
        if (size == ts.length) {
            ts = Arrays.copyOf(ts, size * 2);
            value = Arrays.copyOf(value, size * 2);
            paid = Arrays.copyOf(paid, size * 2);
            couponCampaign = Arrays.copyOf(couponCampaign, size * 2);
        }
        ts[size] = t;
        value[size] = v;
        paid[size] = isPaid;
        couponCampaign[size] = couponCampaignId;
        size++;
    }

    /** Whether a PAID order in {@code [from, to]} used a coupon of campaign {@code id}. */
    boolean redeemedWithin(String id, long from, long to) {
        for (int i = 0; i < size; i++) {
            if (paid[i] && ts[i] >= from && ts[i] <= to && id.equals(couponCampaign[i])) {
                return true;
            }
        }
        return false;
    }

    /** Earliest PAID order at or before {@code t}, or {@link Long#MAX_VALUE}. */
    long firstPaidAtOrBefore(long t) {
        long first = Long.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            if (paid[i] && ts[i] <= t) {
                first = Math.min(first, ts[i]);
            }
        }
        return first;
    }

    /** Whether a PAID order falls in {@code [from, to]}. */
    boolean paidWithin(long from, long to) {
        for (int i = 0; i < size; i++) {
            if (paid[i] && ts[i] >= from && ts[i] <= to) {
                return true;
            }
        }
        return false;
    }

    /** Value of PAID orders minus value of RETURNED lines, both with time in {@code [from, to]}. */
    long netValueWithin(long from, long to) {
        long total = 0;
        for (int i = 0; i < size; i++) {
            if (ts[i] >= from && ts[i] <= to) {
                total += paid[i] ? value[i] : -value[i];
            }
        }
        return total;
    }

    /** Value of RETURNED lines with time in {@code [from, to]}. */
    long returnedValueWithin(long from, long to) {
        long total = 0;
        for (int i = 0; i < size; i++) {
            if (!paid[i] && ts[i] >= from && ts[i] <= to) {
                total += value[i];
            }
        }
        return total;
    }

    /** Keeps only the entries for which {@code keep} is true. */
    void retain(java.util.function.IntPredicate keep) {
        int w = 0;
        for (int i = 0; i < size; i++) {
            if (keep.test(i)) {
                ts[w] = ts[i];
                value[w] = value[i];
                paid[w] = paid[i];
                couponCampaign[w] = couponCampaign[i];
                w++;
            }
        }
        Arrays.fill(couponCampaign, w, size, null);
        size = w;
    }
}
