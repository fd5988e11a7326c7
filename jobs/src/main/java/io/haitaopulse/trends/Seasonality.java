package io.haitaopulse.trends;

/**
 * A category's hour-of-day profile: per hour of the shop's day, an exponentially weighted mean
 * of the category's views per pane in that hour. Factors are normalised to mean 1 and stay flat
 * (all 1) until every hour has been seen once. A Flink POJO.
 */
public class Seasonality {
    public double[] hourly = new double[24];
    /** Bit h set once hour h has been seen. */
    public int seen;
    /** Panes observed per hour, for the running-mean start. */
    public int[] observations = new int[24];

    /**
     * Sum of {@link #hourly}, NaN when unknown. Every item's baseline asks for a factor per pane
     * folded, and summing 24 hours each time was a fifth of the trends job's time. Transient: not
     * part of the state (Flink's POJO serializer skips it), recomputed after a copy or restore.
     */
    private transient double hourlySum = Double.NaN;

    public Seasonality() {}

    /** Records {@code views} of one pane starting in {@code hour}. */
    public void observe(int hour, double views, double beta) {
        observations[hour]++;
        seen |= 1 << hour;
        // A plain mean over the first panes of an hour, then the exponential weighting: one quiet
        // first pane must not define the hour for a week.
        hourly[hour] += Math.max(beta, 1.0 / observations[hour]) * (views - hourly[hour]);
        hourlySum = Double.NaN;
    }

    /** Whether every hour of the day has been seen, i.e. the factors are no longer flat. */
    public boolean complete() {
        return seen == (1 << 24) - 1;
    }

    /** Factor of {@code hour}: its mean over the mean of all hours, 1 until the profile is complete. */
    public double factor(int hour) {
        if (!complete()) {
            return 1.0;
        }
        double sum = hourlySum;
        if (Double.isNaN(sum)) {
            sum = 0;
            for (double h : hourly) {
                sum += h;
            }
            hourlySum = sum;
        }
        if (sum <= 0) {
            return 1.0;
        }
        // Never let a quiet hour make the expected views zero: one view per day spread thin.
        return Math.max(hourly[hour] * 24 / sum, 0.05);
    }
}
