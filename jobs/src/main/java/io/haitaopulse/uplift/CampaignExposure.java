package io.haitaopulse.uplift;

import java.util.Arrays;

/**
 * One user's exposures to one campaign and what the user currently contributes to the
 * campaign's scoreboard. A Flink POJO.
 */
public class CampaignExposure {
    public long[] ts = new long[1];
    /** 0 = TREATMENT, 1 = CONTROL, parallel to {@link #ts}. */
    public int[] arms = new int[1];

    public int size;
    /** Whether the user is counted on the scoreboard, in {@link #countedArm} with the values of {@link #outcome()}. */
    public boolean counted;

    public int countedArm;
    public double conv;
    public double rev;
    /** Returned value in the campaign interval, and the CUPED covariates (the metrics over the lookback). */
    public double ret;

    public double xConv;
    public double xRev;
    public double xRet;
    /** Coupon funnel: counted user placed their first order after exposure / redeemed a coupon of the campaign. */
    public boolean firstOrder;

    public boolean redeemed;
    /**
     * Latest event time the contribution was brought up to. An event behind it (on time, in a slot
     * not final yet) is evaluated as of this time, never earlier, so it cannot take back what later
     * events already counted.
     */
    public long evaluatedAt;

    /** Event time of the first exposure received, for forgetting exposures to campaigns never defined. */
    public long firstSeen = Long.MAX_VALUE;

    public CampaignExposure() {}

    /** What the user currently contributes (meaningful while {@link #counted}). */
    Outcome outcome() {
        return new Outcome(conv, rev, ret, xConv, xRev, xRet);
    }

    void setOutcome(Outcome o) {
        conv = o.conv();
        rev = o.rev();
        ret = o.ret();
        xConv = o.xConv();
        xRev = o.xRev();
        xRet = o.xRet();
    }

    void add(long t, int arm) {
        if (size == ts.length) {
            ts = Arrays.copyOf(ts, size * 2);
            arms = Arrays.copyOf(arms, size * 2);
        }
        ts[size] = t;
        arms[size] = arm;
        size++;
        firstSeen = Math.min(firstSeen, t);
    }

    /**
     * Index of the first exposure within {@code [start, end]}, ties broken by arm (TREATMENT first)
     * so that the result does not depend on arrival order; -1 if none.
     */
    int firstWithin(long start, long end) {
        int best = -1;
        for (int i = 0; i < size; i++) {
            if (ts[i] >= start
                    && ts[i] <= end
                    && (best < 0 || ts[i] < ts[best] || (ts[i] == ts[best] && arms[i] < arms[best]))) {
                best = i;
            }
        }
        return best;
    }
}
