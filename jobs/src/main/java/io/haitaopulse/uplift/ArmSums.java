package io.haitaopulse.uplift;

/**
 * Users and, per metric and arm, Σy and Σy² and the CUPED sums Σx, Σx², Σxy (x: the metric over
 * the lookback before first exposure). A Flink POJO; fields are only ever added (state written by
 * an earlier version restores with the new sums at 0).
 */
public class ArmSums {
    public long nT;
    public long nC;
    public double convT;
    public double convSqT;
    public double convC;
    public double convSqC;
    public double revT;
    public double revSqT;
    public double revC;
    public double revSqC;
    public long firstOrdersT;
    public long firstOrdersC;
    public long redeemedT;
    public long redeemedC;

    public double retT;
    public double retSqT;
    public double retC;
    public double retSqC;

    public double convXT;
    public double convXSqT;
    public double convXYT;
    public double convXC;
    public double convXSqC;
    public double convXYC;
    public double revXT;
    public double revXSqT;
    public double revXYT;
    public double revXC;
    public double revXSqC;
    public double revXYC;
    public double retXT;
    public double retXSqT;
    public double retXYT;
    public double retXC;
    public double retXSqC;
    public double retXYC;

    public ArmSums() {}

    void apply(ScoreInput in) {
        if (in.arm == 0) {
            nT += in.dn;
            convT += in.dConv;
            convSqT += in.dConvSq;
            revT += in.dRev;
            revSqT += in.dRevSq;
            retT += in.dRet;
            retSqT += in.dRetSq;
            convXT += in.dConvX;
            convXSqT += in.dConvXSq;
            convXYT += in.dConvXY;
            revXT += in.dRevX;
            revXSqT += in.dRevXSq;
            revXYT += in.dRevXY;
            retXT += in.dRetX;
            retXSqT += in.dRetXSq;
            retXYT += in.dRetXY;
            firstOrdersT += in.dFirstOrders;
            redeemedT += in.dRedeemed;
        } else {
            nC += in.dn;
            convC += in.dConv;
            convSqC += in.dConvSq;
            revC += in.dRev;
            revSqC += in.dRevSq;
            retC += in.dRet;
            retSqC += in.dRetSq;
            convXC += in.dConvX;
            convXSqC += in.dConvXSq;
            convXYC += in.dConvXY;
            revXC += in.dRevX;
            revXSqC += in.dRevXSq;
            revXYC += in.dRevXY;
            retXC += in.dRetX;
            retXSqC += in.dRetXSq;
            retXYC += in.dRetXY;
            firstOrdersC += in.dFirstOrders;
            redeemedC += in.dRedeemed;
        }
    }

    void add(ArmSums o) {
        nT += o.nT;
        nC += o.nC;
        convT += o.convT;
        convSqT += o.convSqT;
        convC += o.convC;
        convSqC += o.convSqC;
        revT += o.revT;
        revSqT += o.revSqT;
        revC += o.revC;
        revSqC += o.revSqC;
        retT += o.retT;
        retSqT += o.retSqT;
        retC += o.retC;
        retSqC += o.retSqC;
        convXT += o.convXT;
        convXSqT += o.convXSqT;
        convXYT += o.convXYT;
        convXC += o.convXC;
        convXSqC += o.convXSqC;
        convXYC += o.convXYC;
        revXT += o.revXT;
        revXSqT += o.revXSqT;
        revXYT += o.revXYT;
        revXC += o.revXC;
        revXSqC += o.revXSqC;
        revXYC += o.revXYC;
        retXT += o.retXT;
        retXSqT += o.retXSqT;
        retXYT += o.retXYT;
        retXC += o.retXC;
        retXSqC += o.retXSqC;
        retXYC += o.retXYC;
        firstOrdersT += o.firstOrdersT;
        firstOrdersC += o.firstOrdersC;
        redeemedT += o.redeemedT;
        redeemedC += o.redeemedC;
    }

    /** TREATMENT's sums of conversion. */
    UpliftStats.Arm conversionT() {
        return new UpliftStats.Arm(nT, convT, convSqT, convXT, convXSqT, convXYT);
    }

    /** CONTROL's sums of conversion. */
    UpliftStats.Arm conversionC() {
        return new UpliftStats.Arm(nC, convC, convSqC, convXC, convXSqC, convXYC);
    }

    /** TREATMENT's sums of revenue per user. */
    UpliftStats.Arm revenueT() {
        return new UpliftStats.Arm(nT, revT, revSqT, revXT, revXSqT, revXYT);
    }

    /** CONTROL's sums of revenue per user. */
    UpliftStats.Arm revenueC() {
        return new UpliftStats.Arm(nC, revC, revSqC, revXC, revXSqC, revXYC);
    }

    /** TREATMENT's sums of returns per user. */
    UpliftStats.Arm returnsT() {
        return new UpliftStats.Arm(nT, retT, retSqT, retXT, retXSqT, retXYT);
    }

    /** CONTROL's sums of returns per user. */
    UpliftStats.Arm returnsC() {
        return new UpliftStats.Arm(nC, retC, retSqC, retXC, retXSqC, retXYC);
    }
}
