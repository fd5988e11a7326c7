package io.haitaopulse.uplift;

/**
 * Input of a campaign scoreboard: either a campaign definition or the change of one exposed
 * user's contribution to one arm (users added, Σy and Σy² per metric). A Flink POJO.
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

    static ScoreInput change(
            String campaignId, int arm, long dn, double conv0, double conv1, double rev0, double rev1, long ts) {
        return change(campaignId, arm, dn, conv0, conv1, rev0, rev1, 0, 0, ts);
    }

    static ScoreInput change(
            String campaignId,
            int arm,
            long dn,
            double conv0,
            double conv1,
            double rev0,
            double rev1,
            long dFirstOrders,
            long dRedeemed,
            long ts) {
        ScoreInput s = new ScoreInput();
        s.campaignId = campaignId;
        s.arm = arm;
        s.dn = dn;
        s.dConv = conv1 - conv0;
        s.dConvSq = conv1 * conv1 - conv0 * conv0;
        s.dRev = rev1 - rev0;
        s.dRevSq = rev1 * rev1 - rev0 * rev0;
        s.dFirstOrders = dFirstOrders;
        s.dRedeemed = dRedeemed;
        s.ts = ts;
        return s;
    }

    @Override
    public String toString() {
        return definition
                ? "Definition{" + campaignId + " [" + start + ", " + end + "] holdout " + holdoutPct + "}"
                : "Change{" + campaignId + " arm " + arm + " dn " + dn + " dConv " + dConv + " dRev " + dRev
                        + (dFirstOrders != 0 || dRedeemed != 0
                                ? " dFirst " + dFirstOrders + " dRedeemed " + dRedeemed
                                : "")
                        + " @" + ts + "}";
    }
}
