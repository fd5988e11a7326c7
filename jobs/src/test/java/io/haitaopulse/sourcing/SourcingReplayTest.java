package io.haitaopulse.sourcing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.haitaopulse.io.InputFormat;
import io.haitaopulse.io.ReplayOutput;
import io.haitaopulse.runtime.Replay;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sourcing job end to end on one hour: item 1 is viewed by two users, sells 2 units and gets
 * a 5-star review; item 2 sells too but collects two counterfeit complaints. With the shop's clock
 * at UTC+8 the hour up to 01:00 UTC is 9/24 of the shop's day, so the day's units are scaled by
 * 24/9 for the forecast.
 */
class SourcingReplayTest {

    @TempDir
    Path tmp;

    private static String view(long item, String user, long minute) {
        return String.format(
                "{\"type\":\"click\",\"event_id\":\"%s-%d\",\"user_id\":\"%s\",\"item_id\":%d,\"category_id\":7,"
                        + "\"action\":\"VIEW\",\"ts\":%d}",
                user, minute, user, item, minute * 60_000);
    }

    private static String paid(long item, String user, long minute, int qty, long price) {
        return String.format(
                "{\"type\":\"order\",\"order_id\":\"o%d\",\"user_id\":\"%s\",\"status\":\"PAID\",\"ts\":%d,"
                        + "\"lines\":[{\"item_id\":%d,\"category_id\":7,\"quantity\":%d,\"unit_price_cents\":%d}]}",
                minute, user, minute * 60_000, item, qty, price);
    }

    private static String review(long item, String user, long minute, int rating, String complaint) {
        return String.format(
                "{\"type\":\"review\",\"item_id\":%d,\"user_id\":\"%s\",\"ts\":%d,\"rating\":%d,\"complaint\":%s}",
                item, user, minute * 60_000, rating, complaint == null ? "null" : "\"" + complaint + "\"");
    }

    @Test
    void shortlistsTheSoundItemAndExcludesTheCounterfeitOne() throws Exception {
        List<String> lines = List.of(
                view(1, "u1", 10),
                view(1, "u2", 10),
                view(2, "u3", 15),
                paid(1, "u1", 20, 2, 100),
                review(1, "u1", 30, 5, null),
                paid(2, "u3", 40, 1, 50),
                review(2, "u3", 50, 1, "COUNTERFEIT"),
                review(2, "u4", 50, 1, "COUNTERFEIT"));
        Path in = tmp.resolve("events.jsonl");
        Files.write(in, lines, StandardCharsets.UTF_8);
        Path out = tmp.resolve("out");

        Replay.run(
                new Replay.Spec("sourcing", List.of(in), out, InputFormat.JSONL, new Configuration(), 2, null, null));

        List<JsonNode> rows = ReplayOutput.readRows(out.resolve("sourcing_shortlist.jsonl"));
        assertThat(rows).hasSize(1);
        JsonNode r = rows.get(0);
        assertThat(r.get("as_of").asLong()).isEqualTo(3_600_000L);
        assertThat(r.get("category_id").asLong()).isEqualTo(7);
        assertThat(r.get("rank").asInt()).isEqualTo(1);
        assertThat(r.get("item_id").asLong()).isEqualTo(1);
        assertThat(r.get("forecast_daily_units").asDouble()).isCloseTo(2 * 24.0 / 9, within(1e-12));
        // Category: 2 orders / 3 viewers. Item: 1 order / 2 viewers, prior worth 50 viewers.
        assertThat(r.get("conversion_rate").asDouble()).isCloseTo((1 + 50 * 2.0 / 3) / 52, within(1e-12));
        assertThat(r.get("reasons").get(r.get("reasons").size() - 1).asText()).isEqualTo("no counterfeit complaints");
    }
}
