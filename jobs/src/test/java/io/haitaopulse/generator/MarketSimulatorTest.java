package io.haitaopulse.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haitaopulse.io.JsonLinesParser;
import io.haitaopulse.schema.DeadLetter;
import io.haitaopulse.schema.Item;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The simulator on its small scenario: determinism, valid output, and the statistics it was asked for. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MarketSimulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    private Path out;
    private JsonNode truth;

    @BeforeAll
    void generate() throws IOException {
        out = tmp.resolve("seed-7");
        new MarketSimulator(SimulatorConfig.scenario("small"), 7).run(out);
        truth = JSON.readTree(out.resolve("truth.json").toFile());
    }

    private List<JsonNode> lines(String file) throws IOException {
        return Files.readAllLines(out.resolve(file), StandardCharsets.UTF_8).stream()
                .map(l -> {
                    try {
                        return JSON.readTree(l);
                    } catch (IOException e) {
                        throw new AssertionError(l, e);
                    }
                })
                .toList();
    }

    @Test
    void theSameSeedGivesByteIdenticalFilesAndAnotherSeedDoesNot() throws IOException {
        Path again = tmp.resolve("seed-7-again");
        Path other = tmp.resolve("seed-8");
        new MarketSimulator(SimulatorConfig.scenario("small"), 7).run(again);
        new MarketSimulator(SimulatorConfig.scenario("small"), 8).run(other);
        for (String f : List.of(
                "clicks.jsonl",
                "orders.jsonl",
                "campaigns.jsonl",
                "exposures.jsonl",
                "reviews.jsonl",
                "truth.json",
                MarketSimulator.ITEMS_FILE)) {
            assertThat(Files.readAllBytes(again.resolve(f))).as(f).isEqualTo(Files.readAllBytes(out.resolve(f)));
        }
        assertThat(Files.readAllBytes(other.resolve("clicks.jsonl")))
                .isNotEqualTo(Files.readAllBytes(out.resolve("clicks.jsonl")));
        assertThat(Files.readAllBytes(other.resolve(MarketSimulator.ITEMS_FILE)))
                .isNotEqualTo(Files.readAllBytes(out.resolve(MarketSimulator.ITEMS_FILE)));
    }

    @Test
    void theCatalogueNamesEveryItemTheShopSellsAtItsOwnPrice() throws IOException {
        JsonLinesParser parser = new JsonLinesParser();
        Map<Long, Item> catalogue = new HashMap<>();
        Map<String, String> countryOfBrand = new HashMap<>();
        Map<Long, String> categoryNames = new HashMap<>();
        Set<String> names = new HashSet<>();
        long previous = Long.MIN_VALUE;
        for (String line : Files.readAllLines(out.resolve(MarketSimulator.ITEMS_FILE), StandardCharsets.UTF_8)) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            Object body = parser.parse(b, 0, b.length, "items.jsonl", 0L).getBody();
            assertThat(body).as(line).isInstanceOf(Item.class);
            Item item = (Item) body;
            assertThat(item.getItemId()).as("in item order").isGreaterThan(previous);
            previous = item.getItemId();
            assertThat(item.getTs()).as("valid from the start").isEqualTo(SimulatorConfig.DEFAULT_START);
            assertThat(names.add(item.getCategoryId() + " " + item.getName()))
                    .as("unique within its category: %s", item.getName())
                    .isTrue();
            assertThat(item.getName()).startsWith(item.getBrand() + " ");
            assertThat(countryOfBrand.computeIfAbsent(item.getBrand(), x -> item.getOriginCountry()))
                    .as("one country per brand")
                    .isEqualTo(item.getOriginCountry())
                    .matches("[A-Z]{2}");
            assertThat(categoryNames.computeIfAbsent(item.getCategoryId(), x -> item.getCategoryName()))
                    .isEqualTo(item.getCategoryName())
                    .matches("[A-Z][a-z ]+ / \\p{IsHan}+");
            catalogue.put(item.getItemId(), item);
        }
        SimulatorConfig small = SimulatorConfig.scenario("small");
        assertThat(catalogue).hasSize(small.itemsPerCategory() * 10);
        assertThat(categoryNames).hasSize(10).containsEntry(101L, "Infant formula / 婴儿奶粉");
        long lines = 0;
        for (JsonNode order : lines("orders.jsonl")) {
            for (JsonNode l : order.get("lines")) {
                Item item = catalogue.get(l.get("item_id").asLong());
                assertThat(item).as("sold, so in the catalogue").isNotNull();
                assertThat(item.getCategoryId()).isEqualTo(l.get("category_id").asLong());
                assertThat(item.getPriceCents())
                        .isEqualTo(l.get("unit_price_cents").asLong());
                lines++;
            }
        }
        assertThat(lines).isGreaterThan(100);
        assertThat(lines("clicks.jsonl"))
                .allSatisfy(
                        c -> assertThat(catalogue).containsKey(c.get("item_id").asLong()));
    }

    @Test
    void everyLineIsAValidEventAndTheCountsMatchTheTruth() throws IOException {
        JsonLinesParser parser = new JsonLinesParser();
        for (String f : MarketSimulator.FILES) {
            List<String> raw = Files.readAllLines(out.resolve(f), StandardCharsets.UTF_8);
            assertThat(truth.get("lines_written").get(f).asLong()).as(f).isEqualTo(raw.size());
            for (String line : raw) {
                byte[] b = line.getBytes(StandardCharsets.UTF_8);
                assertThat(parser.parse(b, 0, b.length, f, 0L).getBody())
                        .as(line)
                        .isNotInstanceOf(DeadLetter.class);
            }
        }
    }

    @Test
    void malformedLinesBecomeExactlyThatManyDeadLetters() throws IOException {
        Path bad = tmp.resolve("malformed");
        SimulatorConfig cfg = SimulatorConfig.scenario("small")
                .withDuration(Duration.ofHours(6))
                .withDisorder(Duration.ofSeconds(5), 0.0, 0.02);
        new MarketSimulator(cfg, 3).run(bad);
        long expected = JSON.readTree(bad.resolve("truth.json").toFile())
                .get("malformed_lines")
                .asLong();
        JsonLinesParser parser = new JsonLinesParser();
        long dead = 0;
        for (String line : Files.readAllLines(bad.resolve("clicks.jsonl"), StandardCharsets.UTF_8)) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            if (parser.parse(b, 0, b.length, "clicks", 0L).getBody() instanceof DeadLetter) {
                dead++;
            }
        }
        assertThat(expected).isPositive();
        assertThat(dead).isEqualTo(expected);
    }

    @Test
    void eventsArriveWithinTheDelayBoundAndTimesStayInThePeriod() throws IOException {
        long maxDelay = truth.get("parameters").get("max_delay_ms").asLong();
        long maxSeen = Long.MIN_VALUE;
        for (JsonNode n : lines("clicks.jsonl")) {
            long ts = n.get("ts").asLong();
            assertThat(ts)
                    .isBetween(truth.get("start").asLong(), truth.get("end").asLong());
            if (maxSeen != Long.MIN_VALUE) {
                assertThat(ts).as("disorder bound").isGreaterThanOrEqualTo(maxSeen - maxDelay);
            }
            maxSeen = Math.max(maxSeen, ts);
        }
    }

    @Test
    void holdOutSharesMatchTheCampaignsWithinFourStandardErrors() throws IOException {
        Map<String, long[]> arms = new HashMap<>();
        for (JsonNode e : lines("exposures.jsonl")) {
            arms.computeIfAbsent(e.get("campaign_id").asText(), k -> new long[2])[
                    e.get("arm").asText().equals("CONTROL") ? 1 : 0]++;
        }
        for (JsonNode c : truth.get("campaigns")) {
            if (!c.get("randomised").asBoolean()) {
                continue;
            }
            long[] a = arms.get(c.get("campaign_id").asText());
            double n = a[0] + a[1];
            double p = c.get("holdout_pct").asDouble();
            assertThat(n).as(c.get("campaign_id").asText()).isGreaterThan(100);
            assertThat(Math.abs(a[1] / n - p))
                    .as(c.get("campaign_id").asText())
                    .isLessThan(4 * Math.sqrt(p * (1 - p) / n));
        }
    }

    @Test
    void cartRatesFollowTheCategoryFunnelWithinFourStandardErrors() throws IOException {
        Set<Long> stars = new HashSet<>();
        truth.get("star_items").forEach(s -> stars.add(s.get("item_id").asLong()));
        Map<Long, long[]> byCategory = new HashMap<>();
        for (JsonNode n : lines("clicks.jsonl")) {
            if (stars.contains(n.get("item_id").asLong())) {
                continue;
            }
            long[] c = byCategory.computeIfAbsent(n.get("category_id").asLong(), k -> new long[2]);
            switch (n.get("action").asText()) {
                case "VIEW" -> c[0]++;
                case "CART" -> c[1]++;
                default -> {}
            }
        }
        for (JsonNode cat : truth.get("categories")) {
            long[] c = byCategory.get(cat.get("category_id").asLong());
            double p = cat.get("cart_rate").asDouble();
            assertThat(Math.abs((double) c[1] / c[0] - p))
                    .as(cat.get("name").asText())
                    .isLessThan(4 * Math.sqrt(p * (1 - p) / c[0]));
        }
    }
}
