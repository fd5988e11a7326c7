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
    public long lastEvaluatedEnd = Long.MIN_VALUE;
    public long lastActivePane = Long.MIN_VALUE;
    /** Time of the pending idle-expiry timer, or {@link Long#MIN_VALUE}. */
    public long cleanupAt = Long.MIN_VALUE;

    public CategoryTrendState() {}
}
