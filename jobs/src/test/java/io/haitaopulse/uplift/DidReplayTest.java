package io.haitaopulse.uplift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.haitaopulse.common.PulseOptions;
import io.haitaopulse.io.InputFormat;
import io.haitaopulse.io.ReplayOutput;
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
 * Holiday discount h1 on category 100, no hold-out, 40–60 s; 10 s slots, so the pre-period is the
 * 20 s before: slots 20 and 30. GMV in cents (category 100 / all others):
 * <pre>
 *   slot 0: 999 / 0 (outside the pre-period)   slot 20: 100 / 1000   slot 30: 300 / 3000
 *   slot 40: 400 / 1000                        slot 50: 600 / 2000
 * </pre>
 * lift = (T_post / T_pre) / (C_post / C_pre) − 1 = (1000 / 400) / (3000 / 4000) − 1 as of 70 s (slot 60 has
 * no orders and counts as zero); CI by the delta method, computed independently.
 */
class DidReplayTest {

    @TempDir
    Path tmp;

    private static String paid(long s, long category, long cents) {
        return String.format(
                "{\"type\":\"order\",\"order_id\":\"o%d-%d\",\"user_id\":\"u\",\"status\":\"PAID\",\"ts\":%d,"
                        + "\"lines\":[{\"item_id\":1,\"category_id\":%d,\"quantity\":1,\"unit_price_cents\":%d}]}",
                s, category, s * 1000, category, cents);
    }

    @Test
    void estimatesAnObservationalLiftAgainstUntreatedCategories() throws Exception {
        List<String> lines = List.of(
                paid(1, 100, 999),
                paid(21, 100, 100),
                paid(22, 200, 1000),
                paid(31, 100, 300),
                paid(32, 300, 3000),
                "{\"type\":\"campaign\",\"campaign_id\":\"h1\",\"kind\":\"HOLIDAY_DISCOUNT\",\"start_ts\":40000,\"end_ts\":60000,"
                        + "\"holdout_pct\":0,\"target_category_ids\":[100]}",
                paid(41, 100, 400),
                paid(42, 200, 1000),
                paid(51, 100, 600),
                paid(52, 200, 2000),
                paid(90, 200, 5));
        Path in = tmp.resolve("events.jsonl");
        Files.write(in, lines, StandardCharsets.UTF_8);
        Configuration c = new Configuration();
        c.set(PulseOptions.WINDOW, Duration.ofSeconds(10));
        c.set(PulseOptions.SLIDE, Duration.ofSeconds(10));
        c.set(PulseOptions.MAX_DELAY, Duration.ofSeconds(20));
        Path out = tmp.resolve("out");

        Replay.run(new Replay.Spec("uplift", List.of(in), out, InputFormat.JSONL, c, 2, null, null));

        List<JsonNode> rows = ReplayOutput.readRows(out.resolve("campaign_did.jsonl"));
        assertThat(rows).extracting(r -> r.get("as_of").asLong()).containsExactly(50_000L, 60_000L, 70_000L);
        assertThat(rows.get(0).get("lift_rel").asDouble()).isCloseTo(3.0, within(1e-12));
        assertThat(rows.get(0).get("ci_low").isNull())
                .as("one post slot: no CI yet")
                .isTrue();
        JsonNode last = rows.get(2);
        assertThat(last.get("method").asText()).startsWith("observational");
        assertThat(last.get("pre_slots").asInt()).isEqualTo(2);
        assertThat(last.get("post_slots").asInt()).isEqualTo(3);
        assertThat(last.get("treated_pre_cents").asLong()).isEqualTo(400);
        assertThat(last.get("control_pre_cents").asLong()).isEqualTo(4000);
        assertThat(last.get("treated_post_cents").asLong()).isEqualTo(1000);
        assertThat(last.get("control_post_cents").asLong()).isEqualTo(3000);
        assertThat(last.get("lift_rel").asDouble()).isCloseTo(2.333333333333333, within(1e-12));
        assertThat(last.get("ci_low").asDouble()).isCloseTo(-0.5785750574938717, within(1e-12));
        assertThat(last.get("ci_high").asDouble()).isCloseTo(25.365575433280235, within(1e-9));
        assertThat(last.get("incremental_gmv_cents").asLong()).isEqualTo(700);
    }
}
