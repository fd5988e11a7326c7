package io.haitaopulse.trends;

/** Trend state of one item: the panes still needed, its baseline and its last activity. A Flink POJO. */
public class ItemTrend {
    public PaneSeries panes = PaneSeries.withViewers();
    public Baseline baseline = new Baseline();
    /** Level of distinct viewers per pane: the trend test counts people, so one binge does not trend. */
    public Baseline viewerBaseline = new Baseline();

    public long lastActivePane = Long.MIN_VALUE;

    public ItemTrend() {}
}
