package io.haitaopulse.trends;

import io.haitaopulse.common.DistinctUsers;
import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.OrderLine;
import io.haitaopulse.schema.OrderStatus;
import io.haitaopulse.schema.internal.Ingested;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Pre-aggregates demand per (item, category, pane) in the source chain: views (with distinct
 * viewers), carts, and units of PAID order lines. Emits a pane once the watermark completes it,
 * and everything it holds before each checkpoint barrier and at end of input, like
 * {@link ViewPaneAggregator}; keeps no Flink state.
 */
public final class ActivityPaneAggregator extends AbstractStreamOperator<ItemPaneActivity>
        implements OneInputStreamOperator<Ingested, ItemPaneActivity> {

    private static final long serialVersionUID = 1L;

    private final SlidingWindows windows;
    private transient Map<Key, ItemPaneActivity> panes;
    private transient long minPane;
    private transient StreamRecord<ItemPaneActivity> reuse;

    public ActivityPaneAggregator(SlidingWindows windows) {
        this.windows = windows;
    }

    @Override
    public void open() throws Exception {
        super.open();
        panes = new HashMap<>();
        minPane = Long.MAX_VALUE;
        reuse = new StreamRecord<>(null);
    }

    @Override
    public void processElement(StreamRecord<Ingested> element) {
        Object body = element.getValue().getBody();
        if (body instanceof Click c) {
            ItemPaneActivity a = pane(c.getItemId(), c.getCategoryId(), c.getTs().toEpochMilli());
            switch (c.getAction()) {
                case VIEW -> {
                    a.views++;
                    a.viewers.add(DistinctUsers.hash(c.getUserId()));
                }
                case CART -> a.carts++;
                case FAV -> { }
            }
        } else if (body instanceof Order o && o.getStatus() == OrderStatus.PAID) {
            long ts = o.getTs().toEpochMilli();
            for (OrderLine line : o.getLines()) {
                pane(line.getItemId(), line.getCategoryId(), ts).buys += line.getQuantity();
            }
        }
    }

    private ItemPaneActivity pane(long item, long category, long ts) {
        long pane = windows.paneStart(ts);
        minPane = Math.min(minPane, pane);
        return panes.computeIfAbsent(new Key(item, category, pane), k -> new ItemPaneActivity(item, category, pane));
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        long wm = mark.getTimestamp();
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

    private void emit(long wm) {
        long nextMin = Long.MAX_VALUE;
        for (Iterator<Map.Entry<Key, ItemPaneActivity>> it = panes.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, ItemPaneActivity> e = it.next();
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
