package io.haitaopulse.sourcing;

import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.io.EventLateness;
import io.haitaopulse.io.InputExtent;
import io.haitaopulse.io.LatenessRule;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.OrderStatus;
import io.haitaopulse.schema.Review;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per item (the key): daily activity over the lookback, and at every cadence boundary a snapshot
 * for the item's category shortlist. Facts wait in their cadence slot until the slot is final, so
 * the snapshot as of t reflects exactly the facts before t. An item with nothing left in the
 * lookback is forgotten; at the end of input snapshots go on as far as the input's event time
 * reached ({@link InputExtent}), then stop once one reflects all of the item's facts.
 */
public final class ItemSourcing extends KeyedBroadcastProcessFunction<Long, ItemEvent, Long, ItemSnapshot> {

    private static final long serialVersionUID = 1L;

    /**
     * The sourcing job consumes views, PAID and RETURNED orders and reviews; one is late once the
     * first shortlist that would reflect it (the next cadence boundary) is final.
     */
    static LatenessRule lateness(SlidingWindows cadence) {
        return EventLateness.of(
                body -> (body instanceof Click c && c.getAction() == ClickAction.VIEW)
                        || body instanceof Review
                        || (body instanceof Order o
                                && (o.getStatus() == OrderStatus.PAID || o.getStatus() == OrderStatus.RETURNED)),
                (body, ts, watermark) -> cadence.isLate(ts, watermark),
                (ts, watermark) ->
                        "sourcing: event time " + ts + " is behind watermark " + watermark + "; the shortlist as of "
                                + cadence.lastWindowEnd(ts) + " that would first reflect it is final");
    }

    static final long DAY = 86_400_000L;

    private final SlidingWindows slots;
    private final int lookbackDays;
    private final long tzOffset;
    private transient ValueState<ItemDays> days;
    private transient ValueState<ItemMeta> meta;
    private transient MapState<Long, ItemDays> pending;
    private transient ValueState<ClosedViewers> closedViewers;

    ItemSourcing(SlidingWindows cadence, int lookbackDays, long tzOffset) {
        this.slots = cadence;
        this.lookbackDays = lookbackDays;
        this.tzOffset = tzOffset;
    }

    long dayOf(long ts) {
        return Math.floorDiv(ts + tzOffset, DAY);
    }

    @Override
    public void open(OpenContext openContext) {
        days = getRuntimeContext().getState(new ValueStateDescriptor<>("days", Types.POJO(ItemDays.class)));
        meta = getRuntimeContext().getState(new ValueStateDescriptor<>("meta", Types.POJO(ItemMeta.class)));
        pending = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("pending", Types.LONG, Types.POJO(ItemDays.class)));
        closedViewers = getRuntimeContext()
                .getState(new ValueStateDescriptor<>("closed-viewers", Types.POJO(ClosedViewers.class)));
    }

    @Override
    public void processBroadcastElement(Long extent, Context ctx, Collector<ItemSnapshot> out) throws Exception {
        InputExtent.record(ctx.getBroadcastState(InputExtent.STATE), extent);
    }

    @Override
    public void processElement(ItemEvent e, ReadOnlyContext ctx, Collector<ItemSnapshot> out) throws Exception {
        long slot = slots.lastWindowEnd(e.ts);
        ItemDays p = pending.get(slot);
        if (p == null) {
            p = new ItemDays();
        }
        e.addTo(p, dayOf(e.ts));
        pending.put(slot, p);
        ItemMeta m = meta.value();
        if (m == null) {
            m = new ItemMeta();
        }
        if (e.categoryId != Long.MIN_VALUE) {
            m.category = e.categoryId;
        }
        m.lastActivity = Math.max(m.lastActivity, e.ts);
        meta.update(m);
        ctx.timerService().registerEventTimeTimer(slots.purgeTime(slot));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ItemSnapshot> out) throws Exception {
        ItemMeta m = meta.value();
        long asOf = timestamp + 1 - slots.allowedLateness();
        if (m == null || !slots.isWindowEnd(asOf) || asOf <= m.lastEmitted) {
            return;
        }
        ItemDays d = days.value();
        if (d == null) {
            d = new ItemDays();
        }
        List<Long> folded = new ArrayList<>();
        for (Map.Entry<Long, ItemDays> e : pending.entries()) {
            if (e.getKey() <= asOf) {
                d.merge(e.getValue());
                folded.add(e.getKey());
            }
        }
        for (Long slot : folded) {
            pending.remove(slot);
        }
        long lastDay = dayOf(asOf - 1);
        d.dropBefore(lastDay - lookbackDays + 1);
        if (d.size == 0 && pending.isEmpty()) {
            days.clear();
            meta.clear();
            closedViewers.clear();
            return;
        }
        m.lastEmitted = asOf;
        ClosedViewers closed = ClosedViewers.refresh(closedViewers.value(), d, lastDay);
        if (m.category != Long.MIN_VALUE && d.size > 0) {
            out.collect(snapshot(ctx.getCurrentKey(), m.category, asOf, lastDay, d, closed));
        }
        // At the end of input, rows go on as far as event time reached (InputExtent), as they would
        // in a run whose watermark had passed there before the end, whichever input ended last.
        boolean endOfInput = ctx.timerService().currentWatermark() == Long.MAX_VALUE
                && asOf > m.lastActivity
                && InputExtent.beyond(ctx.getBroadcastState(InputExtent.STATE), timestamp);
        if (endOfInput && pending.isEmpty()) {
            days.clear();
            meta.clear();
            closedViewers.clear();
            return;
        }
        days.update(d);
        meta.update(m);
        closedViewers.update(closed);
        ctx.timerService().registerEventTimeTimer(slots.purgeTime(asOf + slots.slide()));
    }

    private ItemSnapshot snapshot(long item, long category, long asOf, long lastDay, ItemDays d, ClosedViewers closed) {
        ItemSnapshot s = new ItemSnapshot();
        s.itemId = item;
        s.categoryId = category;
        s.asOf = asOf;
        s.dailyUnits = new double[lookbackDays];
        s.lastDay = lastDay;
        long firstDay = lastDay - lookbackDays + 1;
        for (int i = 0; i < d.size; i++) {
            s.dailyUnits[(int) (d.day[i] - firstDay)] = d.units[i];
            s.views += d.views[i];
            s.orders += d.orders[i];
            s.units += d.units[i];
            s.revenue += d.revenue[i];
            s.returned += d.returned[i];
            s.ratingSum += d.ratingSum[i];
            s.ratings += d.ratings[i];
            s.complaints += d.complaints[i];
            s.counterfeit += d.counterfeit[i];
        }
        s.viewers = ClosedViewers.all(closed, d, lastDay).count();
        long dayStart = lastDay * DAY - tzOffset;
        s.lastDayFraction = (double) (asOf - dayStart) / DAY;
        return s;
    }
}
