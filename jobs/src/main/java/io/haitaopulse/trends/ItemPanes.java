package io.haitaopulse.trends;

import java.util.Arrays;

/**
 * The per-pane view counts of one item in one scope, kept only while a window that still
 * accepts data needs them. Mostly one or two panes, so two small parallel arrays beat a map.
 * A Flink POJO (public fields, no-arg constructor) so that state is serialised without Kryo.
 */
public class ItemPanes {
    /** Pane starts, unordered; only the first {@link #size} entries are used. */
    public long[] starts = new long[2];
    /** Views per pane, parallel to {@link #starts}. */
    public long[] counts = new long[2];
    /**
     * Per entry, the first window end the views may count in (0: every window of the pane); see
     * {@link PaneCount}. Null in state written before it existed: all zero.
     */
    public long[] froms = new long[2];

    public int size;

    public ItemPanes() {}

    /** Adds {@code views} to the pane starting at {@code paneStart}, for every window of the pane. */
    public void add(long paneStart, long views) {
        add(paneStart, views, 0L);
    }

    /** Adds {@code views} to the pane starting at {@code paneStart}, for windows ending at or after {@code fromWindowEnd}. */
    public void add(long paneStart, long views, long fromWindowEnd) {
        if (froms == null) {
            froms = new long[starts.length];
        }
        for (int i = 0; i < size; i++) {
            if (starts[i] == paneStart && froms[i] == fromWindowEnd) {
                counts[i] += views;
                return;
            }
        }
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
            froms = Arrays.copyOf(froms, size * 2);
        }
        starts[size] = paneStart;
        counts[size] = views;
        froms[size] = fromWindowEnd;
        size++;
    }

    /** Views in panes starting within {@code [from, to)} that count in the window ending at {@code to}. */
    public long sum(long from, long to) {
        long total = 0;
        for (int i = 0; i < size; i++) {
            if (starts[i] >= from && starts[i] < to && (froms == null || froms[i] <= to)) {
                total += counts[i];
            }
        }
        return total;
    }

    /**
     * {@link #sum}{@code (from, to)} and then {@link #retainFrom}{@code (minStart)} in one pass
     * over the panes (a window firing visits every item of its scope).
     */
    public long sumThenRetain(long from, long to, long minStart) {
        long total = 0;
        int w = 0;
        for (int i = 0; i < size; i++) {
            long start = starts[i];
            long from_ = froms == null ? 0L : froms[i];
            if (start >= from && start < to && from_ <= to) {
                total += counts[i];
            }
            if (start >= minStart) {
                starts[w] = start;
                counts[w] = counts[i];
                if (froms != null) {
                    froms[w] = from_;
                }
                w++;
            }
        }
        size = w;
        return total;
    }

    /** Smallest pane start at or after {@code from}, or {@link Long#MAX_VALUE} when there is none. */
    public long minStartFrom(long from) {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            if (starts[i] >= from) {
                min = Math.min(min, starts[i]);
            }
        }
        return min;
    }

    /** Drops panes starting before {@code minStart}; returns whether any pane remains. */
    public boolean retainFrom(long minStart) {
        int w = 0;
        for (int i = 0; i < size; i++) {
            if (starts[i] >= minStart) {
                starts[w] = starts[i];
                counts[w] = counts[i];
                if (froms != null) {
                    froms[w] = froms[i];
                }
                w++;
            }
        }
        size = w;
        return size > 0;
    }
}
