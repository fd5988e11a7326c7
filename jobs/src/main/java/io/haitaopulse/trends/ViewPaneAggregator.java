package io.haitaopulse.trends;

import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.internal.Ingested;
import java.util.Collection;

/**
 * Counts VIEW clicks per (item, category, pane) in the source chain for hot items: an item viewed
 * a thousand times in a pane crosses the network once. See {@link PaneAggregator} for when counts
 * are emitted. A pane's counts leave in one {@link ShardPaneCounts} per shard of the item space
 * ({@link TrendsPipeline#shardOf}), the key of the Top-N operator they go to, shards in ascending
 * order.
 */
public final class ViewPaneAggregator extends PaneAggregator<PaneCount, ShardPaneCounts> {

    private static final long serialVersionUID = 1L;

    /** Creates the aggregator for panes of {@code windows}. */
    public ViewPaneAggregator(SlidingWindows windows) {
        super(windows);
    }

    /** A count alone, as a batch of one; {@link #emitBucket} batches a pane's counts per shard. */
    @Override
    protected ShardPaneCounts output(PaneCount count) {
        return new ShardPaneCounts(TrendsPipeline.shardOf(count.itemId), new PaneCount[] {count});
    }

    @Override
    protected void emitBucket(Collection<PaneCount> counts) {
        // Each count's shard once: the first pass sizes the batches, the second fills them in the
        // same iteration order.
        int[] shardOf = new int[counts.size()];
        int[] sizes = new int[TrendsPipeline.ALL_SHARDS];
        int i = 0;
        for (PaneCount c : counts) {
            int shard = (int) TrendsPipeline.shardOf(c.itemId);
            shardOf[i++] = shard;
            sizes[shard]++;
        }
        PaneCount[][] byShard = new PaneCount[TrendsPipeline.ALL_SHARDS][];
        int[] filled = new int[TrendsPipeline.ALL_SHARDS];
        i = 0;
        for (PaneCount c : counts) {
            int shard = shardOf[i++];
            if (byShard[shard] == null) {
                byShard[shard] = new PaneCount[sizes[shard]];
            }
            byShard[shard][filled[shard]++] = c;
        }
        for (int shard = 0; shard < byShard.length; shard++) {
            if (byShard[shard] != null) {
                collect(new ShardPaneCounts(shard, byShard[shard]));
            }
        }
    }

    @Override
    PaneCount newPane(long item, long category, long pane, long fromWindowEnd) {
        return new PaneCount(item, category, pane, 0, fromWindowEnd);
    }

    /** Hot items' Top-N operators only act at window fire and purge times. */
    @Override
    protected long forwardedWatermark(long wm) {
        return windows.alignToWindowTimers(wm);
    }

    @Override
    boolean separatesPartlyLate() {
        return true;
    }

    @Override
    void fold(Ingested event) {
        if (event.getBody() instanceof Click click && click.getAction() == ClickAction.VIEW) {
            pane(click.getItemId(), click.getCategoryId(), click.getTs().toEpochMilli()).views++;
        }
    }
}
