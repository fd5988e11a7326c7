package io.haitaopulse.uplift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.haitaopulse.schema.CampaignUplift;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CUPED and Bayesian fields of campaign_uplift against GrowthBook's own engine: each row of
 * {@code gbstats/uplift-reference.csv} gives both arms' sufficient statistics of one metric and
 * what gbstats 0.8 computes from them ({@code dev/gbstats-reference.py}; the README beside the
 * file says which gbstats objects produced each column). Simulated campaigns from 2 to 100,000
 * users and the edge cases where nulls must agree.
 */
class GbstatsAgreementTest {

    private static final String RESOURCE = "/gbstats/uplift-reference.csv";

    static Stream<Map<String, String>> rows() throws IOException {
        try (InputStream in = GbstatsAgreementTest.class.getResourceAsStream(RESOURCE)) {
            assertThat(in).as(RESOURCE).isNotNull();
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
            String[] header = lines.get(0).split(",", -1);
            List<Map<String, String>> rows = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",", -1);
                assertThat(cells).hasSameSizeAs(header);
                Map<String, String> row = new HashMap<>();
                for (int i = 0; i < header.length; i++) {
                    row.put(header[i], cells[i]);
                }
                rows.add(row);
            }
            assertThat(rows).hasSizeGreaterThanOrEqualTo(50);
            return rows.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void cupedAndBayesianFieldsEqualGbstats(Map<String, String> r) {
        UpliftStats.Arm t = arm(r, "t");
        UpliftStats.Arm c = arm(r, "c");
        CampaignUplift row = UpliftStats.row(
                r.get("case"),
                r.get("metric"),
                Instant.EPOCH,
                t,
                c,
                0.5,
                1000,
                null,
                Boolean.parseBoolean(r.get("inverse")));
        String at = r.get("case") + " " + r.get("metric") + ": ";
        close(at + "pre_mean_treatment", row.getPreMeanTreatment(), r.get("pre_mean_t"));
        close(at + "pre_mean_control", row.getPreMeanControl(), r.get("pre_mean_c"));
        close(at + "cuped_theta", row.getCupedTheta(), r.get("cuped_theta"));
        close(at + "cuped_lift_abs", row.getCupedLiftAbs(), r.get("cuped_lift_abs"));
        close(at + "cuped_ci_low", row.getCupedCiLow(), r.get("cuped_ci_low"));
        close(at + "cuped_ci_high", row.getCupedCiHigh(), r.get("cuped_ci_high"));
        close(at + "variance_reduction", row.getVarianceReduction(), r.get("variance_reduction"));
        if (Boolean.parseBoolean(r.get("bayes_null_by_contract"))) {
            assertThat(row.getChanceToWin())
                    .as(at + "chance_to_win null by the contract")
                    .isNull();
            assertThat(row.getRiskControl()).as(at + "risk_control").isNull();
            assertThat(row.getRiskTreatment()).as(at + "risk_treatment").isNull();
        } else {
            close(at + "chance_to_win", row.getChanceToWin(), r.get("chance_to_win"));
            // gbstats rounds a risk to exactly 0 once Φ rounds to 1: an absolute tolerance for small risks.
            close(at + "risk_control", row.getRiskControl(), r.get("risk_control"));
            close(at + "risk_treatment", row.getRiskTreatment(), r.get("risk_treatment"));
        }
    }

    private static UpliftStats.Arm arm(Map<String, String> r, String arm) {
        return new UpliftStats.Arm(
                Long.parseLong(r.get("n_" + arm)),
                Double.parseDouble(r.get("sum_y_" + arm)),
                Double.parseDouble(r.get("sum_y2_" + arm)),
                Double.parseDouble(r.get("sum_x_" + arm)),
                Double.parseDouble(r.get("sum_x2_" + arm)),
                Double.parseDouble(r.get("sum_xy_" + arm)));
    }

    /** Equal within 1e-9 of max(1, |expected|); an empty cell is null. */
    private static void close(String what, Double actual, String expected) {
        if (expected.isEmpty()) {
            assertThat(actual).as(what + " (null in gbstats' reference)").isNull();
            return;
        }
        double e = Double.parseDouble(expected);
        assertThat(actual).as(what).isNotNull();
        assertThat(actual).as(what).isCloseTo(e, within(1e-9 * Math.max(1.0, Math.abs(e))));
    }
}
