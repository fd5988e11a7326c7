package io.haitaopulse.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the simulator plants is visible in its raw files, with nothing but counting: campaign
 * effects in a plain difference of means between arms, bad items in returns and counterfeit
 * complaints. Scenario {@code campaigns}, seed 1.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlantedEffectsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    private JsonNode truth;
    private List<JsonNode> exposures;
    private List<JsonNode> orders;

    @BeforeAll
    void generate() throws IOException {
        new MarketSimulator(SimulatorConfig.scenario("campaigns"), 1).run(tmp);
        truth = JSON.readTree(tmp.resolve("truth.json").toFile());
        exposures = read("exposures.jsonl");
        orders = read("orders.jsonl");
    }

    private static List<JsonNode> read(String file) throws IOException {
        return Files.readAllLines(tmp.resolve(file), StandardCharsets.UTF_8).stream()
                .map(l -> {
                    try {
                        return JSON.readTree(l);
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                })
                .toList();
    }

    /** z of the difference in conversion (PAID order in [first exposure, end]) between arms. */
    private double conversionZ(String campaign) {
        JsonNode c = null;
        for (JsonNode n : truth.get("campaigns")) {
            if (n.get("campaign_id").asText().equals(campaign)) {
                c = n;
            }
        }
        long end = c.get("end_ts").asLong();
        Map<String, long[]> first = new HashMap<>(); // user -> {ts, arm (1 = control)}
        for (JsonNode e : exposures) {
            if (e.get("campaign_id").asText().equals(campaign)) {
                first.putIfAbsent(
                        e.get("user_id").asText(),
                        new long[] {e.get("ts").asLong(), e.get("arm").asText().equals("CONTROL") ? 1 : 0});
            }
        }
        Set<String> converted = new HashSet<>();
        for (JsonNode o : orders) {
            long[] f = first.get(o.get("user_id").asText());
            long ts = o.get("ts").asLong();
            if (f != null && o.get("status").asText().equals("PAID") && ts >= f[0] && ts <= end) {
                converted.add(o.get("user_id").asText());
            }
        }
        double[] n = new double[2];
        double[] y = new double[2];
        first.forEach((user, f) -> {
            n[(int) f[1]]++;
            y[(int) f[1]] += converted.contains(user) ? 1 : 0;
        });
        double pt = y[0] / n[0];
        double pc = y[1] / n[1];
        return (pt - pc) / Math.sqrt(pt * (1 - pt) / n[0] + pc * (1 - pc) / n[1]);
    }

    @Test
    void campaignsWithAnEffectShowItInADifferenceOfMeans() {
        assertThat(conversionZ("newbie-pack")).isGreaterThan(3);
        assertThat(conversionZ("flash-noon")).isGreaterThan(3);
        assertThat(conversionZ("holiday-2026")).isGreaterThan(3);
    }

    @Test
    void theAaCampaignShowsNoEffect() {
        assertThat(Math.abs(conversionZ("wechat-push"))).isLessThan(4);
    }

    @Test
    void badItemsReturnFarMoreOftenAndCollectTheCounterfeitComplaints() throws IOException {
        Set<Long> bad = new HashSet<>();
        truth.get("bad_items").forEach(b -> bad.add(b.get("item_id").asLong()));
        long[] paid = new long[2];
        long[] returned = new long[2];
        for (JsonNode o : orders) {
            for (JsonNode l : o.get("lines")) {
                int k = bad.contains(l.get("item_id").asLong()) ? 1 : 0;
                if (o.get("status").asText().equals("PAID")) {
                    paid[k]++;
                } else {
                    returned[k]++;
                }
            }
        }
        assertThat(paid[1]).isGreaterThan(50);
        assertThat((double) returned[1] / paid[1]).isGreaterThan(3.0 * returned[0] / paid[0]);
        long counterfeit = 0;
        long onBad = 0;
        for (JsonNode r : read("reviews.jsonl")) {
            if ("COUNTERFEIT".equals(r.get("complaint").asText(null))) {
                counterfeit++;
                onBad += bad.contains(r.get("item_id").asLong()) ? 1 : 0;
            }
        }
        assertThat(counterfeit).isPositive();
        assertThat(onBad).isEqualTo(counterfeit);
    }
}
