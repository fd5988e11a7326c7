package io.haitaopulse.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haitaopulse.generator.MarketSimulator;
import io.haitaopulse.generator.SimulatorConfig;
import io.haitaopulse.io.InputFormat;
import io.haitaopulse.io.ReplayOutput;
import io.haitaopulse.runtime.Replay;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every job replayed on three simulated days (scenario default, seed 1) must recover what the
 * simulator planted (truth.json): shocks trend, steady best-sellers never do, true campaign
 * lifts lie in their confidence intervals and the A/A campaign shows nothing, the non-randomised
 * campaign's observational lift is positive, bad items are out of the final sourcing shortlist and
 * star items rank high in it. A MiniCluster test, but over a minute of replay on two cores: it runs
 * with the integration tests in {@code mvn verify} to keep {@code mvn test} within its budget.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlantedTruthRecoveryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    private JsonNode truth;
    private Path out;

    @BeforeAll
    void simulateAndReplay() throws Exception {
        Path events = tmp.resolve("events");
        new MarketSimulator(SimulatorConfig.scenario("default"), 1).run(events);
        truth = JSON.readTree(events.resolve("truth.json").toFile());
        out = tmp.resolve("out");
        Replay.run(new Replay.Spec("all", List.of(events), out, InputFormat.JSONL, new Configuration(), 2, null, null));
    }

    private List<JsonNode> rows(String table) {
        return ReplayOutput.readRows(out.resolve(table + ".jsonl"));
    }

    @Test
    void plantedShocksTrendWithinHalfAnHourWhileSteadyBestSellersNeverDo() {
        Map<Long, List<Long>> trending = new HashMap<>();
        Set<Long> steady = new HashSet<>();
        truth.get("steady_high_volume_items")
                .forEach(s -> steady.add(s.get("item_id").asLong()));
        long steadyWindows = 0;
        Set<Long> steadyFlagged = new HashSet<>();
        for (JsonNode r : rows("demand_trends")) {
            long item = r.get("item_id").asLong();
            if (r.get("trending").asBoolean()) {
                trending.computeIfAbsent(item, k -> new ArrayList<>())
                        .add(r.get("window_end").asLong());
                if (steady.contains(item)) {
                    steadyFlagged.add(item);
                }
            }
            if (steady.contains(item) && !r.get("baseline").isNull()) {
                steadyWindows++;
            }
        }
        List<Long> delays = new ArrayList<>();
        for (JsonNode s : truth.get("shock_items")) {
            long onset = s.get("onset_ts").asLong();
            trending.getOrDefault(s.get("item_id").asLong(), List.of()).stream()
                    .filter(e -> e >= onset)
                    .min(Long::compare)
                    .ifPresentOrElse(first -> delays.add(first - onset), () -> delays.add(Long.MAX_VALUE));
        }
        delays.sort(Long::compare);
        assertThat(delays).hasSizeGreaterThanOrEqualTo(5);
        long inTime = delays.stream().filter(d -> d <= 30 * 60_000L).count();
        assertThat((double) inTime / delays.size())
                .as("recall within 30 minutes")
                .isGreaterThanOrEqualTo(0.9);
        assertThat(delays.get((delays.size() - 1) / 2))
                .as("median time to detection")
                .isLessThanOrEqualTo(15 * 60_000L);
        assertThat(steadyWindows).isGreaterThan(10_000);
        assertThat(steadyFlagged).as("steady best-sellers ever flagged").isEmpty();
    }

    @Test
    void trueCampaignLiftsLieInTheirIntervalsAndTheAaTestShowsNothing() {
        Map<String, JsonNode> last = new HashMap<>();
        for (JsonNode r : rows("campaign_uplift")) {
            last.merge(
                    r.get("campaign_id").asText() + "/" + r.get("metric").asText(),
                    r,
                    (a, b) -> b.get("as_of").asLong() > a.get("as_of").asLong() ? b : a);
        }
        int checked = 0;
        for (JsonNode c : truth.get("campaigns")) {
            if (!c.get("randomised").asBoolean()) {
                continue;
            }
            for (String metric : List.of("conversion", "revenue_per_user")) {
                JsonNode r = last.get(c.get("campaign_id").asText() + "/" + metric);
                double trueLift = c.get("true_lift").get(metric).asDouble();
                assertThat(trueLift)
                        .as("%s %s", c.get("campaign_id"), metric)
                        .isBetween(r.get("ci_low").asDouble(), r.get("ci_high").asDouble());
                assertThat(r.get("srm_p").asDouble())
                        .as("no sample-ratio mismatch")
                        .isGreaterThan(0.001);
                if (c.get("aa_test").asBoolean()) {
                    assertThat(0.0)
                            .isBetween(
                                    r.get("ci_low").asDouble(), r.get("ci_high").asDouble());
                }
                checked++;
            }
        }
        assertThat(checked).isEqualTo(10);
    }

    @Test
    void theCampaignWithoutHoldOutGetsAPositiveObservationalLift() {
        List<JsonNode> did = rows("campaign_did");
        JsonNode last = did.get(did.size() - 1);
        assertThat(last.get("method").asText()).startsWith("observational");
        assertThat(last.get("ci_low").asDouble()).isPositive();
    }

    @Test
    void onceTheEvidenceIsInBadItemsAreOutOfTheShortlistAndStarsRankHigh() {
        Set<Long> bad = new HashSet<>();
        truth.get("bad_items").forEach(b -> bad.add(b.get("item_id").asLong()));
        List<JsonNode> rows = rows("sourcing_shortlist");
        long lastAsOf =
                rows.stream().mapToLong(r -> r.get("as_of").asLong()).max().orElseThrow();
        // Reviews come days after purchases: early shortlists cannot know; the final one must.
        assertThat(rows)
                .filteredOn(r -> r.get("as_of").asLong() == lastAsOf)
                .noneMatch(r -> bad.contains(r.get("item_id").asLong()));
        Map<Long, Integer> finalRank = new HashMap<>();
        rows.stream()
                .filter(r -> r.get("as_of").asLong() == lastAsOf)
                .forEach(r ->
                        finalRank.put(r.get("item_id").asLong(), r.get("rank").asInt()));
        for (JsonNode s : truth.get("star_items")) {
            assertThat(finalRank.get(s.get("item_id").asLong()))
                    .as("star %s", s)
                    .isNotNull()
                    .isLessThanOrEqualTo(10);
        }
    }
}
