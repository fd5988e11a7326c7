package io.haitaopulse.trends;

import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.internal.Ingested;

/**
 * Counts VIEW clicks per (item, category, pane) in the source chain for hot items: an item viewed
 * a thousand times in a pane crosses the network once. See {@link PaneAggregator} for when counts
 * are emitted.
 */
public final class ViewPaneAggregator extends PaneAggregator<PaneCount> {

    private static final long serialVersionUID = 1L;

    /** Creates the aggregator for panes of {@code windows}. */
    public ViewPaneAggregator(SlidingWindows windows) {
        super(windows);
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
