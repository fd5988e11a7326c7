package io.haitaopulse.trends;

/**
 * Trend state of one category: its total demand per pane, its baseline, its hour-of-day
 * profile, and the bookkeeping of its evaluation timers. A Flink POJO.
 */
public class CategoryTrendState {
    public PaneSeries totals = PaneSeries.withViewers();
    public Baseline baseline = new Baseline();
    /** Level of distinct viewers per pane: the trend test counts people, so one binge does not trend. */
    public Baseline viewerBaseline = new Baseline();

    public Seasonality seasonality = new Seasonality();
    /** Discounted sums of the category's views and viewers: the denominators of its items' shares. */
    public Discounted viewSum = new Discounted();

    public Discounted viewerSum = new Discounted();

    public long lastEvaluatedEnd = Long.MIN_VALUE;
    public long lastActivePane = Long.MIN_VALUE;
    /** Time of the pending idle-expiry timer, or {@link Long#MIN_VALUE}. */
    public long cleanupAt = Long.MIN_VALUE;

    public CategoryTrendState() {}

    // State written before the shares existed restores them as null: they start from the
    // category's panes still held.
    Discounted viewSum() {
        if (viewSum == null) {
            viewSum = new Discounted();
        }
        return viewSum;
    }

    Discounted viewerSum() {
        if (viewerSum == null) {
            viewerSum = new Discounted();
        }
        return viewerSum;
    }
}
