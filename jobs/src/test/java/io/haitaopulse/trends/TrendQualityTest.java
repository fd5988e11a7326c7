package io.haitaopulse.trends;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haitaopulse.trends.TrendQuality.Alarm;
import io.haitaopulse.trends.TrendQuality.Score;
import io.haitaopulse.trends.TrendQuality.SpikeOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scoring and cutting of {@link TrendQuality} on hand-made truth and rows, counted by hand. */
class TrendQualityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long M = 60_000L;
    private static final Duration SLIDE = Duration.ofMinutes(5);
    private static final Duration WITHIN = Duration.ofMinutes(30);

    @TempDir
    Path tmp;

    /** Spikes on items 1 (onset 100 min), 2 (200 min), 3 (590 min); decoys 8 and 9. */
    private static JsonNode truth() {
        ObjectNode t = JSON.createObjectNode();
        ArrayNode shocks = t.putArray("shock_items");
        shock(shocks, 1, 100 * M, "large", "step");
        shock(shocks, 2, 200 * M, "medium", "ramp");
        shock(shocks, 3, 590 * M, "small", "step");
        t.putArray("steady_high_volume_items").addObject().put("item_id", 5);
        ArrayNode decoys = t.putArray("decoy_items");
        decoys.addObject().put("item_id", 8);
        decoys.addObject().put("item_id", 9);
        return t;
    }

    private static void shock(ArrayNode a, long item, long onset, String band, String kind) {
        a.addObject()
                .put("item_id", item)
                .put("onset_ts", onset)
                .put("kind", kind)
                .put("multiplier", 4.0)
                .put("size_band", band)
                .put("phase", "day-2");
    }

    private static JsonNode row(long item, long windowEndMinutes, boolean trending) {
        return JSON.createObjectNode()
                .put("item_id", item)
                .put("window_end", windowEndMinutes * M)
                .put("views", 20 + windowEndMinutes % 7)
                .put("z", windowEndMinutes / 10.0)
                .put("trending", trending);
    }

    @Test
    void scoresDelaysRecallFalseAlarmsEpisodesAndPrecision() {
        List<JsonNode> rows = new ArrayList<>();
        // Item 1: trending at 95 (before its onset) and from 125 on: found after 25 minutes.
        rows.add(row(1, 95, true));
        rows.add(row(1, 100, false));
        rows.add(row(1, 125, true));
        rows.add(row(1, 130, true));
        // Item 2: found after 35 minutes, too late for recall within 30.
        rows.add(row(2, 235, true));
        // Item 3: onset 590, data ends at 600: not scored, but flagged after its onset it counts as planted.
        rows.add(row(3, 595, true));
        // Other items: 4 in two episodes (50-55, then 65: one window without trending between),
        // 5 in one; rows that are not trending do not count.
        rows.add(row(4, 50, true));
        rows.add(row(4, 55, true));
        rows.add(row(4, 65, true));
        rows.add(row(5, 300, true));
        rows.add(row(6, 300, false));
        // Decoy 9, once.
        rows.add(row(9, 400, true));

        Score s = TrendQuality.score(truth(), rows, 600 * M, WITHIN, SLIDE);

        assertThat(s.spikes())
                .extracting(SpikeOutcome::itemId, SpikeOutcome::delayMs, SpikeOutcome::flaggedBeforeOnset)
                .containsExactly(tuple(1L, 25 * M, true), tuple(2L, 35 * M, false));
        assertThat(s.recall()).isEqualTo(0.5);
        assertThat(s.recall(o -> o.band().equals("large"))).isEqualTo(1.0);
        assertThat(s.otherItems()).containsExactly(4L, 5L);
        assertThat(s.otherEpisodes()).isEqualTo(3);
        assertThat(s.decoysFlagged()).containsExactly(9L);
        assertThat(s.decoys()).isEqualTo(2);
        // Flagged: 1, 2, 3, 4, 5, 9; planted and flagged after their onset: 1, 2, 3.
        assertThat(s.flaggedItems()).isEqualTo(6);
        assertThat(s.precision()).isEqualTo(0.5);
        // Every episode of an item not planted as a spike, in time order; item 5 is a best-seller.
        assertThat(s.alarms())
                .containsExactly(
                        new Alarm(4, "other", 50 * M, 2, 5.5, 26),
                        new Alarm(4, "other", 65 * M, 1, 6.5, 22),
                        new Alarm(5, "best-seller", 300 * M, 1, 30.0, 26),
                        new Alarm(9, "decoy", 400 * M, 1, 40.0, 21));
    }

    @Test
    void aSpikeNeverFlaggedAfterItsOnsetHasNoDelay() {
        Score s = TrendQuality.score(truth(), List.of(row(1, 95, true)), 600 * M, WITHIN, SLIDE);
        assertThat(s.spikes()).allMatch(o -> o.delayMs() == null);
        assertThat(s.recall()).isEqualTo(0.0);
        assertThat(s.flaggedItems()).isEqualTo(1);
        assertThat(s.precision()).isEqualTo(0.0);
    }

    @Test
    void episodesAreRunsOfConsecutiveWindows() {
        assertThat(TrendQuality.episodes(new TreeSet<>(List.of(5L, 10L, 15L, 25L, 35L, 40L)), 5))
                .isEqualTo(3);
        assertThat(TrendQuality.episodes(new TreeSet<>(), 5)).isZero();
    }

    @Test
    void cuttingKeepsEventsBeforeTheEndAndTheCatalogueWhole() throws IOException {
        Path from = tmp.resolve("from");
        Files.createDirectories(from);
        Files.writeString(from.resolve("truth.json"), "{}");
        Files.writeString(from.resolve("items.jsonl"), "{\"type\":\"item\",\"item_id\":1,\"ts\":999999}\n");
        Files.writeString(
                from.resolve("clicks.jsonl"),
                "{\"type\":\"click\",\"ts\":10}\n{\"type\":\"click\",\"ts\":100}\n{\"type\":\"click\",\"ts\":99}\n");
        Files.writeString(
                from.resolve("campaigns.jsonl"),
                "{\"type\":\"campaign\",\"start_ts\":50,\"end_ts\":500}\n{\"type\":\"campaign\",\"start_ts\":100}\n");
        for (String f : List.of("orders.jsonl", "exposures.jsonl", "reviews.jsonl")) {
            Files.writeString(from.resolve(f), "");
        }
        Path to = tmp.resolve("to");
        TrendQuality.cut(from, to, 100);
        assertThat(Files.readAllLines(to.resolve("clicks.jsonl"), StandardCharsets.UTF_8))
                .containsExactly("{\"type\":\"click\",\"ts\":10}", "{\"type\":\"click\",\"ts\":99}");
        assertThat(Files.readAllLines(to.resolve("campaigns.jsonl"), StandardCharsets.UTF_8))
                .containsExactly("{\"type\":\"campaign\",\"start_ts\":50,\"end_ts\":500}");
        assertThat(Files.readString(to.resolve("items.jsonl")))
                .isEqualTo(Files.readString(from.resolve("items.jsonl")));
        assertThat(Files.readString(to.resolve("orders.jsonl"))).isEmpty();
    }

    @Test
    void jobOptionsMustBeKnownAndValid() {
        assertThat(TrendQuality.jobOptions(Map.of("pulse.trends.min-z", "3")).toMap())
                .containsEntry("pulse.trends.min-z", "3");
        assertThatThrownBy(() -> TrendQuality.jobOptions(Map.of("pulse.trends.min-zz", "3")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("did you mean pulse.trends.min-z");
        assertThatThrownBy(() -> TrendQuality.jobOptions(Map.of("pulse.trends.min-views", "-1")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
