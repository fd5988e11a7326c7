package io.haitaopulse.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haitaopulse.generator.MarketSimulator;
import io.haitaopulse.io.InputFormat;
import io.haitaopulse.io.ReplayOutput;
import io.haitaopulse.privacy.PrivacyOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's Trending page has something to show from its first shop day: the shop {@code bin/pulse
 * demo} simulates by default (scenario default, seed 1, with its first-impression spikes) replayed
 * through the trends job, as the live demo computes it. Every planted spike becomes a trend alert
 * while it lasts, and from the ninth to the eighteenth shop hour of day one the page's alerts
 * (episodes open, or ended within the last 6 hours) are never empty.
 */
class FirstImpressionIT {

    private static final long HOUR = Duration.ofHours(1).toMillis();

    @TempDir
    Path tmp;

    @Test
    void everyPlantedSpikeTrendsAndDayOneAlwaysHasAnAlertFromItsNinthHour() throws Exception {
        Path events = tmp.resolve("events");
        new MarketSimulator(LiveDemo.simulatorConfig("default"), 1).run(events);
        Configuration options = new Configuration();
        // A fixed key: distinct viewer counts are sketches of the pseudonyms, so they depend on it.
        options.set(
                PrivacyOptions.PSEUDONYM_SECRET,
                Base64.getEncoder()
                        .encodeToString("first-impression-of-the-demo-key".getBytes(StandardCharsets.UTF_8)));
        Path out = tmp.resolve("out");
        Replay.run(new Replay.Spec("trends", List.of(events), out, InputFormat.JSONL, options, 2, null, null));

        JsonNode truth =
                new ObjectMapper().readTree(events.resolve("truth.json").toFile());
        long start = truth.get("start").asLong();
        List<JsonNode> alerts = ReplayOutput.readRows(out.resolve("trend_alerts.jsonl"));

        List<String> planted = new ArrayList<>();
        List<String> undetected = new ArrayList<>();
        for (JsonNode spike : truth.get("shock_items")) {
            if (!spike.hasNonNull("phase")) {
                continue; // the scenario's own shocks, on its second afternoon
            }
            long item = spike.get("item_id").asLong();
            long onset = spike.get("onset_ts").asLong();
            long end = spike.get("end_ts").asLong();
            planted.add(item + " " + spike.get("phase").asText());
            boolean detected = alerts.stream()
                    .anyMatch(a -> a.get("item_id").asLong() == item
                            && a.get("started_at").asLong() >= onset
                            && a.get("started_at").asLong() <= end);
            if (!detected) {
                undetected.add(String.format("%d (onset %.1f h)", item, (onset - start) / (double) HOUR));
            }
        }
        assertThat(planted).as("first-impression spikes planted").hasSize(8);
        assertThat(undetected)
                .as("planted spikes without an alert while they last")
                .isEmpty();

        List<Double> emptyHours = new ArrayList<>();
        for (long t = start + 9 * HOUR; t <= start + 18 * HOUR; t += HOUR / 2) {
            long now = t;
            boolean shown = alerts.stream().anyMatch(a -> {
                JsonNode ended = a.get("ended_at");
                return a.get("started_at").asLong() <= now
                        && (ended == null || ended.isNull() || ended.asLong() > now - 6 * HOUR);
            });
            if (!shown) {
                emptyHours.add((now - start) / (double) HOUR);
            }
        }
        assertThat(emptyHours)
                .as("shop hours of day one at which the Trending page shows no alert")
                .isEmpty();
    }
}
