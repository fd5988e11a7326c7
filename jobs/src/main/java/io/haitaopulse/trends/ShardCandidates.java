package io.haitaopulse.trends;

/**
 * One shard's Top-N candidates of every scope for one window firing, as one record: a shard
 * emits this once per window instead of a row per scope and rank, so the exchange to
 * {@link ScopeMerge} carries a few primitive arrays per shard and window. Scope "all" is
 * {@link #allItems}/{@link #allViews}; each category's candidates are the entries of
 * {@link #categoryIds}/{@link #categoryItems}/{@link #categoryViews} with that category id. A
 * Flink POJO (public fields, primitive arrays) so that it is serialised without Kryo.
 */
public class ShardCandidates {
    /** End of the window, epoch milliseconds. */
    public long windowEnd;

    public long[] allItems;
    public long[] allViews;
    public long[] categoryIds;
    public long[] categoryItems;
    public long[] categoryViews;

    public ShardCandidates() {}

    ShardCandidates(long windowEnd, long[][] all, long[] categoryIds, long[][] categoryBest) {
        this.windowEnd = windowEnd;
        this.allItems = new long[all.length];
        this.allViews = new long[all.length];
        for (int i = 0; i < all.length; i++) {
            allItems[i] = all[i][0];
            allViews[i] = all[i][1];
        }
        this.categoryIds = categoryIds;
        this.categoryItems = new long[categoryBest.length];
        this.categoryViews = new long[categoryBest.length];
        for (int i = 0; i < categoryBest.length; i++) {
            categoryItems[i] = categoryBest[i][0];
            categoryViews[i] = categoryBest[i][1];
        }
    }
}
