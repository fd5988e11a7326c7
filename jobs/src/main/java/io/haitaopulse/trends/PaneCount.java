package io.haitaopulse.trends;

/**
 * Views of one item under one category in one pane, as counted by one pre-aggregating subtask.
 * Several partial counts for the same (item, pane) may exist and are summed downstream. A Flink
 * POJO so that it is serialised without Kryo.
 */
public class PaneCount {
    public long itemId;
    public long categoryId;
    public long paneStart;
    public long views;

    public PaneCount() {}

    public PaneCount(long itemId, long categoryId, long paneStart, long views) {
        this.itemId = itemId;
        this.categoryId = categoryId;
        this.paneStart = paneStart;
        this.views = views;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PaneCount p && p.itemId == itemId && p.categoryId == categoryId
                && p.paneStart == paneStart && p.views == views;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(itemId * 31 + paneStart) ^ Long.hashCode(views);
    }

    @Override
    public String toString() {
        return "PaneCount{item=" + itemId + ", category=" + categoryId + ", pane=" + paneStart + ", views=" + views + "}";
    }
}
