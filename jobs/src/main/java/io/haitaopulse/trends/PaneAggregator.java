package io.haitaopulse.trends;

import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.io.Ingest;
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
    private transient long watermark;
    /** What the event being folded was judged against by the lateness routing before this operator. */
    private transient long judged;
    private transient long forwarded;

    PaneAggregator(SlidingWindows windows) {
        this.windows = windows;
    }

    /**
     * A new, empty accumulator for the pane starting at {@code pane}, for events whose first
     * window still open at their source ends at {@code fromWindowEnd} (0: all their windows).
     */
    abstract A newPane(long item, long category, long pane, long fromWindowEnd);

    /** Folds one routed event into its panes ({@link #pane}). */
    abstract void fold(Ingested event);

    /**
     * Whether partly late events get accumulators of their own, marked with the first window they
     * may count in; otherwise they share their pane's accumulator.
     */
    boolean separatesPartlyLate() {
        return false;
    }

    @Override
    public void open() throws Exception {
        super.open();
        panes = new HashMap<>();
        minPane = Long.MAX_VALUE;
        reuse = new StreamRecord<>(null);
        watermark = Long.MIN_VALUE;
        forwarded = Long.MIN_VALUE;
    }

    /** The accumulator of the pane containing {@code ts} for (item, category). */
    final A pane(long item, long category, long ts) {
        long pane = windows.paneStart(ts);
        minPane = Math.min(minPane, pane);
        long from = separatesPartlyLate() ? firstOpenWindowEnd(ts) : 0L;
        return panes.computeIfAbsent(new Key(item, category, pane, from), k -> newPane(item, category, pane, from));
    }

    /** Whether an event at {@code ts} was partly late at its source (some of its windows final). */
    final boolean isPartlyLate(long ts) {
        return firstOpenWindowEnd(ts) != 0L;
    }

    @Override
    public final void processElement(StreamRecord<Ingested> element) {
        Ingested event = element.getValue();
        // Chained right behind the lateness routing: the same watermark it judged the event by.
        judged = Ingest.judgingWatermark(event, watermark);
        fold(event);
    }

    /** 0 when every window of {@code ts} is open, else the end of the first open one. */
    private long firstOpenWindowEnd(long ts) {
        long first = windows.firstWindowEnd(ts);
        long end = first;
        while (windows.purgeTime(end) <= judged) {
            end += windows.slide();
        }
        return end == first ? 0L : end;
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        long wm = mark.getTimestamp();
        watermark = Math.max(watermark, wm);
        // A pane is complete when the watermark has reached its last millisecond.
        if (minPane != Long.MAX_VALUE && minPane + windows.pane() - 1 <= wm) {
            emit(wm);
        }
        long forward = forwardedWatermark(wm);
        if (forward > forwarded) {
            forwarded = forward;
            super.processWatermark(forward == wm ? mark : new Watermark(forward));
        }
    }

    /**
     * The watermark to pass downstream for {@code wm}; forwarding stops while it does not grow.
     * Sources advance their watermark with nearly every event, and each one crosses the shuffle
     * and wakes every downstream timer service; a subclass whose consumers only act at window
     * timers forwards {@link SlidingWindows#alignToWindowTimers}, which fires exactly the same
     * timers.
     */
    long forwardedWatermark(long wm) {
        return wm;
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

    private record Key(long item, long category, long pane, long from) {}
}
