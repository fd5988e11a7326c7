package io.haitaopulse.uplift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.haitaopulse.common.PulseOptions;
import io.haitaopulse.io.InputFormat;
import io.haitaopulse.io.ReplayOutput;
import io.haitaopulse.privacy.PrivacyOptions;
import io.haitaopulse.privacy.PseudonymKey;
import io.haitaopulse.privacy.Pseudonymizer;
import io.haitaopulse.runtime.Replay;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The uplift job end to end on a hand-made campaign: c1 runs from 0 s to 100 s with a 50 %
 * hold-out; rows every 10 s. Per exposed user (first exposure within the campaign):
 * <pre>
 *   user  arm        first exposure  converted  revenue (PAID − RETURNED in [first exposure, end])
 *   u1    TREATMENT  10 s            yes        1900 − 1000 = 900   (the PAID at 5 s is before exposure)
 *   u2    TREATMENT  12 s            no         0                   (PAID at 200 s is after the end)
 *   u3    CONTROL    15 s            yes        800
 *   u4    CONTROL    20 s            no         0                   (a later TREATMENT exposure does not move it)
 *   u6    CONTROL    50 s            yes        1200                (exposure at −5 s is before the start; PAID at 45 s too early)
 *   u5    —          105 s: after the end, not exposed
 * </pre>
 * Returns in [first exposure, end]: u1 1000, everyone else 0. CUPED covariates (the same metric
 * over the 14 days before first exposure): u1 converted (999 at 5 s), u6 converted (300 at 45 s),
 * nobody returned; everyone else 0.
 * Expected statistics computed independently from these per-user values (Python: numpy sample
 * moments for CUPED, scipy's normal and truncated normal for the Bayesian fields).
 */
class UpliftReplayTest {

    /** The run's key, known to the test so that the late event's pseudonym can be checked. */
    private static final PseudonymKey KEY = PseudonymKey.generate();

    @TempDir
    Path tmp;

    private static String exposure(String user, String arm, long s) {
        return String.format(
                "{\"type\":\"exposure\",\"campaign_id\":\"c1\",\"user_id\":\"%s\",\"arm\":\"%s\",\"ts\":%d}",
                user, arm, s * 1000);
    }

    private static String order(String id, String user, String status, long s, int qty, long price, long discount) {
        return String.format(
                "{\"type\":\"order\",\"order_id\":\"%s\",\"user_id\":\"%s\",\"status\":\"%s\",\"ts\":%d,"
                        + "\"lines\":[{\"item_id\":1,\"category_id\":2,\"quantity\":%d,\"unit_price_cents\":%d,\"discount_cents\":%d}]}",
                id, user, status, s * 1000, qty, price, discount);
    }

    @Test
    void scoresAHandMadeCampaignExactly() throws Exception {
        List<String> lines = List.of(
                "{\"type\":\"campaign\",\"campaign_id\":\"c1\",\"kind\":\"FLASH_SALE\",\"start_ts\":0,\"end_ts\":100000,\"holdout_pct\":0.5}",
                exposure("u6", "CONTROL", -5),
                order("o0", "u1", "PAID", 5, 1, 999, 0),
                exposure("u1", "TREATMENT", 10),
                exposure("u2", "TREATMENT", 12),
                exposure("u3", "CONTROL", 15),
                exposure("u4", "CONTROL", 20),
                order("o7", "u7", "PAID", 20, 1, 50, 0),
                order("o3", "u3", "PAID", 30, 1, 800, 0),
                exposure("u4", "TREATMENT", 30),
                order("o1", "u1", "PAID", 40, 2, 1000, 100),
                order("o6a", "u6", "PAID", 45, 1, 300, 0),
                exposure("u6", "CONTROL", 50),
                order("o1", "u1", "RETURNED", 60, 1, 1000, 0),
                exposure("u8", "TREATMENT", 25), // 35 s behind the watermark: late
                order("o6b", "u6", "PAID", 70, 1, 1200, 0),
                exposure("u5", "TREATMENT", 105),
                order("o2", "u2", "PAID", 200, 1, 500, 0));
        Path in = tmp.resolve("events.jsonl");
        Files.write(in, lines, StandardCharsets.UTF_8);
        Configuration c = new Configuration();
        c.set(PrivacyOptions.PSEUDONYM_SECRET, KEY.toBase64());
        c.set(PulseOptions.WINDOW, Duration.ofSeconds(20));
        c.set(PulseOptions.SLIDE, Duration.ofSeconds(10));
        c.set(PulseOptions.MAX_DELAY, Duration.ofSeconds(1));
        Path out = tmp.resolve("out");

        Replay.Result r = Replay.run(new Replay.Spec("uplift", List.of(in), out, InputFormat.JSONL, c, 2, null, null));

        assertThat(r.late()).isEqualTo(1);
        List<JsonNode> rows = ReplayOutput.readRows(out.resolve("campaign_uplift.jsonl"));
        // Rows as of 10 s, 20 s, ..., 110 s (the first multiple of 10 s after the end), for the three metrics.
        assertThat(rows).hasSize(33);
        assertThat(rows)
                .extracting(n -> n.get("metric").asText() + "@" + n.get("as_of").asLong() / 1000)
                .startsWith("conversion@10", "conversion@20")
                .endsWith("revenue_per_user@110");

        JsonNode asOf30 = row(rows, "conversion", 30);
        assertThat(asOf30.get("n_treatment").asLong()).isEqualTo(2);
        assertThat(asOf30.get("n_control").asLong()).isEqualTo(2);
        assertThat(asOf30.get("mean_treatment").asDouble()).isZero();

        JsonNode conv = row(rows, "conversion", 110);
        assertThat(conv.get("n_treatment").asLong()).isEqualTo(2);
        assertThat(conv.get("n_control").asLong()).isEqualTo(3);
        assertThat(conv.get("mean_treatment").asDouble()).isCloseTo(0.5, within(1e-12));
        assertThat(conv.get("mean_control").asDouble()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(conv.get("lift_abs").asDouble()).isCloseTo(-0.16666666666666663, within(1e-12));
        assertThat(conv.get("lift_rel").asDouble()).isCloseTo(-0.25, within(1e-12));
        assertThat(conv.get("ci_low").asDouble()).isCloseTo(-1.3444800833182367, within(1e-12));
        assertThat(conv.get("ci_high").asDouble()).isCloseTo(1.0111467499849032, within(1e-12));
        assertThat(conv.get("rel_ci_low").asDouble()).isCloseTo(-1.8935099634623456, within(1e-12));
        assertThat(conv.get("rel_ci_high").asDouble()).isCloseTo(1.3935099634623456, within(1e-12));
        assertThat(conv.get("anytime_ci_low").asDouble()).isCloseTo(-88.57180499953286, within(1e-9));
        assertThat(conv.get("anytime_ci_high").asDouble()).isCloseTo(88.23847166619952, within(1e-9));
        assertThat(conv.get("srm_p").asDouble()).isCloseTo(0.654720846018577, within(1e-12));
        assertThat(conv.get("incremental_revenue_cents").asLong()).isEqualTo(-433);

        JsonNode rev = row(rows, "revenue_per_user", 110);
        assertThat(rev.get("mean_treatment").asDouble()).isCloseTo(450.0, within(1e-9));
        assertThat(rev.get("mean_control").asDouble()).isCloseTo(666.6666666666666, within(1e-9));
        assertThat(rev.get("ci_low").asDouble()).isCloseTo(-1337.3761641626847, within(1e-9));
        assertThat(rev.get("ci_high").asDouble()).isCloseTo(904.0428308293516, within(1e-9));
        assertThat(rev.get("rel_ci_low").asDouble()).isCloseTo(-1.8218036344156838, within(1e-12));
        assertThat(rev.get("anytime_ci_low").asDouble()).isCloseTo(-2007.492667876902, within(1e-9));
        assertThat(rev.get("anytime_ci_high").asDouble()).isCloseTo(1574.159334543569, within(1e-9));
        assertThat(rev.get("incremental_revenue_cents").asLong()).isEqualTo(-433);

        assertThat(conv.get("pre_mean_treatment").asDouble()).isCloseTo(0.5, within(1e-12));
        assertThat(conv.get("pre_mean_control").asDouble()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(conv.get("cuped_theta").asDouble()).isCloseTo(0.6666666666666665, within(1e-12));
        assertThat(conv.get("cuped_lift_abs").asDouble()).isCloseTo(-0.27777777777777773, within(1e-12));
        assertThat(conv.get("cuped_ci_low").asDouble()).isCloseTo(-0.9401230310769173, within(1e-12));
        assertThat(conv.get("cuped_ci_high").asDouble()).isCloseTo(0.3845674755213618, within(1e-12));
        assertThat(conv.get("variance_reduction").asDouble()).isCloseTo(0.6837606837606838, within(1e-12));
        assertThat(conv.get("chance_to_win").asDouble()).isCloseTo(0.38279724199788207, within(1e-12));
        assertThat(conv.get("risk_control").asDouble()).isCloseTo(0.22428181285557638, within(1e-12));
        assertThat(conv.get("risk_treatment").asDouble()).isCloseTo(0.47428181285557625, within(1e-12));

        assertThat(rev.get("pre_mean_treatment").asDouble()).isCloseTo(499.5, within(1e-9));
        assertThat(rev.get("pre_mean_control").asDouble()).isCloseTo(100.0, within(1e-9));
        assertThat(rev.get("cuped_theta").asDouble()).isCloseTo(0.6737721326311008, within(1e-12));
        assertThat(rev.get("cuped_lift_abs").asDouble()).isCloseTo(-485.8386336527914, within(1e-9));
        assertThat(rev.get("cuped_ci_low").asDouble()).isCloseTo(-1123.729684016842, within(1e-9));
        assertThat(rev.get("cuped_ci_high").asDouble()).isCloseTo(152.0524167112593, within(1e-9));
        assertThat(rev.get("variance_reduction").asDouble()).isCloseTo(0.6760284205063447, within(1e-12));
        assertThat(rev.get("chance_to_win").asDouble()).isCloseTo(0.33520931739696147, within(1e-12));
        assertThat(rev.get("risk_control").asDouble()).isCloseTo(0.16934253268279648, within(1e-12));
        assertThat(rev.get("risk_treatment").asDouble()).isCloseTo(0.49434253268279643, within(1e-12));

        JsonNode ret = row(rows, "returns_per_user", 110);
        assertThat(ret.get("mean_treatment").asDouble()).isCloseTo(500.0, within(1e-9));
        assertThat(ret.get("mean_control").asDouble()).isZero();
        assertThat(ret.get("ci_low").asDouble()).isCloseTo(-480.0, within(1e-9));
        assertThat(ret.get("ci_high").asDouble()).isCloseTo(1480.0, within(1e-9));
        assertThat(ret.get("cuped_theta").asDouble())
                .as("no covariate variance")
                .isZero();
        assertThat(ret.get("cuped_lift_abs").asDouble()).isCloseTo(500.0, within(1e-9));
        assertThat(ret.get("variance_reduction").asDouble()).isZero();
        assertThat(ret.get("chance_to_win").isNull())
                .as("null while a mean is 0 in an arm")
                .isTrue();
        assertThat(ret.get("incremental_revenue_cents").asLong()).isEqualTo(-433);

        List<JsonNode> late = ReplayOutput.readRows(out.resolve("late_events.jsonl"));
        assertThat(late).hasSize(1);
        assertThat(late.get(0).get("event").get("user_id").asText())
                .as("pseudonymised like every user id")
                .isEqualTo(new Pseudonymizer(KEY).pseudonym("u8"));
    }

    private static JsonNode row(List<JsonNode> rows, String metric, long asOfSeconds) {
        return rows.stream()
                .filter(n -> n.get("metric").asText().equals(metric)
                        && n.get("as_of").asLong() == asOfSeconds * 1000)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + metric + " row as of " + asOfSeconds + " s"));
    }
}
