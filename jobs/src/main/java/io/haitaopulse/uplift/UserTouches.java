package io.haitaopulse.uplift;

import java.util.Arrays;

/**
 * One user's attribution state: the last click (for 30-minute sessions), the non-direct touches
 * of the lookback period, and whether an order was seen. A Flink POJO.
 */
public class UserTouches {
    public long lastClick = Long.MIN_VALUE;
    public long lastActivity = Long.MIN_VALUE;
    public boolean ordered;
    public long[] ts = new long[2];
    public String[] channel = new String[2];
    public String[] campaign = new String[2];
    public String[] token = new String[2];
    public int size;
    /**
     * When the user's forget timer fires; at or before the current time when none is set (state
     * written before this field existed restores with none, and its older timers still fire).
     */
    public long forgetAt = Long.MIN_VALUE;
    /**
     * Whether {@link #pendingFrom} is known. False in new state, and in state written before these
     * fields existed, which restores it as false: the waiting list is read once and the bound set.
     */
    public boolean pendingKnown;
    /**
     * When {@link #pendingKnown}: at or before the event time of every event of the user waiting
     * for its timer ({@link Long#MAX_VALUE}: none waits), so that a click released by the bot
     * filter before it needs no look at the waiting list.
     */
    public long pendingFrom;

    public UserTouches() {}

    void addTouch(long t, String ch, String camp, String tok) {
        if (size == ts.length) {
            ts = Arrays.copyOf(ts, size * 2);
            channel = Arrays.copyOf(channel, size * 2);
            campaign = Arrays.copyOf(campaign, size * 2);
            token = Arrays.copyOf(token, size * 2);
        }
        ts[size] = t;
        channel[size] = ch;
        campaign[size] = camp;
        token[size] = tok;
        size++;
    }

    /** Drops touches before {@code from}; touches are added in time order. */
    void dropBefore(long from) {
        int drop = 0;
        while (drop < size && ts[drop] < from) {
            drop++;
        }
        if (drop > 0) {
            int keep = size - drop;
            System.arraycopy(ts, drop, ts, 0, keep);
            System.arraycopy(channel, drop, channel, 0, keep);
            System.arraycopy(campaign, drop, campaign, 0, keep);
            System.arraycopy(token, drop, token, 0, keep);
            Arrays.fill(channel, keep, size, null);
            Arrays.fill(campaign, keep, size, null);
            Arrays.fill(token, keep, size, null);
            size = keep;
        }
    }

    /** Index of the last touch at or before {@code t}, or -1. */
    int lastAtOrBefore(long t) {
        for (int i = size - 1; i >= 0; i--) {
            if (ts[i] <= t) {
                return i;
            }
        }
        return -1;
    }
}
