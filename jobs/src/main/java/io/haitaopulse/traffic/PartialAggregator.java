package io.haitaopulse.traffic;

import io.haitaopulse.common.DistinctUsers;
import io.haitaopulse.io.PreAggregator;
import io.haitaopulse.schema.internal.Ingested;
import java.io.Serializable;

/**
 * Pre-aggregation of traffic and funnel hits inside the source chain, before the shuffle: every
 * hit {@link Hits} finds in an event is folded into the partial of its group and window, and a
 * partial is emitted once the watermark completes its window ({@link PreAggregator}). Without it
 * every VIEW crossed the network four times (once per traffic segment), which made the source
 * chain the bottleneck of the whole graph.
 */
final class PartialAggregator extends PreAggregator<PartialAggregator.Key, PartialAggregator.Entry, DistinctPartial> {

    private static final long serialVersionUID = 1L;

    /** Finds the hits of an event: each a group, window and user. */
    interface Hits extends Serializable {
        /** Calls {@code out} for every hit of {@code event}, judged against {@code watermark} (as the routing judged it). */
        void of(Ingested event, long watermark, Sink out);
    }

    /** Receives hits. */
    interface Sink {
        void hit(String segment, long category, int stage, long windowStart, boolean minuteOpen, long userHash);
    }

    private final Hits hits;
    private transient Sink sink;

    /** Pre-aggregates the hits of {@code hits} in windows of {@code windowSize} ms. */
    PartialAggregator(Hits hits, long windowSize) {
        super(windowSize);
        this.hits = hits;
    }

    @Override
    public void open() throws Exception {
        super.open();
        sink = (segment, category, stage, windowStart, minuteOpen, userHash) -> {
            Entry e = accumulator(new Key(segment, category, stage, windowStart, minuteOpen));
            e.partial.add(userHash, e.seen);
        };
    }

    @Override
    protected Entry create(Key k) {
        return new Entry(new DistinctPartial(k.segment, k.category, k.stage, k.windowStart, k.minuteOpen));
    }

    @Override
    protected void fold(Ingested event, long judgedWatermark) {
        hits.of(event, judgedWatermark, sink);
    }

    @Override
    protected DistinctPartial output(Entry entry) {
        return entry.partial;
    }

    /** One group in one window. */
    record Key(String segment, long category, int stage, long windowStart, boolean minuteOpen)
            implements PreAggregator.Bucketed {
        @Override
        public long bucketStart() {
            return windowStart;
        }
    }

    /** A partial and the users it holds already. */
    static final class Entry {
        final DistinctPartial partial;
        final DistinctUsers seen = DistinctUsers.exactUpTo(Integer.MAX_VALUE, DistinctUsers.LG_K);

        Entry(DistinctPartial partial) {
            this.partial = partial;
        }
    }
}
