package io.haitaopulse.uplift;

/** State of one campaign's scoreboard: its definition and the statistics of the rows written. A Flink POJO. */
public class Scoreboard {
    public boolean defined;
    public long start;
    public long end;
    public double holdoutPct;
    /** Campaign kind; NEW_USER_COUPON campaigns also get coupon_funnel rows. */
    public String kind;
    /** Sums over every change before {@link #lastEmitted}. */
    public ArmSums total = new ArmSums();

    public long lastEmitted = Long.MIN_VALUE;
    /** Latest event time of any change received, applied or pending. */
    public long maxTs = Long.MIN_VALUE;

    public Scoreboard() {}
}
