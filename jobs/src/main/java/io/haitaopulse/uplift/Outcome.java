package io.haitaopulse.uplift;

/**
 * One exposed user's values for one campaign: the three metrics during the campaign (y) and the
 * same metrics over the CUPED lookback before the first exposure (x, the covariates).
 *
 * @param conv 1 if a PAID order falls in {@code [first exposure, end]}, else 0
 * @param rev PAID minus RETURNED value in that interval, cents
 * @param ret RETURNED value in that interval, cents
 * @param xConv 1 if a PAID order falls in the lookback {@code [first exposure − L, first exposure)}
 * @param xRev PAID minus RETURNED value in the lookback, cents
 * @param xRet RETURNED value in the lookback, cents
 */
record Outcome(double conv, double rev, double ret, double xConv, double xRev, double xRet) {

    /** What a user not counted contributes. */
    static final Outcome NONE = new Outcome(0, 0, 0, 0, 0, 0);
}
