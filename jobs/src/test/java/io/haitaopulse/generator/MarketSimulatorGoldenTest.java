package io.haitaopulse.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the simulator's output byte for byte: the SHA-256 of every file of two small runs. Replays,
 * benchmarks and the planted truth of recorded experiments all depend on a seed giving the same
 * files forever, so any change to a draw, its order or the formatting fails here. The first run
 * switches on every disorder (late events, malformed lines), bots, unpaid orders and campaigns;
 * the second spans days so that shocks start and stars grow, with returns and reviews. The
 * catalogue ({@code items.jsonl}) is pinned too.
 */
class MarketSimulatorGoldenTest {

    @TempDir
    Path tmp;

    /**
     * {@code pulse generate --scenario small --seed 17 --users 2000 --days 0.5 --max-delay 30s --late-share 0.01
     * --malformed-share 0.02 --bots 2 --unpaid-share 0.05}.
     */
    @Test
    void halfADayWithEveryKindOfDisorderBotsAndUnpaidOrdersIsUnchanged() throws IOException {
        SimulatorConfig cfg = SimulatorConfig.scenario("small")
                .withDuration(Duration.ofHours(12))
                .withUsers(2_000)
                .withDisorder(Duration.ofSeconds(30), 0.01, 0.02)
                .withBotsAndUnpaid(2, 0.05);
        Path out = tmp.resolve("disorder");
        assertThat(new MarketSimulator(cfg, 17).run(out)).isEqualTo(12_129);
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("clicks.jsonl", "39258c4e6a914129a3da400ccf8549ab09c2e3acfab47ac8554cef14e25bc527");
        expected.put("orders.jsonl", "cdb921f982d51908b6edd89a3715a787312a2d21d6440324a655e5f2848e002a");
        expected.put("campaigns.jsonl", "15daa44ccdabe9daf82acc621c0d6b357d9731096bad9bd5dc2dc9d77c248d10");
        expected.put("exposures.jsonl", "dc3eae34c637ea95892b3b50e6883d29a257189cea2d88437a13a6b2737b7c9f");
        expected.put("reviews.jsonl", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        expected.put("truth.json", "865493f1178a8df6db8060d68320d3aedccaa6a8924501c8360fe9ee16ae1916");
        expected.put("items.jsonl", "5b559148cfb83f1b5177acbbbdfd7077e31dc4299b255c04f13e1221592eafcc");
        assertThat(digests(out)).isEqualTo(expected);
    }

    /** {@code pulse generate --scenario shocks --seed 4 --users 300 --days 2.5}. */
    @Test
    void twoAndAHalfDaysWithShocksStarsReturnsAndReviewsAreUnchanged() throws IOException {
        SimulatorConfig cfg = SimulatorConfig.scenario("shocks")
                .withDuration(Duration.ofHours(60))
                .withUsers(300);
        Path out = tmp.resolve("days");
        assertThat(new MarketSimulator(cfg, 4).run(out)).isEqualTo(4_648);
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("clicks.jsonl", "e826bb09578a7951723b5bf8c7ab5ed3e710b9ad2f6eb3f64db3ef12a4d31b8f");
        expected.put("orders.jsonl", "c7170c670397a3889ba2ecfc2c77b76f296cc522b868c41e5efb44acda9d2cf2");
        expected.put("campaigns.jsonl", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        expected.put("exposures.jsonl", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        expected.put("reviews.jsonl", "d0607453885515d1a29eeadb7403815464ed29ca55c161f6d83de1263c5ac485");
        expected.put("truth.json", "23ba4b604f66195543bb2980d6255dbf433f38fefdb79684817a61e26380d95b");
        expected.put("items.jsonl", "e3b94fe5bcedb6eb88d316919b20c3e3c08dba9fd2a45c59251b16da3ac780f6");
        assertThat(digests(out)).isEqualTo(expected);
    }

    private static Map<String, String> digests(Path dir) throws IOException {
        Map<String, String> sums = new LinkedHashMap<>();
        for (String f : MarketSimulator.FILES) {
            sums.put(f, sha256(dir.resolve(f)));
        }
        sums.put("truth.json", sha256(dir.resolve("truth.json")));
        sums.put(MarketSimulator.ITEMS_FILE, sha256(dir.resolve(MarketSimulator.ITEMS_FILE)));
        return sums;
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
