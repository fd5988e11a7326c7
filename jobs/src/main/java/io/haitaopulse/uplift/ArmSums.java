package io.haitaopulse.uplift;

/** Users and Σy, Σy² per metric for both arms. A Flink POJO. */
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

    public ArmSums() {}

    void apply(ScoreInput in) {
        if (in.arm == 0) {
            nT += in.dn;
            convT += in.dConv;
            convSqT += in.dConvSq;
            revT += in.dRev;
            revSqT += in.dRevSq;
            firstOrdersT += in.dFirstOrders;
            redeemedT += in.dRedeemed;
        } else {
            nC += in.dn;
            convC += in.dConv;
            convSqC += in.dConvSq;
            revC += in.dRev;
            revSqC += in.dRevSq;
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
        firstOrdersT += o.firstOrdersT;
        firstOrdersC += o.firstOrdersC;
        redeemedT += o.redeemedT;
        redeemedC += o.redeemedC;
    }
}
