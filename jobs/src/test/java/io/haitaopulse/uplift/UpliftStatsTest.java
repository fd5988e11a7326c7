package io.haitaopulse.uplift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.haitaopulse.schema.CampaignUplift;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Treatment users convert 1, 0, 1, 1 and spend 1000, 0, 2500, 500 cents; control users 0, 1, 0 and
 * 0, 800, 0. Expected values computed independently (Python, from the raw per-user values).
 */
class UpliftStatsTest {

    private static final Instant AS_OF = Instant.ofEpochMilli(1_000);
    private static final double E = 1e-9;

    private static UpliftStats.Arm arm(double... ys) {
        double sum = 0;
        double sq = 0;
        for (double y : ys) {
            sum += y;
            sq += y * y;
        }
        return new UpliftStats.Arm(ys.length, sum, sq);
    }

    @Test
    void conversionRowMatchesTheFormulas() {
        CampaignUplift r =
                UpliftStats.row("c1", "conversion", AS_OF, arm(1, 0, 1, 1), arm(0, 1, 0), 0.5, 0.1, 2933L, false);
        assertThat(r.getNTreatment()).isEqualTo(4);
        assertThat(r.getNControl()).isEqualTo(3);
        assertThat(r.getMeanTreatment()).isCloseTo(0.75, within(E));
        assertThat(r.getMeanControl()).isCloseTo(1.0 / 3, within(E));
        assertThat(r.getLiftAbs()).isCloseTo(0.4166666666666667, within(E));
        assertThat(r.getLiftRel()).isCloseTo(1.25, within(E));
        assertThat(r.getCiLow()).isCloseTo(-0.39999999999999997, within(E));
        assertThat(r.getCiHigh()).isCloseTo(1.2333333333333334, within(E));
        assertThat(r.getRelCiLow()).isCloseTo(-3.3985481604475183, within(E));
        assertThat(r.getRelCiHigh()).isCloseTo(5.898548160447518, within(E));
        assertThat(r.getAnytimeCiLow()).isCloseTo(-3.9739445423449875, within(E));
        assertThat(r.getAnytimeCiHigh()).isCloseTo(4.807277875678321, within(E));
        assertThat(r.getSrmP()).isCloseTo(0.7054569861112734, within(E));
        assertThat(r.getIncrementalRevenueCents()).isEqualTo(2933L);
    }

    @Test
    void revenueRowMatchesTheFormulas() {
        CampaignUplift r = UpliftStats.row(
                "c1", "revenue_per_user", AS_OF, arm(1000, 0, 2500, 500), arm(0, 800, 0), 0.5, 1000, 2933L, false);
        assertThat(r.getLiftAbs()).isCloseTo(733.3333333333333, within(E));
        assertThat(r.getCiLow()).isCloseTo(-447.1949853067199, within(1e-7));
        assertThat(r.getCiHigh()).isCloseTo(1913.8616519733864, within(1e-7));
        assertThat(r.getRelCiLow()).isCloseTo(-5.603386289403835, within(E));
        assertThat(r.getRelCiHigh()).isCloseTo(11.103386289403835, within(E));
        assertThat(r.getAnytimeCiLow()).isCloseTo(-1168.3520702136298, within(1e-7));
        assertThat(r.getAnytimeCiHigh()).isCloseTo(2635.0187368802963, within(1e-7));
    }

    @Test
    void undefinedStatisticsAreNull() {
        CampaignUplift empty = UpliftStats.row(
                "c", "conversion", AS_OF, UpliftStats.Arm.EMPTY, UpliftStats.Arm.EMPTY, 0.1, 0.01, null, false);
        assertThat(empty.getMeanTreatment()).isNull();
        assertThat(empty.getLiftAbs()).isNull();
        assertThat(empty.getCiLow()).isNull();
        assertThat(empty.getSrmP()).isNull();
        CampaignUplift zeroControl =
                UpliftStats.row("c", "conversion", AS_OF, arm(1, 0), arm(0, 0), 0.5, 0.01, null, false);
        assertThat(zeroControl.getLiftAbs()).isEqualTo(0.5);
        assertThat(zeroControl.getLiftRel()).isNull();
        assertThat(zeroControl.getRelCiLow()).isNull();
        assertThat(zeroControl.getCiLow()).isNotNull();
    }

    @Test
    void sampleRatioMismatchIsDetected() {
        // 1000 users, 10 % hold-out expected, 150 observed in control: chi2 = 27.78, p ~ 1.4e-7.
        assertThat(UpliftStats.srmP(850, 150, 0.1)).isLessThan(1e-6);
        assertThat(UpliftStats.srmP(900, 100, 0.1)).isEqualTo(1.0);
        assertThat(UpliftStats.srmP(10, 0, 0.0)).isEqualTo(1.0);
        assertThat(UpliftStats.srmP(10, 1, 0.0)).isEqualTo(0.0);
    }

    @Test
    void theAlwaysValidIntervalIsWiderThanTheFixedHorizonOne() {
        double v = 0.0004;
        assertThat(UpliftStats.anytimeHalfWidth(v, 0.01)).isGreaterThan(UpliftStats.Z * Math.sqrt(v));
        assertThat(UpliftStats.anytimeHalfWidth(0, 0.01)).isZero();
    }
}
