package io.haitaopulse.trends;

/**
 * An open trending episode of one item: consecutive evaluated windows in which it is trending
 * (CONTRACTS §3 trend_alerts). Peaks are the maxima over the episode's trending windows. A Flink
 * POJO.
 */
public class TrendEpisode {
    /** window_end of the first trending window. */
    public long startedAt;
    /** window_end of the latest trending window. */
    public long lastWindowEnd;

    public double peakRatio;
    public double peakZ;
    public long peakViews;

    public TrendEpisode() {}

    /** An episode that starts with the window ending at {@code end}. */
    static TrendEpisode start(long end, double ratio, double z, long views) {
        TrendEpisode e = new TrendEpisode();
        e.startedAt = end;
        e.lastWindowEnd = end;
        e.peakRatio = ratio;
        e.peakZ = z;
        e.peakViews = views;
        return e;
    }

    /** Extends the episode by the trending window ending at {@code end}. */
    void extend(long end, double ratio, double z, long views) {
        lastWindowEnd = end;
        peakRatio = Math.max(peakRatio, ratio);
        peakZ = Math.max(peakZ, z);
        peakViews = Math.max(peakViews, views);
    }
}
