package io.haitaopulse.trends;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The per-pane view counts of one item, kept only while a window that still accepts data needs
 * them, with the category each count was viewed under. Mostly one or two panes, so small
 * parallel arrays beat a map; and almost always one category, so the category of every entry is
 * kept in {@link #category} until a second one appears (then {@link #cats} holds one per entry).
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

    /** The category of every entry while {@link #cats} is null. */
    public long category;
    /**
     * Per entry, the category its views came under; null while every entry has {@link #category}
     * (an item listed under two categories is rare, and this keeps the common case one array
     * smaller and its window step free of per-category bookkeeping).
     */
    public long[] cats;

    public int size;

    public ItemPanes() {}

    /**
     * Adds {@code views} under {@code categoryId} to the pane starting at {@code paneStart}, for
     * windows ending at or after {@code fromWindowEnd}.
     */
    public void add(long paneStart, long views, long fromWindowEnd, long categoryId) {
        if (froms == null) {
            froms = new long[starts.length];
        }
        if (size == 0) {
            category = categoryId;
            cats = null;
        } else if (cats == null && categoryId != category) {
            cats = new long[starts.length];
            Arrays.fill(cats, 0, size, category);
        }
        for (int i = 0; i < size; i++) {
            if (starts[i] == paneStart && froms[i] == fromWindowEnd && (cats == null || cats[i] == categoryId)) {
                counts[i] += views;
                return;
            }
        }
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
            froms = Arrays.copyOf(froms, size * 2);
            if (cats != null) {
                cats = Arrays.copyOf(cats, size * 2);
            }
        }
        starts[size] = paneStart;
        counts[size] = views;
        froms[size] = fromWindowEnd;
        if (cats != null) {
            cats[size] = categoryId;
        }
        size++;
    }

    /** Whether the views came under more than one category (then {@link #category} is not all). */
    public boolean mixed() {
        return cats != null;
    }

    /**
     * Per category, the views that {@link #sum}{@code (from, to)} counts: {@code {category, views}}
     * pairs in order of first appearance, only categories with views in the window. For a
     * {@link #mixed} item; a single category's views are {@link #sum}.
     */
    public List<long[]> sumByCategory(long from, long to) {
        List<long[]> sums = new ArrayList<>(2);
        for (int i = 0; i < size; i++) {
            if (starts[i] >= from && starts[i] < to && (froms == null || froms[i] <= to)) {
                long c = cats == null ? category : cats[i];
                long[] hit = null;
                for (long[] s : sums) {
                    if (s[0] == c) {
                        hit = s;
                        break;
                    }
                }
                if (hit == null) {
                    sums.add(new long[] {c, counts[i]});
                } else {
                    hit[1] += counts[i];
                }
            }
        }
        return sums;
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
                if (cats != null) {
                    cats[w] = cats[i];
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
                if (cats != null) {
                    cats[w] = cats[i];
                }
                w++;
            }
        }
        size = w;
        return size > 0;
    }
}
