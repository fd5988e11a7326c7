package io.haitaopulse.traffic;

import io.haitaopulse.io.Ingest;
import io.haitaopulse.schema.internal.Ingested;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Pre-aggregation of traffic and funnel hits inside the source chain, before the shuffle: every
 * hit {@link Hits} finds in an event is folded into the partial of its group and window, and a
 * partial is emitted once the watermark completes its window, before that watermark is forwarded
 * (so it is never late downstream). Before every checkpoint barrier and at end of input it emits
 * everything it holds, so it keeps no Flink state and a checkpoint never holds half a partial.
 * Without it every VIEW crossed the network four times (once per traffic segment), which made the
 * source chain the bottleneck of the whole graph.
 */
final class PartialAggregator extends AbstractStreamOperator<DistinctPartial>
        implements OneInputStreamOperator<Ingested, DistinctPartial> {

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
    private final long windowSize;
    private transient Map<Key, Entry> partials;
    private transient long minWindow;
    private transient long watermark;
    private transient StreamRecord<DistinctPartial> reuse;
    private transient Sink sink;

    /** Pre-aggregates the hits of {@code hits} in windows of {@code windowSize} ms. */
    PartialAggregator(Hits hits, long windowSize) {
        this.hits = hits;
        this.windowSize = windowSize;
    }

    @Override
    public void open() throws Exception {
        super.open();
        partials = new HashMap<>();
        minWindow = Long.MAX_VALUE;
        watermark = Long.MIN_VALUE;
        reuse = new StreamRecord<>(null);
        sink = (segment, category, stage, windowStart, minuteOpen, userHash) -> {
            Entry e = partials.computeIfAbsent(new Key(segment, category, stage, windowStart, minuteOpen),
                    k -> new Entry(new DistinctPartial(segment, category, stage, windowStart, minuteOpen)));
            e.partial.add(userHash, e.seen);
            minWindow = Math.min(minWindow, windowStart);
        };
    }

    @Override
    public void processElement(StreamRecord<Ingested> element) {
        // Chained right behind the lateness routing: judged against the same watermark it used.
        hits.of(element.getValue(), Ingest.judgingWatermark(element.getValue(), watermark), sink);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = Math.max(watermark, mark.getTimestamp());
        if (minWindow != Long.MAX_VALUE && minWindow + windowSize - 1 <= watermark) {
            emit(watermark);
        }
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        emit(Long.MAX_VALUE);
    }

    @Override
    public void finish() throws Exception {
        emit(Long.MAX_VALUE);
        super.finish();
    }

    /** Emits and forgets every partial whose window ends at or before {@code wm + 1}. */
    private void emit(long wm) {
        long nextMin = Long.MAX_VALUE;
        for (Iterator<Map.Entry<Key, Entry>> it = partials.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Entry> e = it.next();
            long start = e.getKey().windowStart;
            if (wm == Long.MAX_VALUE || start + windowSize - 1 <= wm) {
                output.collect(reuse.replace(e.getValue().partial));
                it.remove();
            } else {
                nextMin = Math.min(nextMin, start);
            }
        }
        minWindow = nextMin;
    }

    private record Key(String segment, long category, int stage, long windowStart, boolean minuteOpen) {}

    private static final class Entry {
        final DistinctPartial partial;
        final UvSketch seen = UvSketch.exactUpTo(Integer.MAX_VALUE);

        Entry(DistinctPartial partial) {
            this.partial = partial;
        }
    }
}
