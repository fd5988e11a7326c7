package io.haitaopulse.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario {@code experiments} on a small configuration (3,000 users, 7 days of ordinary shopping
 * then 5 days of campaigns, seed 5; about 260,000 events): campaigns only after the pre-campaign period, users whose past
 * predicts their behaviour under a campaign, campaign-driven returns, and true lifts that are
 * exactly the metrics of CONTRACTS §3 recomputed from the files for the observed world.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExperimentScenarioTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DAY = 86_400_000L;
    private static final int USERS = 3_000;

    @TempDir
    static Path tmp;

    private Path out;
    private JsonNode truth;
    private List<PlantedCampaign> planted;
    private List<JsonNode> orders;

    /** The small configuration, with {@code plan} changed by {@code change}. */
    private static SimulatorConfig small(UnaryOperator<ExperimentPlan> change) {
        SimulatorConfig cfg =
                SimulatorConfig.scenario("experiments").withUsers(USERS).withDuration(Duration.ofDays(12));
        return cfg.withExperiments(change.apply(cfg.experiments().withPreCampaign(Duration.ofDays(7))));
    }

    @BeforeAll
    void generate() throws IOException {
        out = tmp.resolve("experiments");
        MarketSimulator sim = new MarketSimulator(small(p -> p), 5);
        sim.run(out);
        planted = sim.campaigns();
        truth = JSON.readTree(out.resolve("truth.json").toFile());
        orders = read(out, "orders.jsonl");
    }

    private static List<JsonNode> read(Path dir, String file) throws IOException {
        return Files.readAllLines(dir.resolve(file), StandardCharsets.UTF_8).stream()
                .map(l -> {
                    try {
                        return JSON.readTree(l);
                    } catch (IOException e) {
                        throw new AssertionError(l, e);
                    }
                })
                .toList();
    }

    private static long value(JsonNode order) {
        long v = 0;
        for (JsonNode l : order.get("lines")) {
            v += l.get("quantity").asLong() * l.get("unit_price_cents").asLong()
                    - l.path("discount_cents").asLong(0);
        }
        return v;
    }

    private JsonNode campaign(String id) {
        for (JsonNode c : truth.get("campaigns")) {
            if (c.get("campaign_id").asText().equals(id)) {
                return c;
            }
        }
        throw new AssertionError("no campaign " + id);
    }

    @Test
    void noCampaignStartsOrExposesAnyoneBeforeThePreCampaignPeriodEnds() throws IOException {
        long periodStart = SimulatorConfig.EXPERIMENTS_START.toEpochMilli() + 7 * DAY;
        assertThat(truth.get("parameters")
                        .get("experiment_plan")
                        .get("campaign_period_start")
                        .asLong())
                .isEqualTo(periodStart);
        List<JsonNode> campaigns = read(out, "campaigns.jsonl");
        assertThat(campaigns).hasSize(6);
        assertThat(campaigns)
                .allSatisfy(c -> assertThat(c.get("start_ts").asLong()).isGreaterThanOrEqualTo(periodStart));
        List<JsonNode> exposures = read(out, "exposures.jsonl");
        assertThat(exposures).allSatisfy(e -> assertThat(e.get("ts").asLong()).isGreaterThanOrEqualTo(periodStart));
        // A week of ordinary shopping before: most orders of the run were paid in it.
        long before = orders.stream()
                .filter(o ->
                        o.get("status").asText().equals("PAID") && o.get("ts").asLong() < periodStart)
                .count();
        assertThat(before).isGreaterThan(1_000);
    }

    @Test
    void eachExposedUsersMetricsInTheFilesAreTheirArmsPotentialOutcomesAndTheTrueLiftsTheirMeanDifference()
            throws IOException {
        Map<String, Integer> index = new HashMap<>();
        for (int u = 0; u < USERS; u++) {
            index.put(userId(u), u);
        }
        List<JsonNode> exposures = read(out, "exposures.jsonl");
        for (PlantedCampaign c : planted) {
            if (!c.randomised()) {
                continue;
            }
            // First exposure within [start, end] per user, as campaign_uplift defines it.
            Map<String, JsonNode> first = new HashMap<>();
            for (JsonNode e : exposures) {
                long ts = e.get("ts").asLong();
                if (e.get("campaign_id").asText().equals(c.id) && ts >= c.start && ts <= c.end) {
                    first.merge(
                            e.get("user_id").asText(),
                            e,
                            (a, b) -> a.get("ts").asLong() <= b.get("ts").asLong() ? a : b);
                }
            }
            assertThat(first).as(c.id).hasSize(c.exposed.cardinality()).hasSizeGreaterThan(150);
            Map<String, long[]> observed = new HashMap<>(); // conversion, revenue, returns
            for (JsonNode o : orders) {
                JsonNode f = first.get(o.get("user_id").asText());
                long ts = o.get("ts").asLong();
                if (f == null || ts < f.get("ts").asLong() || ts > c.end) {
                    continue;
                }
                long[] y = observed.computeIfAbsent(o.get("user_id").asText(), k -> new long[3]);
                switch (o.get("status").asText()) {
                    case "PAID" -> {
                        y[0] = 1;
                        y[1] += value(o);
                    }
                    case "RETURNED" -> {
                        y[1] -= value(o);
                        y[2] += value(o);
                    }
                    default -> {}
                }
            }
            long[] sum0 = new long[3];
            long[] sum1 = new long[3];
            for (Map.Entry<String, JsonNode> e : first.entrySet()) {
                int u = index.get(e.getKey());
                assertThat(c.firstExposure[u]).isEqualTo(e.getValue().get("ts").asLong());
                boolean treated = e.getValue().get("arm").asText().equals("TREATMENT");
                assertThat(c.treated.get(u)).isEqualTo(treated);
                long[] y = observed.getOrDefault(e.getKey(), new long[3]);
                long[] po = treated
                        ? new long[] {c.conv1[u] ? 1 : 0, c.rev1[u], c.ret1[u]}
                        : new long[] {c.conv0[u] ? 1 : 0, c.rev0[u], c.ret0[u]};
                assertThat(y).as("%s %s", c.id, e.getKey()).containsExactly(po);
                sum0[0] += c.conv0[u] ? 1 : 0;
                sum1[0] += c.conv1[u] ? 1 : 0;
                sum0[1] += c.rev0[u];
                sum1[1] += c.rev1[u];
                sum0[2] += c.ret0[u];
                sum1[2] += c.ret1[u];
            }
            JsonNode lift = campaign(c.id).get("true_lift");
            double n = first.size();
            assertThat(lift.get("conversion").asDouble()).as(c.id).isEqualTo((sum1[0] - sum0[0]) / n);
            assertThat(lift.get("revenue_per_user").asDouble()).as(c.id).isEqualTo((sum1[1] - sum0[1]) / n);
            assertThat(lift.get("returns_per_user").asDouble()).as(c.id).isEqualTo((sum1[2] - sum0[2]) / n);
            assertThat(campaign(c.id)
                            .get("true_mean_control")
                            .get("returns_per_user")
                            .asDouble())
                    .isEqualTo(sum0[2] / n);
        }
    }

    /** The id of user {@code u} of seed 5 (Users numbers them this way). */
    private static String userId(int u) {
        return "u" + Long.toString(5 * 1_000_003L + u * 7_919L & 0x7fffffffL, 36) + "-" + u;
    }

    @Test
    void theAaCampaignHasNoEffectOnAnyMetric() {
        JsonNode aa = campaign("wechat-push");
        assertThat(aa.get("aa_test").asBoolean()).isTrue();
        assertThat(aa.get("return_multiplier").asDouble()).isEqualTo(1.0);
        for (String m : List.of("conversion", "revenue_per_user", "returns_per_user")) {
            assertThat(aa.get("true_lift").get(m).asDouble()).as(m).isZero();
        }
        assertThat(aa.get("true_mean_control").get("returns_per_user").asDouble())
                .isPositive();
    }

    /** Returns of treated users relative to the same users held out: treatment world / control world. */
    private static double returnsRatio(JsonNode campaign) {
        return campaign.get("true_mean_treatment").get("returns_per_user").asDouble()
                / campaign.get("true_mean_control").get("returns_per_user").asDouble();
    }

    /**
     * Over seeds 1-6 of this configuration the treated world returned 1.43-1.76 times the held-out
     * world's value for the holiday discount and 1.23-1.80 for the flash sale with campaign returns,
     * 1.04-1.10 and 1.00-1.02 without (the extra purchases alone: few of them come back before a
     * campaign ends).
     */
    @Test
    void discountCampaignsRaiseTreatedUsersReturnsFarBeyondWhatTheirExtraPurchasesBring() throws IOException {
        JsonNode holiday = campaign("holiday-2026");
        JsonNode flash = campaign("flash-noon");
        assertThat(holiday.get("return_multiplier").asDouble()).isEqualTo(2.0);
        assertThat(flash.get("return_multiplier").asDouble()).isEqualTo(3.0);
        assertThat(holiday.get("true_lift").get("returns_per_user").asDouble()).isPositive();
        assertThat(flash.get("true_lift").get("returns_per_user").asDouble()).isPositive();
        assertThat(returnsRatio(holiday)).isGreaterThan(1.3);
        assertThat(returnsRatio(flash)).isGreaterThan(1.2);
        // The same run without campaign returns.
        Path plain = tmp.resolve("without-campaign-returns");
        new MarketSimulator(small(p -> p.withCampaignReturns(false)), 5).run(plain);
        JsonNode without = JSON.readTree(plain.resolve("truth.json").toFile());
        Map<String, Double> margin = Map.of("holiday-2026", 0.25, "flash-noon", 0.15);
        for (JsonNode c : without.get("campaigns")) {
            String id = c.get("campaign_id").asText();
            assertThat(c.get("return_multiplier").asDouble()).as(id).isEqualTo(1.0);
            if (margin.containsKey(id)) {
                assertThat(returnsRatio(campaign(id))).as(id).isGreaterThan(returnsRatio(c) + margin.get(id));
            }
        }
    }

    /** Pearson correlation over all users of the pre-period and campaign-period values of {@code metric}. */
    private static double correlation(Path dir, boolean conversion) throws IOException {
        JsonNode t = JSON.readTree(dir.resolve("truth.json").toFile());
        long periodStart = t.get("parameters")
                .get("experiment_plan")
                .get("campaign_period_start")
                .asLong();
        long end = t.get("end").asLong();
        Map<String, double[]> y = new HashMap<>();
        for (int u = 0; u < USERS; u++) {
            y.put(userId(u), new double[2]);
        }
        for (JsonNode o : read(dir, "orders.jsonl")) {
            long ts = o.get("ts").asLong();
            double[] v = y.get(o.get("user_id").asText());
            int k = ts < periodStart ? 0 : 1;
            boolean paid = o.get("status").asText().equals("PAID");
            if (ts > end || !(paid || o.get("status").asText().equals("RETURNED"))) {
                continue;
            }
            if (conversion) {
                v[k] = paid ? 1 : v[k];
            } else {
                v[k] += paid ? value(o) : -value(o);
            }
        }
        double n = y.size();
        double mx = 0;
        double my = 0;
        for (double[] v : y.values()) {
            mx += v[0] / n;
            my += v[1] / n;
        }
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (double[] v : y.values()) {
            sxy += (v[0] - mx) * (v[1] - my);
            sxx += (v[0] - mx) * (v[0] - mx);
            syy += (v[1] - my) * (v[1] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    /**
     * Measured: 0.45 for net revenue and 0.36 for conversion with Gamma(1) users, -0.03 and 0.02
     * with users alike (the week before against the five campaign days, per user).
     */
    @Test
    void aUsersPastPredictsTheirCampaignPeriodOnlyWhenUsersDiffer() throws IOException {
        double revenue = correlation(out, false);
        double conversion = correlation(out, true);
        assertThat(revenue).isGreaterThan(0.3);
        assertThat(conversion).isGreaterThan(0.25);
        Path alike = tmp.resolve("users-alike");
        new MarketSimulator(small(p -> p.withPropensityShape(0)), 5).run(alike);
        assertThat(correlation(alike, false)).isLessThan(revenue / 3);
        assertThat(correlation(alike, true)).isLessThan(conversion / 3);
    }

    @Test
    void theSameSeedGivesByteIdenticalFiles() throws IOException {
        Path again = tmp.resolve("experiments-again");
        new MarketSimulator(small(p -> p), 5).run(again);
        for (String f : List.of(
                "clicks.jsonl", "orders.jsonl", "exposures.jsonl", "reviews.jsonl", "truth.json", "items.jsonl")) {
            assertThat(Files.readAllBytes(again.resolve(f))).as(f).isEqualTo(Files.readAllBytes(out.resolve(f)));
        }
    }
}
