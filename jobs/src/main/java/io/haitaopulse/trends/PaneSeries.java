package io.haitaopulse.trends;

import io.haitaopulse.common.DistinctUsers;
import java.util.Arrays;

/**
 * Per-pane demand of one series (an item or a category total), panes sorted by start; only panes
 * still needed are kept. Viewers are tracked only when {@code viewers} is non-null. A Flink POJO.
 */
public class PaneSeries {
    public long[] starts = new long[2];
    public long[] views = new long[2];
    public long[] carts = new long[2];
    public long[] buys = new long[2];
    /** Distinct viewers per pane, or null for series that do not track them. */
    public DistinctUsers[] viewers;

    public int size;

    public PaneSeries() {}

    static PaneSeries withViewers() {
        PaneSeries s = new PaneSeries();
        s.viewers = new DistinctUsers[2];
        return s;
    }

    /** Adds partial counts of one pane. */
    void add(ItemPaneActivity a) {
        int i = indexOf(a.paneStart);
        views[i] += a.views;
        carts[i] += a.carts;
        buys[i] += a.buys;
        if (viewers != null) {
            viewers[i].merge(a.viewers);
        }
    }

    private int indexOf(long pane) {
        int i = size;
        while (i > 0 && starts[i - 1] > pane) {
            i--;
        }
        if (i > 0 && starts[i - 1] == pane) {
            return i - 1;
        }
        if (size == starts.length) {
            int n = size * 2;
            starts = Arrays.copyOf(starts, n);
            views = Arrays.copyOf(views, n);
            carts = Arrays.copyOf(carts, n);
            buys = Arrays.copyOf(buys, n);
            if (viewers != null) {
                viewers = Arrays.copyOf(viewers, n);
            }
        }
        int tail = size - i;
        System.arraycopy(starts, i, starts, i + 1, tail);
        System.arraycopy(views, i, views, i + 1, tail);
        System.arraycopy(carts, i, carts, i + 1, tail);
        System.arraycopy(buys, i, buys, i + 1, tail);
        starts[i] = pane;
        views[i] = 0;
        carts[i] = 0;
        buys[i] = 0;
        if (viewers != null) {
            System.arraycopy(viewers, i, viewers, i + 1, tail);
            viewers[i] = new DistinctUsers();
        }
        size++;
        return i;
    }

    /** Views, or distinct viewers, of the pane at index {@code i}. */
    long count(int i, boolean countViewers) {
        return countViewers ? viewers[i].count() : views[i];
    }

    /** Sum of {@code counts} over panes starting in {@code [from, to)}. */
    static long sum(PaneSeries s, long[] counts, long from, long to) {
        long total = 0;
        for (int i = 0; i < s.size; i++) {
            if (s.starts[i] >= from && s.starts[i] < to) {
                total += counts[i];
            }
        }
        return total;
    }

    /** Sum over panes starting in {@code [from, to)} of each pane's distinct viewers. */
    long paneViewersIn(long from, long to) {
        long total = 0;
        for (int i = 0; i < size; i++) {
            if (starts[i] >= from && starts[i] < to) {
                total += viewers[i].count();
            }
        }
        return total;
    }

    /**
     * {@link #paneViewersIn}{@code (end - (k + 1) span, end)} for every k below {@code out.length},
     * into {@code out[k]}, in one pass over the panes: each pane's count is read once and added
     * to every span that holds it.
     */
    void paneViewersBySpan(long end, long span, long[] out) {
        Arrays.fill(out, 0L);
        long from = end - out.length * span;
        for (int i = 0; i < size; i++) {
            long start = starts[i];
            if (start >= from && start < end) {
                long c = viewers[i].count();
                // The shortest span holding this pane, and every longer one.
                for (int k = (int) ((end - 1 - start) / span); k < out.length; k++) {
                    out[k] += c;
                }
            }
        }
    }

    /** Distinct viewers over panes starting in {@code [from, to)}. */
    long viewersIn(long from, long to) {
        DistinctUsers union = new DistinctUsers();
        for (int i = 0; i < size; i++) {
            if (starts[i] >= from && starts[i] < to) {
                union.merge(viewers[i]);
            }
        }
        return union.count();
    }

    /** Smallest pane start at or after {@code from}, or {@link Long#MAX_VALUE}. */
    long firstStartFrom(long from) {
        for (int i = 0; i < size; i++) {
            if (starts[i] >= from) {
                return starts[i];
            }
        }
        return Long.MAX_VALUE;
    }

    /** Drops panes starting before {@code minStart}. */
    void retainFrom(long minStart) {
        int drop = 0;
        while (drop < size && starts[drop] < minStart) {
            drop++;
        }
        if (drop == 0) {
            return;
        }
        int keep = size - drop;
        System.arraycopy(starts, drop, starts, 0, keep);
        System.arraycopy(views, drop, views, 0, keep);
        System.arraycopy(carts, drop, carts, 0, keep);
        System.arraycopy(buys, drop, buys, 0, keep);
        if (viewers != null) {
            System.arraycopy(viewers, drop, viewers, 0, keep);
            Arrays.fill(viewers, keep, size, null);
        }
        size = keep;
    }
}
