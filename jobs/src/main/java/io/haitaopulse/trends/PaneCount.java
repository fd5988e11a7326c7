package io.haitaopulse.trends;

/**
 * Views of one item under one category in one pane, as counted by one pre-aggregating subtask.
 * Several partial counts for the same (item, pane) may exist and are summed downstream. Counts
 * cross the hot-items exchange in {@link ShardPaneCounts}, whose {@link ShardPaneCountsSerializer}
 * writes every field by hand: a field added here must be added there.
 *
 * <p>{@code fromWindowEnd} is 0 for views that count in every window of their pane. Views that
 * were partly late at their source count only in windows ending at or after it: the source's
 * verdict travels with the count, because the keyed operator downstream closes windows on the
 * slowest source's watermark and would otherwise decide differently depending on how far the
 * other sources have got.
 */
public class PaneCount {
    public long itemId;
    public long categoryId;
    public long paneStart;
    public long views;
    public long fromWindowEnd;

    public PaneCount() {}

    public PaneCount(long itemId, long categoryId, long paneStart, long views) {
        this(itemId, categoryId, paneStart, views, 0L);
    }

    public PaneCount(long itemId, long categoryId, long paneStart, long views, long fromWindowEnd) {
        this.itemId = itemId;
        this.categoryId = categoryId;
        this.paneStart = paneStart;
        this.views = views;
        this.fromWindowEnd = fromWindowEnd;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PaneCount p
                && p.itemId == itemId
                && p.categoryId == categoryId
                && p.paneStart == paneStart
                && p.views == views
                && p.fromWindowEnd == fromWindowEnd;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(itemId * 31 + paneStart) ^ Long.hashCode(views);
    }

    @Override
    public String toString() {
        return "PaneCount{item=" + itemId + ", category=" + categoryId + ", pane=" + paneStart + ", views=" + views
                + (fromWindowEnd == 0 ? "" : ", from=" + fromWindowEnd) + "}";
    }
}
