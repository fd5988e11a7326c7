package io.haitaopulse.sourcing;

/**
 * One item's statistics over the lookback as of one cadence boundary, sent to its category's
 * shortlist. {@code dailyUnits} has one entry per day of the lookback up to the day of the
 * boundary, oldest first; the last day may be partial ({@code lastDayFraction} of it elapsed).
 * A Flink POJO.
 */
public class ItemSnapshot {
    public long itemId;
    public long categoryId;
    public long asOf;
    public double[] dailyUnits;
    public double lastDayFraction;
    /** Shop day (days since the epoch on the shop's clock) of the last entry of {@link #dailyUnits}. */
    public long lastDay;

    public long views;
    public long viewers;
    public long orders;
    public long units;
    public long revenue;
    public long returned;
    public long ratingSum;
    public long ratings;
    public long complaints;
    public long counterfeit;

    public ItemSnapshot() {}
}
