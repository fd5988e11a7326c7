package io.haitaopulse.trends;

/**
 * A category's discounted running sum of views or distinct viewers per pane,
 * {@code sum <- r * sum + x} for every pane in time order since the category's first activity
 * (empty panes as zero), with {@code r} the level's per-pane decay ({@link TrendModel#decay}). The
 * denominator of its items' shares ({@link CategoryShare}). A Flink POJO.
 */
public class Discounted {
    public double sum;
    /** Start of the last pane folded, {@link Long#MIN_VALUE} before the first. */
    public long foldedThrough = Long.MIN_VALUE;

    public Discounted() {}

    /** Folds the panes of {@code series} up to and including {@code through}. */
    void foldThrough(long through, PaneSeries series, boolean viewers, TrendModel m) {
        long pane = m.pane();
        long next = foldedThrough == Long.MIN_VALUE
                ? (series.size == 0 ? Long.MAX_VALUE : series.starts[0])
                : foldedThrough + pane;
        int i = 0;
        for (long p = next; p <= through; p += pane) {
            while (i < series.size && series.starts[i] < p) {
                i++;
            }
            sum = m.decay * sum + (i < series.size && series.starts[i] == p ? series.count(i, viewers) : 0);
            foldedThrough = p;
        }
    }
}
