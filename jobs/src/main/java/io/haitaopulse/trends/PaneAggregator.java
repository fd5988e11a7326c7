package io.haitaopulse.trends;

import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.io.EventLateness;
import io.haitaopulse.io.LatenessRule;
import io.haitaopulse.io.PreAggregator;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.OrderStatus;
import io.haitaopulse.schema.internal.Ingested;

/**
 * Pre-aggregation per (item, category, pane) inside the source chain, before the shuffle: a
 * subclass folds each event into its pane's accumulator, and the accumulator is emitted once the
 * watermark completes the pane ({@link PreAggregator}). Downstream combines partial accumulators
 * of the same pane, so emitting early is always correct.
 *
 * @param <A> the accumulator of one pane
 * @param <OUT> the emitted record
 */
abstract class PaneAggregator<A, OUT> extends PreAggregator<PaneAggregator.Key, A, OUT> {

    private static final long serialVersionUID = 1L;
    /**
     * The trends job's view of lateness: it consumes clicks and PAID orders (buys). As in Flink's
     * window operator, a click counts in every window containing it that is not yet purged (fired,
     * plus the allowed lateness); it is late when all of them are purged, and partly late when only
     * the earlier ones are. Both kinds are reported.
     */
    static LatenessRule lateness(SlidingWindows windows) {
        return EventLateness.of(
                        body -> body instanceof Click || (body instanceof Order o && o.getStatus() == OrderStatus.PAID),
                        (body, ts, watermark) -> windows.isLate(ts, watermark),
                        (ts, watermark) -> {
                            long last = windows.lastWindowEnd(ts);
                            return "trends: event time " + ts + " is behind watermark " + watermark
                                    + "; its last window ["
                                    + (last - windows.size()) + ", " + last + ") is final (allowed lateness "
                                    + windows.allowedLateness()
                                    + " ms), so it is not counted";
                        })
                .partlyWhen(
                        (body, ts, watermark) -> windows.purgeTime(windows.firstWindowEnd(ts)) <= watermark,
                        (ts, watermark) -> {
                            long lastFinal = windows.firstWindowEnd(ts);
                            while (windows.purgeTime(lastFinal + windows.slide()) <= watermark) {
                                lastFinal += windows.slide();
                            }
                            return "trends: event time " + ts + " is behind watermark " + watermark
                                    + "; windows ending at or before " + lastFinal
                                    + " are final, so it counts only in later hot_items windows (demand trends leave it out)";
                        });
    }

    protected final SlidingWindows windows;
    /** What the event being folded was judged against by the lateness routing before this operator. */
    private transient long judged;

    PaneAggregator(SlidingWindows windows) {
        super(windows.pane());
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
    protected final A create(Key key) {
        return newPane(key.item, key.category, key.pane, key.from);
    }

    @Override
    protected final void fold(Ingested event, long judgedWatermark) {
        judged = judgedWatermark;
        fold(event);
    }

    /** The accumulator of the pane containing {@code ts} for (item, category). */
    final A pane(long item, long category, long ts) {
        long from = separatesPartlyLate() ? firstOpenWindowEnd(ts) : 0L;
        return accumulator(new Key(item, category, windows.paneStart(ts), from));
    }

    /** Whether an event at {@code ts} was partly late at its source (some of its windows final). */
    final boolean isPartlyLate(long ts) {
        return firstOpenWindowEnd(ts) != 0L;
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

    /**
     * One pane of one (item, category); {@code from} as in {@link #newPane}. Every event looks up
     * one or two of these in a hash map, so {@link #equals} and {@link #hashCode} are written out:
     * a record's generated ones run through method handles that the JIT did not inline in this
     * path (a few percent of the trends job's CPU). The hash is the one a record computes, so the
     * pre-aggregation's emitting order stays as it was.
     */
    record Key(long item, long category, long pane, long from) implements PreAggregator.Bucketed {
        @Override
        public long bucketStart() {
            return pane;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && item == k.item && category == k.category && pane == k.pane && from == k.from;
        }

        @Override
        public int hashCode() {
            int h = Long.hashCode(item);
            h = 31 * h + Long.hashCode(category);
            h = 31 * h + Long.hashCode(pane);
            return 31 * h + Long.hashCode(from);
        }
    }
}
