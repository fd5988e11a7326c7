package io.haitaopulse.uplift;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.common.PulseOptions;
import io.haitaopulse.io.InputFormat;
import io.haitaopulse.privacy.PrivacyOptions;
import io.haitaopulse.runtime.Replay;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The new-user coupon funnel of campaign nc (0–100 s, rows every 10 s):
 * <pre>
 *   u1 TREATMENT  first order at 20 s with a coupon of nc      first order, redeemed
 *   u2 TREATMENT  ordered at 5 s (before exposure), coupon later  redeemed only
 *   u5 TREATMENT  first order with a coupon of another campaign   first order only
 *   u3 CONTROL    first order, no coupon                          first order only
 *   u4 CONTROL    nothing
 * </pre>
 */
class CouponFunnelReplayTest {

    @TempDir
    Path tmp;

    private static String exposure(String user, String arm, long s) {
        return String.format(
                "{\"type\":\"exposure\",\"campaign_id\":\"nc\",\"user_id\":\"%s\",\"arm\":\"%s\",\"ts\":%d}",
                user, arm, s * 1000);
    }

    private static String paid(String user, long s, String campaign, String coupon) {
        return String.format(
                "{\"type\":\"order\",\"order_id\":\"%s-%d\",\"user_id\":\"%s\",\"status\":\"PAID\",\"ts\":%d,"
                        + "\"lines\":[{\"item_id\":1,\"category_id\":2,\"quantity\":1,\"unit_price_cents\":100}],\"campaign_id\":%s,"
                        + "\"coupon_id\":%s}",
                user,
                s,
                user,
                s * 1000,
                campaign == null ? "null" : "\"" + campaign + "\"",
                coupon == null ? "null" : "\"" + coupon + "\"");
    }

    @Test
    void countsExposedFirstOrdersAndRedemptionsPerArm() throws Exception {
        List<String> lines = List.of(
                "{\"type\":\"campaign\",\"campaign_id\":\"nc\",\"kind\":\"NEW_USER_COUPON\",\"start_ts\":0,\"end_ts\":100000,\"holdout_pct\":0.5}",
                paid("u2", 5, null, null),
                exposure("u1", "TREATMENT", 10),
                exposure("u2", "TREATMENT", 10),
                exposure("u3", "CONTROL", 12),
                exposure("u4", "CONTROL", 15),
                exposure("u5", "TREATMENT", 16),
                paid("u1", 20, "nc", "NEWBIE-20"),
                paid("u5", 25, "other", "X"),
                paid("u2", 30, "nc", "NEWBIE-20"),
                paid("u3", 40, null, null),
                paid("u9", 150, null, null));
        Path in = tmp.resolve("events.jsonl");
        Files.write(in, lines, StandardCharsets.UTF_8);
        Configuration c = new Configuration();
        c.set(PulseOptions.WINDOW, Duration.ofSeconds(10));
        c.set(PulseOptions.SLIDE, Duration.ofSeconds(10));
        // The arithmetic on five users; suppression is tested below.
        c.set(PrivacyOptions.K_ANONYMITY, 1);
        Path out = tmp.resolve("out");

        Replay.run(new Replay.Spec("uplift", List.of(in), out, InputFormat.JSONL, c, 2, null, null));

        List<String> rows = Files.readAllLines(out.resolve("coupon_funnel.jsonl"));
        assertThat(rows).hasSize(22);
        assertThat(rows)
                .contains(
                        "{\"campaign_id\":\"nc\",\"as_of\":110000,\"arm\":\"TREATMENT\",\"exposed\":3,\"first_orders\":2,\"redeemed\":2,"
                                + "\"first_order_rate\":0.6666666666666666,\"redemption_rate\":0.6666666666666666}",
                        "{\"campaign_id\":\"nc\",\"as_of\":110000,\"arm\":\"CONTROL\",\"exposed\":2,\"first_orders\":1,\"redeemed\":0,"
                                + "\"first_order_rate\":0.5,\"redemption_rate\":0.0}",
                        // As of 30 s: u1's redemption at 20 s counts, u2's at 30 s not yet.
                        "{\"campaign_id\":\"nc\",\"as_of\":30000,\"arm\":\"TREATMENT\",\"exposed\":3,\"first_orders\":2,\"redeemed\":1,"
                                + "\"first_order_rate\":0.6666666666666666,\"redemption_rate\":0.3333333333333333}");
        assertThat(rows.get(0))
                .startsWith("{\"campaign_id\":\"nc\",\"as_of\":10000,\"arm\":\"CONTROL\",\"exposed\":0,");
    }

    @Test
    void anArmOfFewerThanTenUsersIsSuppressed() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(
                "{\"type\":\"campaign\",\"campaign_id\":\"nc\",\"kind\":\"NEW_USER_COUPON\",\"start_ts\":0,\"end_ts\":30000,"
                        + "\"holdout_pct\":0.5}");
        for (int u = 0; u < 10; u++) {
            lines.add(exposure("t" + u, "TREATMENT", 10));
        }
        for (int u = 0; u < 9; u++) {
            lines.add(exposure("c" + u, "CONTROL", 10));
        }
        Path in = tmp.resolve("k.jsonl");
        Files.write(in, lines, StandardCharsets.UTF_8);
        Configuration c = new Configuration();
        c.set(PulseOptions.WINDOW, Duration.ofSeconds(10));
        c.set(PulseOptions.SLIDE, Duration.ofSeconds(10));
        Path out = tmp.resolve("k-out");

        Replay.Result r = Replay.run(new Replay.Spec("uplift", List.of(in), out, InputFormat.JSONL, c, 2, null, null));

        // As of 10 s nobody is exposed yet (published: it describes no one); as of 20 s, the last
        // row (the end of input), the treatment arm has 10 users (published) and the control arm 9
        // (suppressed, default k = 10).
        assertThat(Files.readAllLines(out.resolve("coupon_funnel.jsonl")))
                .containsExactly(
                        funnelRow(10_000, "CONTROL", 0),
                        funnelRow(10_000, "TREATMENT", 0),
                        funnelRow(20_000, "TREATMENT", 10));
        assertThat(r.kSuppressed()).as("the control row as of 20 s").isEqualTo(1);
    }

    private static String funnelRow(long asOf, String arm, long exposed) {
        return "{\"campaign_id\":\"nc\",\"as_of\":" + asOf + ",\"arm\":\"" + arm + "\",\"exposed\":" + exposed
                + ",\"first_orders\":0,\"redeemed\":0,\"first_order_rate\":" + (exposed == 0 ? "null" : "0.0")
                + ",\"redemption_rate\":" + (exposed == 0 ? "null" : "0.0") + "}";
    }
}
