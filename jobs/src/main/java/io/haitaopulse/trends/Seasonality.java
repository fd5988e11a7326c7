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

    public Seasonality() {}

    /** Records {@code views} of one pane starting in {@code hour}. */
    public void observe(int hour, double views, double beta) {
        if ((seen & (1 << hour)) == 0) {
            hourly[hour] = views;
            seen |= 1 << hour;
        } else {
            hourly[hour] += beta * (views - hourly[hour]);
        }
    }

    /** Factor of {@code hour}: its mean over the mean of all hours, 1 until the profile is complete. */
    public double factor(int hour) {
        if (seen != (1 << 24) - 1) {
            return 1.0;
        }
        double sum = 0;
        for (double h : hourly) {
            sum += h;
        }
        if (sum <= 0) {
            return 1.0;
        }
        // Never let a quiet hour make the expected views zero: one view per day spread thin.
        return Math.max(hourly[hour] * 24 / sum, 0.05);
    }
}
