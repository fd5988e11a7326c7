package io.haitaopulse.trends;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trends job end to end on a MiniCluster, on a small case computed by hand: windows of 10 s
 * sliding by 5 s, top 2, max delay 2 s. Items 1 and 2 are in category 100, item 3 in 200.
 */
class HotItemsReplayTest {

    @TempDir
    Path tmp;

    private static String view(long item, long category, double seconds) {
        return click(item, category, "VIEW", seconds);
    }

    private static String click(long item, long category, String action, double seconds) {
        return String.format(
                "{\"type\":\"click\",\"event_id\":\"e%d-%s\",\"user_id\":\"u1\",\"item_id\":%d,\"category_id\":%d,"
                        + "\"action\":\"%s\",\"ts\":%d}",
                item, seconds, item, category, action, (long) (seconds * 1000));
    }

    static Configuration options(Duration window, Duration slide, int top, Duration maxDelay) {
        Configuration c = new Configuration();
        c.set(PulseOptions.WINDOW, window);
        c.set(PulseOptions.SLIDE, slide);
        c.set(PulseOptions.TOP, top);
        c.set(PulseOptions.MAX_DELAY, maxDelay);
        return c;
    }

    @Test
    void handComputedCaseWithTiesLateEventsAndBadLines() throws Exception {
        String malformed = "{\"type\":\"click\",\"event_id\":\"e10\",\"user_id\":\"u\",\"item_id\":\"x\"}";
        List<String> lines = List.of(
                view(1, 100, 1),
                view(2, 100, 2),
                view(1, 100, 3),
                view(3, 200, 6),
                view(2, 100, 5), // out of order, within the 2 s bound
                click(2, 100, "CART", 7), // not a view: never counted
                view(3, 200, 12), // watermark -> 9.999 s
                view(1, 100, 4), // its last window [0,10) fired at 9.999 s: late
                view(3, 200, 9.5), // partly late: [0,10) is final, [5,15) still counts it
                malformed,
                "",
                view(1, 100, 20));
        Path in = tmp.resolve("events.jsonl");
        Files.write(in, lines, StandardCharsets.UTF_8);
        Path out = tmp.resolve("out");

        Configuration options = options(Duration.ofSeconds(10), Duration.ofSeconds(5), 2, Duration.ofSeconds(2));
        PseudonymKey key = PseudonymKey.generate();
        options.set(PrivacyOptions.PSEUDONYM_SECRET, key.toBase64());
        Replay.Result r =
                Replay.run(new Replay.Spec("trends", List.of(in), out, InputFormat.JSONL, options, 2, null, null));

        assertThat(r.read()).isEqualTo(11);
        assertThat(r.deadLettered()).isEqualTo(1);
        assertThat(r.late()).isEqualTo(2);
        assertThat(Files.readAllLines(out.resolve("hot_items.jsonl")))
                .containsExactly(
                        hot(-5, 5, "all", 1, 1, 2),
                        hot(-5, 5, "all", 2, 2, 1),
                        hot(-5, 5, "100", 1, 1, 2),
                        hot(-5, 5, "100", 2, 2, 1),
                        // [0,10): items 1 and 2 tie at 2 views, the smaller id first
                        hot(0, 10, "all", 1, 1, 2),
                        hot(0, 10, "all", 2, 2, 2),
                        hot(0, 10, "100", 1, 1, 2),
                        hot(0, 10, "100", 2, 2, 2),
                        hot(0, 10, "200", 1, 3, 1),
                        hot(5, 15, "all", 1, 3, 3),
                        hot(5, 15, "all", 2, 2, 1),
                        hot(5, 15, "100", 1, 2, 1),
                        hot(5, 15, "200", 1, 3, 3),
                        hot(10, 20, "all", 1, 3, 1),
                        hot(10, 20, "200", 1, 3, 1),
                        hot(15, 25, "all", 1, 1, 1),
                        hot(15, 25, "100", 1, 1, 1),
                        hot(20, 30, "all", 1, 1, 1),
                        hot(20, 30, "100", 1, 1, 1));
        List<JsonNode> late = ReplayOutput.readRows(out.resolve("late_events.jsonl"));
        assertThat(late).hasSize(2);
        assertThat(late.get(0).get("event").get("type").asText()).isEqualTo("click");
        assertThat(late.get(0).get("event").get("ts").asLong()).isEqualTo(4000);
        assertThat(late.get(0).get("watermark").asLong()).isEqualTo(9999);
        assertThat(late.get(0).get("reason").asText())
                .contains("[0, 10000) is final")
                .endsWith("not counted");
        assertThat(late.get(1).get("event").get("ts").asLong()).isEqualTo(9500);
        assertThat(late.get(1).get("reason").asText()).contains("windows ending at or before 10000 are final");
        List<JsonNode> dead = ReplayOutput.readRows(out.resolve("dead_letters.jsonl"));
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).get("raw").asText())
                .as("the line as read, its user id pseudonymised")
                .isEqualTo(malformed.replace(
                        "\"user_id\":\"u\"", "\"user_id\":\"" + new Pseudonymizer(key).pseudonym("u") + "\""));
        assertThat(dead.get(0).get("reason").asText()).isEqualTo("field 'item_id' must be an integer");
        assertThat(dead.get(0).get("source").asText())
                .isEqualTo(in.toAbsolutePath().toString());
        assertThat(out.resolve(".parts")).doesNotExist();
    }

    @Test
    void everyTableIsWrittenEvenWhenEmpty() throws Exception {
        Path in = tmp.resolve("only-carts.jsonl");
        Files.write(in, List.of(click(1, 100, "CART", 1)), StandardCharsets.UTF_8);
        Path out = tmp.resolve("out");
        Replay.run(new Replay.Spec(
                "trends",
                List.of(in),
                out,
                InputFormat.JSONL,
                options(Duration.ofHours(1), Duration.ofMinutes(5), 10, Duration.ofSeconds(5)),
                1,
                null,
                null));
        for (String table : List.of("hot_items", "late_events", "dead_letters")) {
            assertThat(out.resolve(table + ".jsonl")).exists().isEmptyFile();
        }
    }

    static String hot(long startSeconds, long endSeconds, String scope, int rank, long item, long views) {
        return String.format(
                "{\"window_start\":%d,\"window_end\":%d,\"scope\":\"%s\",\"rank\":%d,\"item_id\":%d,\"views\":%d}",
                startSeconds * 1000, endSeconds * 1000, scope, rank, item, views);
    }

    static List<String> lines(Path p) throws Exception {
        return new ArrayList<>(Files.readAllLines(p, StandardCharsets.UTF_8));
    }
}
