package io.haitaopulse.trends;

/** Trend state of one item: the panes still needed, its baseline and its last activity. A Flink POJO. */
public class ItemTrend {
    public PaneSeries panes = PaneSeries.withViewers();
    public Baseline baseline = new Baseline();
    public long lastActivePane = Long.MIN_VALUE;

    public ItemTrend() {}
}
