package io.haitaopulse.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haitaopulse.io.InputFormat;
import io.haitaopulse.privacy.PrivacyOptions;
import io.haitaopulse.runtime.Replay;
import io.haitaopulse.testutil.TestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traffic and funnel of the genuine Taobao sample against brute-force counts of the CSV: PV
 * exact everywhere, UV exact per minute and per hour while an hour has at most the exact limit
 * of users, and within three standard errors of the HyperLogLog (3 × 0.81 %) beyond it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserBehaviorTrafficTest {

    private static final long MINUTE = 60_000L;
    private static final long HOUR = 3_600_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    private List<String[]> rows;
    private Replay.Result result;
    private Path out;

    @BeforeAll
    void replay() throws Exception {
        Path data = TestData.file("UserBehavior.csv");
        rows = Files.readAllLines(data, StandardCharsets.US_ASCII).stream()
                .map(l -> l.split(","))
                .toList();
        Configuration conf = new Configuration();
        // A fixed key: HyperLogLog estimates depend on the pseudonyms, so only a fixed key repeats them.
        conf.set(PrivacyOptions.PSEUDONYM_SECRET, java.util.Base64.getEncoder().encodeToString(new byte[32]));
        out = tmp.resolve("out");
        result = Replay.run(
                new Replay.Spec("traffic", List.of(data), out, InputFormat.USERBEHAVIOR, conf, 2, null, null));
    }

    /** PV and the set of users per window start, of VIEWs only. */
    private Map<Long, long[]> pv(long size) {
        Map<Long, long[]> pv = new TreeMap<>();
        for (String[] r : rows) {
            if (r[3].equals("pv")) {
                pv.computeIfAbsent(Math.floorDiv(Long.parseLong(r[4]) * 1000, size) * size, k -> new long[1])[0]++;
            }
        }
        return pv;
    }

    private Map<Long, Set<String>> users(long size, String behavior) {
        Map<Long, Set<String>> users = new TreeMap<>();
        for (String[] r : rows) {
            if (r[3].equals(behavior)) {
                users.computeIfAbsent(Math.floorDiv(Long.parseLong(r[4]) * 1000, size) * size, k -> new HashSet<>())
                        .add(r[0]);
            }
        }
        return users;
    }

    private List<JsonNode> table(String name) throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve(name + ".jsonl"), StandardCharsets.UTF_8)) {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }

    @Test
    void minuteAndHourTrafficMatchABruteForceCount() throws Exception {
        assertThat(result.late()).isZero();
        assertThat(result.deadLettered()).isZero();
        Map<String, JsonNode> byKey = new HashMap<>();
        for (JsonNode n : table("traffic")) {
            String key = n.get("granularity").asText() + " "
                    + n.get("dimension").asText() + " " + n.get("value").asText() + " "
                    + n.get("window_start").asLong();
            assertThat(byKey.put(key, n)).as("one row per key: %s", key).isNull();
        }
        int hll = 0;
        int suppressed = 0;
        for (long size : new long[] {MINUTE, HOUR}) {
            String g = size == MINUTE ? "1m" : "1h";
            Map<Long, long[]> pv = pv(size);
            Map<Long, Set<String>> uv = users(size, "pv");
            assertThat(byKey.keySet().stream().filter(k -> k.startsWith(g + " all all ")))
                    .hasSize(pv.size());
            for (Map.Entry<Long, long[]> e : pv.entrySet()) {
                long exact = uv.get(e.getKey()).size();
                JsonNode all = byKey.get(g + " all all " + e.getKey());
                assertThat(all).as("%s window at %d", g, e.getKey()).isNotNull();
                assertThat(all.get("window_end").asLong()).isEqualTo(e.getKey() + size);
                assertThat(all.get("pv").asLong()).as("pv %s %d", g, e.getKey()).isEqualTo(e.getValue()[0]);
                boolean shouldBeExact = size == MINUTE || exact <= TrafficOptions.EXACT_UV_LIMIT.defaultValue();
                assertThat(all.get("uv_exact").asBoolean()).isEqualTo(shouldBeExact);
                if (shouldBeExact) {
                    assertThat(all.get("uv").asLong())
                            .as("uv %s %d", g, e.getKey())
                            .isEqualTo(exact);
                } else {
                    hll++;
                    assertThat((double) all.get("uv").asLong())
                            .as("HyperLogLog uv %s %d", g, e.getKey())
                            .isBetween(exact * (1 - 3 * 0.0081), exact * (1 + 3 * 0.0081));
                }
                // The sample has no channel, region or device: each segment is "unknown", the
                // same numbers as "all", published only with at least k = 10 users.
                for (String dim : List.of("channel", "region", "device")) {
                    JsonNode seg = byKey.get(g + " " + dim + " unknown " + e.getKey());
                    if (exact < 10) {
                        assertThat(seg)
                                .as("%s row of %d users is suppressed", dim, exact)
                                .isNull();
                        suppressed++;
                    } else {
                        assertThat(seg.get("pv")).isEqualTo(all.get("pv"));
                        assertThat(seg.get("uv")).isEqualTo(all.get("uv"));
                    }
                }
            }
        }
        assertThat(byKey).hasSize(pv(MINUTE).size() * 4 + pv(HOUR).size() * 4 - suppressed);
        assertThat(hll).as("hours over the exact limit (the sample has two)").isPositive();
        assertThat(result.kSuppressed()).isEqualTo(suppressed);
    }

    @Test
    void hourlyFunnelMatchesABruteForceCount() throws Exception {
        Map<String, Set<String>> stage = new HashMap<>();
        for (String[] r : rows) {
            long hour = Math.floorDiv(Long.parseLong(r[4]) * 1000, HOUR) * HOUR;
            stage.computeIfAbsent(hour + " " + r[2] + " " + r[3], k -> new HashSet<>())
                    .add(r[0]);
        }
        Set<String> keys = new HashSet<>();
        for (String k : stage.keySet()) {
            if (!k.endsWith(" fav")) {
                keys.add(k.substring(0, k.lastIndexOf(' ')));
            }
        }
        List<JsonNode> funnel = table("funnel");
        assertThat(funnel).hasSize(keys.size());
        for (JsonNode n : funnel) {
            String key =
                    n.get("window_start").asLong() + " " + n.get("category_id").asLong();
            long viewers = stage.getOrDefault(key + " pv", Set.of()).size();
            long carters = stage.getOrDefault(key + " cart", Set.of()).size();
            long buyers = stage.getOrDefault(key + " buy", Set.of()).size();
            assertThat(n.get("viewers").asLong()).as(key).isEqualTo(viewers);
            assertThat(n.get("carters").asLong()).as(key).isEqualTo(carters);
            // The sample has no CREATED orders: a buy is a paid order, which was created too.
            assertThat(n.get("orderers").asLong()).as(key).isEqualTo(buyers);
            assertThat(n.get("payers").asLong()).as(key).isEqualTo(buyers);
            if (viewers == 0) {
                assertThat(n.get("view_to_cart").isNull()).isTrue();
            } else {
                assertThat(n.get("view_to_cart").asDouble()).isEqualTo((double) carters / viewers);
                assertThat(n.get("view_to_paid").asDouble()).isEqualTo((double) buyers / viewers);
            }
        }
        assertThat(table("order_timeouts")).isEmpty();
        assertThat(table("suspicious_events"))
                .as("no person in the sample clicks like a bot")
                .isEmpty();
    }
}
