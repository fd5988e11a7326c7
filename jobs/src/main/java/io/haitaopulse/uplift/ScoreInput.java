package io.haitaopulse.uplift;

/**
 * Input of a campaign scoreboard: either a campaign definition or the change of one exposed
 * user's contribution to one arm (users added; Σy, Σy², and for CUPED Σx, Σx², Σxy per metric).
 * A Flink POJO.
 */
public class ScoreInput {
    public String campaignId;
    public boolean definition;
    public long start;
    public long end;
    public double holdoutPct;
    /** 0 = TREATMENT, 1 = CONTROL. */
    public int arm;

    public long dn;
    public double dConv;
    public double dConvSq;
    public double dRev;
    public double dRevSq;
    public double dRet;
    public double dRetSq;
    /** CUPED: changes of Σx, Σx² and Σxy per metric (x = the metric over the lookback before first exposure). */
    public double dConvX;

    public double dConvXSq;
    public double dConvXY;
    public double dRevX;
    public double dRevXSq;
    public double dRevXY;
    public double dRetX;
    public double dRetXSq;
    public double dRetXY;
    public long dFirstOrders;
    public long dRedeemed;
    /** Campaign kind, on definitions. */
    public String kind;
    /** Event time of the change. */
    public long ts;

    public ScoreInput() {}

    static ScoreInput definition(String campaignId, String kind, long start, long end, double holdoutPct) {
        ScoreInput s = new ScoreInput();
        s.kind = kind;
        s.campaignId = campaignId;
        s.definition = true;
        s.start = start;
        s.end = end;
        s.holdoutPct = holdoutPct;
        s.ts = start;
        return s;
    }

    /**
     * The change of one user's contribution to arm {@code arm}: {@code dn} users (−1, 0 or 1) whose
     * values go from {@code before} to {@code after} ({@link Outcome#NONE} for a user added or removed).
     */
    static ScoreInput change(
            String campaignId,
            int arm,
            long dn,
            Outcome before,
            Outcome after,
            long dFirstOrders,
            long dRedeemed,
            long ts) {
        ScoreInput s = new ScoreInput();
        s.campaignId = campaignId;
        s.arm = arm;
        s.dn = dn;
        s.dConv = after.conv() - before.conv();
        s.dConvSq = sq(after.conv()) - sq(before.conv());
        s.dRev = after.rev() - before.rev();
        s.dRevSq = sq(after.rev()) - sq(before.rev());
        s.dRet = after.ret() - before.ret();
        s.dRetSq = sq(after.ret()) - sq(before.ret());
        s.dConvX = after.xConv() - before.xConv();
        s.dConvXSq = sq(after.xConv()) - sq(before.xConv());
        s.dConvXY = after.xConv() * after.conv() - before.xConv() * before.conv();
        s.dRevX = after.xRev() - before.xRev();
        s.dRevXSq = sq(after.xRev()) - sq(before.xRev());
        s.dRevXY = after.xRev() * after.rev() - before.xRev() * before.rev();
        s.dRetX = after.xRet() - before.xRet();
        s.dRetXSq = sq(after.xRet()) - sq(before.xRet());
        s.dRetXY = after.xRet() * after.ret() - before.xRet() * before.ret();
        s.dFirstOrders = dFirstOrders;
        s.dRedeemed = dRedeemed;
        s.ts = ts;
        return s;
    }

    private static double sq(double v) {
        return v * v;
    }

    @Override
    public String toString() {
        return definition
                ? "Definition{" + campaignId + " [" + start + ", " + end + "] holdout " + holdoutPct + "}"
                : "Change{" + campaignId + " arm " + arm + " dn " + dn + " dConv " + dConv + " dRev " + dRev + " dRet "
                        + dRet
                        + (dFirstOrders != 0 || dRedeemed != 0
                                ? " dFirst " + dFirstOrders + " dRedeemed " + dRedeemed
                                : "")
                        + " @" + ts + "}";
    }
}
