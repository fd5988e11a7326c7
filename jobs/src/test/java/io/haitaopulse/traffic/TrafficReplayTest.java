package io.haitaopulse.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haitaopulse.common.PulseOptions;
import io.haitaopulse.io.InputFormat;
import io.haitaopulse.privacy.PrivacyOptions;
import io.haitaopulse.privacy.PseudonymKey;
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
 * A hand-computed traffic and funnel case with a partly late view (its minute final, its hour
 * open) and a late one (its hour final). Max delay 5 s, k = 1 so that every segment row shows.
 */
class TrafficReplayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long H = 3_600_000L;

    @TempDir
    Path tmp;

    private static String view(String id, String user, long ts, String extra) {
        return "{\"type\":\"click\",\"event_id\":\"" + id + "\",\"user_id\":\"" + user
                + "\",\"item_id\":1,\"category_id\":9," + "\"action\":\"VIEW\",\"ts\":" + ts + extra + "}";
    }

    @Test
    void minuteHourSegmentsLateAndPartlyLateViewsAndTheFunnel() throws Exception {
        String wechat = ",\"channel\":\"WECHAT\",\"region\":\"shanghai\",\"device\":\"ios\"";
        List<String> lines = List.of(
                view("e1", "u1", 0, wechat),
                view("e2", "u2", 10_000, ",\"channel\":\"WECHAT\",\"region\":\"beijing\",\"device\":\"android\""),
                view("e3", "u1", 20_000, ",\"channel\":\"SEARCH\",\"region\":\"shanghai\",\"device\":\"ios\""),
                "{\"type\":\"click\",\"event_id\":\"e4\",\"user_id\":\"u3\",\"item_id\":1,\"category_id\":9,\"action\":\"CART\",\"ts\":30000}",
                view("e5", "u3", 70_000, ""),
                view("e6", "u4", 130_000, ""), // watermark 124,999: minutes [0, 60 s) and [60 s, 120 s) are final
                view("e7", "u5", 50_000, ""), // partly late: counts in hour 0 only
                view("e8", "u6", H + 10_000, ""), // watermark past hour 0
                view("e9", "u7", 100_000, "")); // late: hour 0 final
        Path in = tmp.resolve("in.jsonl");
        Files.write(in, lines, StandardCharsets.UTF_8);
        Configuration conf = new Configuration();
        conf.set(PulseOptions.MAX_DELAY, Duration.ofSeconds(5));
        conf.set(PrivacyOptions.K_ANONYMITY, 1);
        conf.set(PrivacyOptions.PSEUDONYM_SECRET, PseudonymKey.generate().toBase64());
        Path out = tmp.resolve("out");
        Replay.Result r =
                Replay.run(new Replay.Spec("traffic", List.of(in), out, InputFormat.JSONL, conf, 2, null, null));

        List<String> traffic = new ArrayList<>();
        for (JsonNode n : rows(out, "traffic")) {
            traffic.add(n.get("granularity").asText() + " " + n.get("dimension").asText() + " "
                    + n.get("value").asText() + " "
                    + n.get("window_start").asLong() / 1000 + " pv "
                    + n.get("pv").asLong() + " uv " + n.get("uv").asLong()
                    + (n.get("uv_exact").asBoolean() ? "" : " estimate"));
        }
        assertThat(traffic)
                .filteredOn(s -> s.contains(" all all "))
                .containsExactlyInAnyOrder(
                        "1m all all 0 pv 3 uv 2",
                        "1m all all 60 pv 1 uv 1",
                        "1m all all 120 pv 1 uv 1",
                        "1m all all 3600 pv 1 uv 1",
                        // e1, e2, e3, e5, e6 and the partly late e7; not e9
                        "1h all all 0 pv 6 uv 5",
                        "1h all all 3600 pv 1 uv 1");
        assertThat(traffic)
                .filteredOn(s -> s.startsWith("1h channel "))
                .containsExactlyInAnyOrder(
                        "1h channel WECHAT 0 pv 2 uv 2",
                        "1h channel SEARCH 0 pv 1 uv 1",
                        "1h channel unknown 0 pv 3 uv 3",
                        "1h channel unknown 3600 pv 1 uv 1");
        assertThat(traffic)
                .filteredOn(s -> s.startsWith("1m region ") && s.contains(" 0 pv"))
                .containsExactlyInAnyOrder("1m region shanghai 0 pv 2 uv 1", "1m region beijing 0 pv 1 uv 1");
        assertThat(traffic)
                .filteredOn(s -> s.startsWith("1h device ") && s.contains(" 0 pv"))
                .containsExactlyInAnyOrder(
                        "1h device ios 0 pv 2 uv 1", "1h device android 0 pv 1 uv 1", "1h device unknown 0 pv 3 uv 3");
        // Minutes: 0 s has all + 2 channels + 2 regions + 2 devices, the other three all + 3 unknowns;
        // hour 0: all + 3 values per dimension, hour 1: all + 3 unknowns.
        assertThat(traffic).hasSize(7 + 3 * 4 + 10 + 4);

        List<String> late = new ArrayList<>();
        for (JsonNode n : rows(out, "late_events")) {
            late.add(n.get("event").get("event_id").asText() + " "
                    + n.get("reason").asText().split(":")[0]);
        }
        assertThat(late).containsExactlyInAnyOrder("e7 traffic", "e9 traffic", "e9 funnel");
        assertThat(r.late()).isEqualTo(3);

        List<JsonNode> funnel = rows(out, "funnel");
        assertThat(funnel).hasSize(2);
        JsonNode hour0 = funnel.get(0);
        assertThat(hour0.get("window_start").asLong()).isZero();
        // Viewers u1..u5 (e7 is on time for the hour), carter u3, no orders.
        assertThat(hour0.get("viewers").asLong()).isEqualTo(5);
        assertThat(hour0.get("carters").asLong()).isEqualTo(1);
        assertThat(hour0.get("orderers").asLong()).isZero();
        assertThat(hour0.get("view_to_cart").asDouble()).isEqualTo(0.2);
        assertThat(hour0.get("cart_to_order").asDouble()).isZero();
        assertThat(hour0.get("order_to_paid").isNull()).isTrue();
    }

    private static List<JsonNode> rows(Path out, String table) throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (String l : Files.readAllLines(out.resolve(table + ".jsonl"), StandardCharsets.UTF_8)) {
            nodes.add(JSON.readTree(l));
        }
        return nodes;
    }
}
