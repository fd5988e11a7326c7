package io.haitaopulse.trends;

import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.schema.internal.Ingested;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Pre-aggregation per (item, category, pane) inside the source chain, before the shuffle: a
 * subclass folds each event into its pane's accumulator, and the accumulator is emitted once the
 * watermark completes the pane, before that watermark is forwarded. It keeps no Flink state:
 * before every checkpoint barrier and at end of input it emits everything it holds, so a
 * checkpoint never contains half-counted panes. Downstream combines partial accumulators of the
 * same pane, so emitting early is always correct.
 *
 * @param <A> the accumulator of one pane, also the emitted record
 */
abstract class PaneAggregator<A> extends AbstractStreamOperator<A> implements OneInputStreamOperator<Ingested, A> {

    private static final long serialVersionUID = 1L;

    protected final SlidingWindows windows;
    private transient Map<Key, A> panes;
    private transient long minPane;
    private transient StreamRecord<A> reuse;

    PaneAggregator(SlidingWindows windows) {
        this.windows = windows;
    }

    /** A new, empty accumulator for the pane starting at {@code pane}. */
    abstract A newPane(long item, long category, long pane);

    @Override
    public void open() throws Exception {
        super.open();
        panes = new HashMap<>();
        minPane = Long.MAX_VALUE;
        reuse = new StreamRecord<>(null);
    }

    /** The accumulator of the pane containing {@code ts} for (item, category). */
    final A pane(long item, long category, long ts) {
        long pane = windows.paneStart(ts);
        minPane = Math.min(minPane, pane);
        return panes.computeIfAbsent(new Key(item, category, pane), k -> newPane(item, category, pane));
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        long wm = mark.getTimestamp();
        // A pane is complete when the watermark has reached its last millisecond.
        if (minPane != Long.MAX_VALUE && minPane + windows.pane() - 1 <= wm) {
            emit(wm);
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

    /** Emits and forgets every pane that ends at or before {@code wm + 1}. */
    private void emit(long wm) {
        long nextMin = Long.MAX_VALUE;
        for (Iterator<Map.Entry<Key, A>> it = panes.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, A> e = it.next();
            long pane = e.getKey().pane;
            if (wm == Long.MAX_VALUE || pane + windows.pane() - 1 <= wm) {
                output.collect(reuse.replace(e.getValue()));
                it.remove();
            } else {
                nextMin = Math.min(nextMin, pane);
            }
        }
        minPane = nextMin;
    }

    private record Key(long item, long category, long pane) {}
}
