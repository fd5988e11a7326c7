package io.haitaopulse.trends;

import io.haitaopulse.common.DistinctUsers;
import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.OrderLine;
import io.haitaopulse.schema.OrderStatus;
import io.haitaopulse.schema.internal.Ingested;

/**
 * Pre-aggregates demand per (item, category, pane) in the source chain for demand trends: views
 * (with distinct viewers), carts, and units of PAID order lines. See {@link PaneAggregator} for
 * when panes are emitted.
 *
 * <p>Partly late events (reported in late_events) are left out of demand trends: their pane feeds
 * baselines and windows that the evaluator downstream closes on the slowest source's watermark,
 * so counting them would make the rows depend on how far the other sources had got. Hot items
 * count them in the windows still open ({@link ViewPaneAggregator}).
 */
public final class ActivityPaneAggregator extends PaneAggregator<ItemPaneActivity, ItemPaneActivity> {

    private static final long serialVersionUID = 1L;

    public ActivityPaneAggregator(SlidingWindows windows) {
        super(windows);
    }

    /** Each pane's activity is its own record: {@link CategoryTrends} is keyed by category. */
    @Override
    protected ItemPaneActivity output(ItemPaneActivity accumulator) {
        return accumulator;
    }

    @Override
    ItemPaneActivity newPane(long item, long category, long pane, long fromWindowEnd) {
        return new ItemPaneActivity(item, category, pane);
    }

    @Override
    void fold(Ingested event) {
        Object body = event.getBody();
        if (body instanceof Click c) {
            if (isPartlyLate(c.getTs().toEpochMilli())) {
                return;
            }
            ItemPaneActivity a =
                    pane(c.getItemId(), c.getCategoryId(), c.getTs().toEpochMilli());
            switch (c.getAction()) {
                case VIEW -> {
                    a.views++;
                    a.viewers.add(DistinctUsers.hash(c.getUserId()));
                }
                case CART -> a.carts++;
                case FAV -> {}
            }
        } else if (body instanceof Order o && o.getStatus() == OrderStatus.PAID) {
            long ts = o.getTs().toEpochMilli();
            if (isPartlyLate(ts)) {
                return;
            }
            for (OrderLine line : o.getLines()) {
                pane(line.getItemId(), line.getCategoryId(), ts).buys += line.getQuantity();
            }
        }
    }
}
