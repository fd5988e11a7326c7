package io.haitaopulse.trends;

import io.haitaopulse.common.DistinctUsers;

/**
 * Activity of one item under one category in one pane, as counted by one pre-aggregating
 * subtask: VIEW, CART clicks, units bought in PAID orders, and the distinct viewers. Partial
 * counts of the same (item, pane) from several subtasks are summed (and their viewers merged)
 * downstream. A Flink POJO; at its keyed exchange {@link ItemPaneActivitySerializer} writes it
 * instead of the reflective POJO serializer. A field added here must be added there.
 */
public class ItemPaneActivity {
    public long itemId;
    public long categoryId;
    public long paneStart;
    public long views;
    public long carts;
    public long buys;
    public DistinctUsers viewers;

    public ItemPaneActivity() {
        this.viewers = new DistinctUsers();
    }

    public ItemPaneActivity(long itemId, long categoryId, long paneStart) {
        this();
        this.itemId = itemId;
        this.categoryId = categoryId;
        this.paneStart = paneStart;
    }

    /**
     * Every field as given, {@code viewers} taken as it is: for {@link ItemPaneActivitySerializer},
     * which would otherwise allocate a count only to replace it.
     */
    ItemPaneActivity(
            long itemId, long categoryId, long paneStart, long views, long carts, long buys, DistinctUsers viewers) {
        this.itemId = itemId;
        this.categoryId = categoryId;
        this.paneStart = paneStart;
        this.views = views;
        this.carts = carts;
        this.buys = buys;
        this.viewers = viewers;
    }

    @Override
    public String toString() {
        return "ItemPaneActivity{item=" + itemId + ", category=" + categoryId + ", pane=" + paneStart + ", views="
                + views + ", carts=" + carts + ", buys=" + buys + ", viewers=" + viewers.count() + "}";
    }
}
