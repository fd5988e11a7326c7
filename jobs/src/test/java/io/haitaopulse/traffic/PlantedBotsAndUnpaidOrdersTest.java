package io.haitaopulse.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haitaopulse.bots.BotFilter;
import io.haitaopulse.bots.BotOptions;
import io.haitaopulse.generator.MarketSimulator;
import io.haitaopulse.generator.SimulatorConfig;
import io.haitaopulse.io.InputFormat;
import io.haitaopulse.privacy.PrivacyOptions;
import io.haitaopulse.privacy.PseudonymKey;
import io.haitaopulse.privacy.Pseudonymizer;
import io.haitaopulse.runtime.Replay;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A simulated day of scenario {@code small} with two planted bots (one hammering an unpopular
 * item, one clicking through everything) and 5 % of unbought baskets checked out and never paid:
 * the bots, and only they, are held out, the hammered item does not become hot or trending
 * (it does with the filter off), and order_timeouts lists exactly the orders never paid.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlantedBotsAndUnpaidOrdersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PseudonymKey KEY = PseudonymKey.generate();

    @TempDir
    static Path tmp;

    private JsonNode truth;
    private JsonNode repeatBot;
    private Replay.Result filtered;

    @BeforeAll
    void generateAndReplay() throws Exception {
        Path in = tmp.resolve("in");
        new MarketSimulator(SimulatorConfig.scenario("small").withBotsAndUnpaid(2, 0.05), 7).run(in);
        truth = JSON.readTree(in.resolve("truth.json").toFile());
        for (JsonNode b : truth.get("bots")) {
            if (b.get("rule").asText().equals(BotFilter.REPEAT_ITEM)) {
                repeatBot = b;
            }
        }
        filtered = Replay.run(spec(in, tmp.resolve("filtered"), "all", true));
    }

    private static Replay.Spec spec(Path in, Path out, String job, boolean bots) throws IOException {
        List<Path> inputs = new ArrayList<>();
        for (String f : MarketSimulator.FILES) {
            inputs.add(in.resolve(f));
        }
        Configuration c = new Configuration();
        c.set(PrivacyOptions.PSEUDONYM_SECRET, KEY.toBase64());
        c.set(BotOptions.ENABLED, bots);
        return new Replay.Spec(job, inputs, out, InputFormat.JSONL, c, 2, null, null);
    }

    private static List<JsonNode> table(Path dir, String name) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve(name + ".jsonl"), StandardCharsets.UTF_8)) {
            rows.add(JSON.readTree(l));
        }
        return rows;
    }

    private String pseudonym(String user) {
        return new Pseudonymizer(KEY).pseudonym(user);
    }

    @Test
    void theBotsAndOnlyTheyAreHeldOutWithTheRuleEachBreaks() throws Exception {
        assertThat(truth.get("bots")).hasSize(2);
        Set<String> expected = new TreeSet<>();
        for (JsonNode b : truth.get("bots")) {
            expected.add(
                    pseudonym(b.get("user_id").asText()) + " " + b.get("rule").asText());
        }
        Set<String> held = new TreeSet<>();
        long clicks = 0;
        for (JsonNode s : table(tmp.resolve("filtered"), "suspicious_events")) {
            held.add(
                    s.get("event").get("user_id").asText() + " " + s.get("rule").asText());
            clicks++;
        }
        assertThat(held).isEqualTo(expected);
        assertThat(filtered.botCounts())
                .containsEntry(BotFilter.usersCounter(BotFilter.REPEAT_ITEM), 1L)
                .containsEntry(BotFilter.usersCounter(BotFilter.NO_DWELL), 1L);
        long planted = 0;
        for (JsonNode b : truth.get("bots")) {
            planted += b.get("clicks").asLong();
        }
        // Only the views within the limits before each first offence get through.
        assertThat(clicks).isBetween(planted - 10 - 30, planted);
    }

    /** Times at which the hammered item was the hottest of the shop, or trending, during the bot's run. */
    private List<String> hammeredItemStandsOut(Path out) throws IOException {
        long item = repeatBot.get("item_id").asLong();
        long from = repeatBot.get("from").asLong();
        long until = repeatBot.get("until").asLong();
        List<String> found = new ArrayList<>();
        for (JsonNode h : table(out, "hot_items")) {
            long end = h.get("window_end").asLong();
            if (h.get("item_id").asLong() == item
                    && h.get("scope").asText().equals("all")
                    && h.get("rank").asInt() == 1
                    && end > from
                    && end <= until + 3_600_000L) {
                found.add("hot " + end);
            }
        }
        for (JsonNode t : table(out, "demand_trends")) {
            if (t.get("item_id").asLong() == item && t.get("trending").asBoolean()) {
                found.add("trending " + t.get("window_end").asLong());
            }
        }
        return found;
    }

    @Test
    void theHammeredItemIsNeitherHotNorTrendingAndWouldBeWithoutTheFilter() throws Exception {
        assertThat(hammeredItemStandsOut(tmp.resolve("filtered"))).isEmpty();
        Path unfiltered = tmp.resolve("unfiltered");
        Replay.run(spec(tmp.resolve("in"), unfiltered, "trends", false));
        assertThat(hammeredItemStandsOut(unfiltered))
                .as("the bot alone makes the item stand out")
                .isNotEmpty();
    }

    @Test
    void orderTimeoutsAreExactlyTheOrdersNeverPaid() throws Exception {
        Set<String> expected = new TreeSet<>();
        truth.get("unpaid_orders").get("never_paid").forEach(n -> expected.add(n.asText()));
        assertThat(expected).hasSizeGreaterThan(20);
        assertThat(truth.get("unpaid_orders").get("payment_timeout_ms").asLong())
                .isEqualTo(TrafficOptions.PAYMENT_TIMEOUT.defaultValue().toMillis());
        Set<String> actual = new TreeSet<>();
        for (JsonNode t : table(tmp.resolve("filtered"), "order_timeouts")) {
            actual.add(t.get("order_id").asText());
            assertThat(t.get("timeout_ts").asLong() - t.get("created_ts").asLong())
                    .isEqualTo(Duration.ofMinutes(15).toMillis());
            assertThat(t.get("paid_late_ts").isNull()).isTrue();
        }
        assertThat(actual).isEqualTo(expected);
        // Checked out but never paid: they reach the order stage of the funnel, not the paid one.
        long orderers = 0;
        long payers = 0;
        for (JsonNode f : table(tmp.resolve("filtered"), "funnel")) {
            orderers += f.get("orderers").asLong();
            payers += f.get("payers").asLong();
            assertThat(f.get("payers").asLong())
                    .isLessThanOrEqualTo(f.get("orderers").asLong());
        }
        assertThat(orderers).isGreaterThan(payers);
    }
}
