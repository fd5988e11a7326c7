package io.haitaopulse.trends;

import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.internal.Ingested;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Counts VIEW clicks per (item, category, pane) inside the operator chain, before the shuffle,
 * and emits each count once its pane is complete under the watermark, then forwards the
 * watermark. A hot item viewed a thousand times in a pane crosses the network once.
 *
 * <p>It keeps no Flink state: before every checkpoint barrier and at end of input it emits
 * whatever it holds, so a checkpoint never contains half-counted panes. Downstream sums partial
 * counts of the same pane, so emitting early is always correct.
 */
public final class ViewPaneAggregator extends AbstractStreamOperator<PaneCount>
        implements OneInputStreamOperator<Ingested, PaneCount> {

    private static final long serialVersionUID = 1L;

    private final SlidingWindows windows;
    private transient Map<Key, long[]> counts;
    private transient long minPane;
    private transient StreamRecord<PaneCount> reuse;

    /** Creates the aggregator for panes of {@code windows}. */
    public ViewPaneAggregator(SlidingWindows windows) {
        this.windows = windows;
    }

    @Override
    public void open() throws Exception {
        super.open();
        counts = new HashMap<>();
        minPane = Long.MAX_VALUE;
        reuse = new StreamRecord<>(null);
    }

    @Override
    public void processElement(StreamRecord<Ingested> element) {
        if (!(element.getValue().getBody() instanceof Click click) || click.getAction() != ClickAction.VIEW) {
            return;
        }
        long pane = windows.paneStart(click.getTs().toEpochMilli());
        long[] c = counts.computeIfAbsent(new Key(click.getItemId(), click.getCategoryId(), pane), k -> new long[1]);
        c[0]++;
        minPane = Math.min(minPane, pane);
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
        for (Iterator<Map.Entry<Key, long[]>> it = counts.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, long[]> e = it.next();
            Key k = e.getKey();
            if (wm == Long.MAX_VALUE || k.pane + windows.pane() - 1 <= wm) {
                output.collect(reuse.replace(new PaneCount(k.item, k.category, k.pane, e.getValue()[0])));
                it.remove();
            } else {
                nextMin = Math.min(nextMin, k.pane);
            }
        }
        minPane = nextMin;
    }

    private record Key(long item, long category, long pane) {}
}
