package io.haitaopulse.trends;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.haitaopulse.common.PulseOptions;
import io.haitaopulse.generator.MarketSimulator;
import io.haitaopulse.generator.SimulatorConfig;
import io.haitaopulse.io.InputFormat;
import io.haitaopulse.io.ReplayOutput;
import io.haitaopulse.runtime.Replay;
import io.haitaopulse.testutil.LooseTrends;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * trend_alerts of a replay hold each episode once, as its final state: half a simulated day replayed by
 * {@code --job trends} at parallelism 2, and the episodes derived here independently from the same
 * replay's demand_trends (every trending window has a row there): an episode is a run of trending
 * windows of one item, each one {@code --slide} after the last; it starts at the first window's end
 * and ends one slide after the last (the next evaluated window, where the item no longer trends;
 * the end of input evaluates every window); its peaks are the maxima over its windows.
 */
class TrendAlertsReplayTest {

    @TempDir
    Path tmp;

    /** One row of trend_alerts, or one episode derived from demand_trends. */
    record Episode(
            long itemId,
            long categoryId,
            long startedAt,
            Long endedAt,
            long lastWindowEnd,
            double peakRatio,
            double peakZ,
            long peakViews) {}

    @Test
    void everyEpisodeIsOneRowHoldingItsFinalState() throws Exception {
        Path events = tmp.resolve("events");
        // Half a day of the small shop, thresholds loosened: over ten episodes, some over several windows.
        new MarketSimulator(SimulatorConfig.scenario("small").withDuration(Duration.ofHours(12)), 5).run(events);
        Configuration options = new Configuration();
        LooseTrends.apply(options);
        Path out = tmp.resolve("out");
        Replay.Result r =
                Replay.run(new Replay.Spec("trends", List.of(events), out, InputFormat.JSONL, options, 2, null, null));

        long slide = options.get(PulseOptions.SLIDE).toMillis();
        List<Episode> derived = episodesOf(ReplayOutput.readRows(out.resolve("demand_trends.jsonl")), slide);
        List<Episode> written = ReplayOutput.readRows(out.resolve("trend_alerts.jsonl")).stream()
                .map(TrendAlertsReplayTest::episode)
                .toList();

        assertThat(derived).as("episodes in demand_trends").hasSizeGreaterThan(10);
        assertThat(derived)
                .as("episodes over several windows, written in several versions")
                .anyMatch(e -> e.lastWindowEnd() > e.startedAt());
        assertThat(written).isEqualTo(derived);
        assertThat(r.rowsPerTable()).containsEntry("trend_alerts", (long) derived.size());
    }

    private static Episode episode(JsonNode row) {
        JsonNode ended = row.get("ended_at");
        return new Episode(
                row.get("item_id").asLong(),
                row.get("category_id").asLong(),
                row.get("started_at").asLong(),
                ended == null || ended.isNull() ? null : ended.asLong(),
                row.get("last_window_end").asLong(),
                row.get("peak_ratio").asDouble(),
                row.get("peak_z").asDouble(),
                row.get("peak_views").asLong());
    }

    /** Runs of consecutive trending windows per item, sorted by item and start as the replay file is. */
    private static List<Episode> episodesOf(List<JsonNode> demandTrends, long slide) {
        Map<Long, List<JsonNode>> trendingByItem = new TreeMap<>();
        for (JsonNode row : demandTrends) {
            if (row.get("trending").asBoolean()) {
                trendingByItem
                        .computeIfAbsent(row.get("item_id").asLong(), k -> new ArrayList<>())
                        .add(row);
            }
        }
        List<Episode> episodes = new ArrayList<>();
        for (List<JsonNode> windows : trendingByItem.values()) {
            windows.sort(Comparator.comparingLong(w -> w.get("window_end").asLong()));
            Episode open = null;
            for (JsonNode w : windows) {
                long end = w.get("window_end").asLong();
                double ratio = w.get("ratio").asDouble();
                double z = w.get("z").asDouble();
                long views = w.get("views").asLong();
                if (open != null && end == open.lastWindowEnd() + slide) {
                    open = new Episode(
                            open.itemId(),
                            open.categoryId(),
                            open.startedAt(),
                            null,
                            end,
                            Math.max(open.peakRatio(), ratio),
                            Math.max(open.peakZ(), z),
                            Math.max(open.peakViews(), views));
                } else {
                    if (open != null) {
                        episodes.add(ended(open, slide));
                    }
                    open = new Episode(
                            w.get("item_id").asLong(), w.get("category_id").asLong(), end, null, end, ratio, z, views);
                }
            }
            episodes.add(ended(open, slide));
        }
        return episodes;
    }

    private static Episode ended(Episode e, long slide) {
        return new Episode(
                e.itemId(),
                e.categoryId(),
                e.startedAt(),
                e.lastWindowEnd() + slide,
                e.lastWindowEnd(),
                e.peakRatio(),
                e.peakZ(),
                e.peakViews());
    }
}
