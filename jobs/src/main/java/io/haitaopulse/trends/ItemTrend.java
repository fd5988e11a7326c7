package io.haitaopulse.trends;

/**
 * Trend state of one item: the panes still needed, its baselines, its last activity and its open
 * trending episode (trend_alerts). A Flink POJO.
 */
public class ItemTrend {
    public PaneSeries panes = PaneSeries.withViewers();
    public Baseline baseline = new Baseline();
    /** Level of distinct viewers per pane: the trend test counts people, so one binge does not trend. */
    public Baseline viewerBaseline = new Baseline();

    public long lastActivePane = Long.MIN_VALUE;

    /** The item's share of its category's views and of its viewers (the day-one test). */
    public CategoryShare viewShare = new CategoryShare();

    public CategoryShare viewerShare = new CategoryShare();

    /**
     * The open trending episode, null when none. A separate object so that state written before
     * episodes existed restores as "no episode".
     */
    public TrendEpisode episode;

    public ItemTrend() {}

    // State written before the shares existed restores them as null.
    CategoryShare viewShare() {
        if (viewShare == null) {
            viewShare = new CategoryShare();
        }
        return viewShare;
    }

    CategoryShare viewerShare() {
        if (viewerShare == null) {
            viewerShare = new CategoryShare();
        }
        return viewerShare;
    }
}
