package io.haitaopulse.trends;

import java.util.Arrays;

/**
 * The pane counts of one shard of the item space ({@link TrendsPipeline#shardOf}) that one
 * pre-aggregating subtask emits together, crossing the hot-items exchange as one record. A pane
 * holds a few hundred thousand (item, pane) counts a day that mostly carry one or two views; sent
 * one record each, every count paid the exchange's per-record costs (framing, the channel choice,
 * the downstream key switch and timer registration), which a shard's batch pays once.
 *
 * <p>Every count must belong to {@link #shard}. The counts are in the order they were emitted;
 * consumers sum them per (item, pane), so the order does not change any result.
 */
public final class ShardPaneCounts {
    /** The shard every count belongs to: the key of the exchange. */
    public final long shard;
    /** The counts, never null; not copied, so the record owns the array. */
    public final PaneCount[] counts;

    /** A batch of {@code counts}, all of shard {@code shard}. */
    public ShardPaneCounts(long shard, PaneCount[] counts) {
        this.shard = shard;
        this.counts = counts;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShardPaneCounts b && b.shard == shard && Arrays.equals(b.counts, counts);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(shard) + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "ShardPaneCounts{shard=" + shard + ", counts=" + Arrays.toString(counts) + "}";
    }
}
