package io.haitaopulse.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.haitaopulse.generator.MarketSimulator;
import io.haitaopulse.generator.SimulatorConfig;
import io.haitaopulse.io.DeadLetters;
import io.haitaopulse.io.InputFormat;
import io.haitaopulse.io.LineFileFormat;
import io.haitaopulse.io.OutputTable;
import io.haitaopulse.io.ReplayOutput;
import io.haitaopulse.privacy.PrivacyOptions;
import io.haitaopulse.privacy.PseudonymKey;
import io.haitaopulse.privacy.Pseudonymizer;
import io.haitaopulse.runtime.Replay;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fuzz suite of the file path: a simulated day, then the same day with bad lines of
 * every class planted at seeded random places in every file. The fuzzed replay must dead-letter
 * exactly the planted lines, each with a reason naming its problem, count every good event, never
 * fail (replays run without restarts, so a data-caused failure fails the test), and write every
 * other table byte for byte as the clean replay does. The clock-skewed lines are the sharpest
 * probe: one accepted line from the year 2286 would push its file's watermark past everything else
 * and change every table.
 */
class FuzzReplayTest {

    /** Bad line classes, each made from a good line of the file it is planted in. */
    enum Bad {
        TRUNCATED,
        BINARY,
        WRONG_TYPE,
        OUT_OF_RANGE,
        UNKNOWN_TYPE,
        MISSING_FIELD,
        NOT_UTF8,
        FUTURE_2286,
        FUTURE_2100
    }

    /**
     * A planted line, the words its dead letter's reason must contain and, where it is not the
     * whole line (a line over the limit keeps only its start), the text its dead letter's raw is
     * the redaction of.
     */
    record Planted(byte[] line, String reason, String raw) {
        Planted(byte[] line, String reason) {
            this(line, reason, null);
        }
    }

    @TempDir
    Path tmp;

    @Test
    void everyPlantedLineIsDeadLetteredWithItsReasonAndNothingElseChanges() throws Exception {
        Path clean = tmp.resolve("clean");
        SimulatorConfig small = SimulatorConfig.scenario("small");
        new MarketSimulator(small.withDisorder(small.maxDelay(), 0.002, 0.0), 21).run(clean);
        Path fuzzed = tmp.resolve("fuzzed");
        Files.createDirectories(fuzzed);
        Random rnd = new Random(12);
        List<String[]> expected = new ArrayList<>();
        Map<Bad, Integer> planted = new TreeMap<>();
        int hostile = 0;
        PseudonymKey key = PseudonymKey.generate();
        Pseudonymizer pseudonyms = new Pseudonymizer(key);
        List<Path> files;
        try (Stream<Path> s = Files.list(clean)) {
            files = s.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        }
        for (Path f : files) {
            List<byte[]> lines = new ArrayList<>();
            for (String l : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                lines.add(l.getBytes(StandardCharsets.UTF_8));
            }
            List<byte[]> originals = List.copyOf(lines);
            Path target = fuzzed.resolve(f.getFileName());
            for (int k = 0; k < Bad.values().length * 2; k++) {
                Bad bad = Bad.values()[k % Bad.values().length];
                String template = new String(originals.get(rnd.nextInt(originals.size())), StandardCharsets.UTF_8);
                Planted p = make(bad, template, rnd);
                if (p == null) {
                    continue;
                }
                assertThat(new String(p.line(), StandardCharsets.UTF_8))
                        .as(bad + " changed the line")
                        .isNotEqualTo(template);
                lines.add(1 + rnd.nextInt(lines.size()), p.line());
                planted.merge(bad, 1, Integer::sum);
                String text = DeadLetters.decodeUtf8OrNull(p.line(), 0, p.line().length);
                String raw = text != null
                        ? pseudonyms.redactJson(text)
                        : DeadLetters.BASE64_PREFIX + Base64.getEncoder().encodeToString(p.line());
                expected.add(new String[] {target.toString(), raw, p.reason()});
            }
            // Hostile shapes, once each: megabyte strings in every kind of string field, 200,000
            // levels of nesting, runs of escapes in user_id (what overflowed the stack of the
            // redaction), 100,000-digit numbers, duplicate keys, invalid UTF-8 deep in a long string.
            String template = new String(originals.get(rnd.nextInt(originals.size())), StandardCharsets.UTF_8);
            for (Planted p : hostile(f.getFileName().toString(), template)) {
                lines.add(1 + rnd.nextInt(lines.size()), p.line());
                hostile++;
                String text = DeadLetters.decodeUtf8OrNull(p.line(), 0, p.line().length);
                String raw = p.raw() != null
                        ? pseudonyms.redactJson(p.raw())
                        : text != null
                                ? pseudonyms.redactJson(text)
                                : DeadLetters.BASE64_PREFIX
                                        + Base64.getEncoder().encodeToString(p.line());
                expected.add(new String[] {target.toString(), raw, p.reason()});
            }
            // One line over the 8 MiB limit in the largest file: kept as its first 64 KiB.
            if (f.getFileName().toString().equals("clicks.jsonl")) {
                byte[] huge = new byte[LineFileFormat.MAX_LINE_BYTES + 100];
                Arrays.fill(huge, (byte) 'x');
                huge[0] = '{';
                lines.add(lines.size() / 2, huge);
                expected.add(new String[] {
                    target.toString(),
                    new String(huge, 0, LineFileFormat.KEPT_PREFIX_BYTES, StandardCharsets.US_ASCII),
                    "line longer than " + LineFileFormat.MAX_LINE_BYTES + " bytes"
                });
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte[] l : lines) {
                out.write(l);
                out.write('\n');
            }
            Files.write(target, out.toByteArray());
        }

        Configuration conf = new Configuration();
        conf.set(PrivacyOptions.PSEUDONYM_SECRET, key.toBase64());
        Replay.Result cleanRun = Replay.run(new Replay.Spec(
                "all", List.of(clean), tmp.resolve("out-clean"), InputFormat.JSONL, conf, 2, null, null));
        Replay.Result fuzzRun = Replay.run(new Replay.Spec(
                "all", List.of(fuzzed), tmp.resolve("out-fuzzed"), InputFormat.JSONL, conf, 2, null, null));

        int bad = expected.size();
        assertThat(planted.keySet()).as("every class planted").containsExactly(Bad.values());
        assertThat(hostile).as("hostile shapes planted").isEqualTo(15);
        assertThat(bad).isGreaterThan(60);
        assertThat(cleanRun.deadLettered()).as("the simulated day is clean").isZero();
        assertThat(fuzzRun.read()).isEqualTo(cleanRun.read() + bad);
        assertThat(fuzzRun.deadLettered()).isEqualTo(bad);
        assertThat(fuzzRun.late()).as("no planted line made a good one late").isEqualTo(cleanRun.late());
        assertThat(cleanRun.late()).as("the day exercises late events").isPositive();

        // Each dead letter is a planted line (same source and raw) whose reason says what is wrong with it.
        List<JsonNode> dead = ReplayOutput.readRows(tmp.resolve("out-fuzzed").resolve("dead_letters.jsonl"));
        assertThat(dead).hasSize(bad);
        List<String[]> unmatched = new ArrayList<>(expected);
        for (JsonNode r : dead) {
            String[] match = unmatched.stream()
                    .filter(e -> e[0].equals(r.get("source").asText())
                            && e[1].equals(r.get("raw").asText())
                            && r.get("reason").asText().contains(e[2]))
                    .findFirst()
                    .orElse(null);
            assertThat(match)
                    .as("a planted line for dead letter " + r.get("reason").asText())
                    .isNotNull();
            unmatched.remove(match);
        }
        assertThat(unmatched).isEmpty();

        for (OutputTable<?> table : OutputTable.all()) {
            if (table == OutputTable.DEAD_LETTERS) {
                continue;
            }
            assertThat(Files.readString(tmp.resolve("out-fuzzed").resolve(table.name() + ".jsonl")))
                    .as(table.name() + " with and without the planted lines")
                    .isEqualTo(Files.readString(tmp.resolve("out-clean").resolve(table.name() + ".jsonl")));
        }
    }

    /**
     * A bad line of class {@code bad} made from the good line {@code good} of some input type,
     * or null where the class does not apply to that type (a campaign has no user and no clock
     * skew: its event time is its announced start; a catalogue record has no event time at all).
     */
    private static Planted make(Bad bad, String good, Random rnd) {
        String type = good.replaceFirst("^\\{\"type\":\"(\\w+)\".*", "$1");
        return switch (bad) {
            // A proper prefix of a JSON object is never a JSON object.
            case TRUNCATED ->
                new Planted(utf8(good.substring(0, 1 + rnd.nextInt(good.length() - 2))), "not valid JSON");
            case BINARY -> {
                byte[] b = new byte[5 + rnd.nextInt(200)];
                for (int i = 0; i < b.length; i++) {
                    // High bytes only: never a newline, never blank.
                    b[i] = (byte) (0x80 + rnd.nextInt(0x80));
                }
                yield new Planted(b, "not valid");
            }
            case WRONG_TYPE ->
                new Planted(utf8(good.replaceFirst("\"(ts|start_ts)\":(\\d+)", "\"$1\":$2.5")), "must be an integer");
            case OUT_OF_RANGE ->
                switch (type) {
                    case "click" ->
                        new Planted(
                                utf8(good.replaceFirst("\"action\":\"\\w+\"", "\"action\":\"view\"")),
                                "field 'action' must be one of");
                    case "order" ->
                        new Planted(utf8(good.replaceFirst("\"quantity\":\\d+", "\"quantity\":0")), "out of range");
                    case "review" ->
                        new Planted(utf8(good.replaceFirst("\"rating\":\\d+", "\"rating\":9")), "out of range");
                    case "exposure" ->
                        new Planted(
                                utf8(good.replaceFirst("\"arm\":\"\\w+\"", "\"arm\":\"BOTH\"")),
                                "field 'arm' must be one of");
                    case "item" ->
                        new Planted(
                                utf8(good.replaceFirst("\"price_cents\":\\d+", "\"price_cents\":-1")),
                                "field 'price_cents' out of range");
                    default ->
                        new Planted(
                                utf8(good.replaceFirst("\"holdout_pct\":[0-9.]+", "\"holdout_pct\":1.5")),
                                "out of range");
                };
            case UNKNOWN_TYPE ->
                new Planted(
                        utf8(good.replaceFirst("\"type\":\"\\w+\"", "\"type\":\"refund\"")), "unknown type 'refund'");
            case MISSING_FIELD ->
                "campaign".equals(type)
                        ? null
                        : "item".equals(type)
                                ? new Planted(
                                        utf8(good.replaceFirst("\"name\":\"[^\"]*\",", "")),
                                        "missing required field 'name'")
                                : new Planted(
                                        utf8(good.replaceFirst("\"user_id\":\"[^\"]*\",", "")),
                                        "missing required field 'user_id'");
            case NOT_UTF8 -> {
                byte[] b = utf8(good);
                byte[] out = new byte[b.length + 2];
                System.arraycopy(b, 0, out, 0, 3);
                out[3] = (byte) 0xC3;
                out[4] = (byte) 0x28;
                System.arraycopy(b, 3, out, 5, b.length - 3);
                yield new Planted(out, "not valid UTF-8");
            }
            case FUTURE_2286 ->
                "campaign".equals(type) || "item".equals(type)
                        ? null
                        : new Planted(
                                utf8(good.replaceFirst("\"ts\":\\d+", "\"ts\":9999999999999")),
                                "clock skew: event time 2286-11-20");
            case FUTURE_2100 ->
                "campaign".equals(type) || "item".equals(type)
                        ? null
                        : new Planted(
                                utf8(good.replaceFirst("\"ts\":\\d+", "\"ts\":4102444800000")),
                                "clock skew: event time 2100-01-01");
        };
    }

    /** One MiB. */
    private static final int MB = 1 << 20;

    /**
     * The hostile lines planted in the file named {@code file}, made from its line {@code good}.
     * Every one is a single dead letter: strings past 4,096 characters, nesting past 1,000 levels
     * and numbers past 1,000 digits are refused, a line past 8 MiB is cut, and nothing of it may
     * make a stage throw.
     */
    private static List<Planted> hostile(String file, String good) {
        List<Planted> out = new ArrayList<>();
        String tooLong = "too long: ";
        String nesting = "not valid JSON: Document nesting depth (1001) exceeds the maximum allowed (1000";
        String number = "not valid JSON: Number value length (100000) exceeds the maximum allowed (1000";
        switch (file) {
            case "clicks.jsonl" -> {
                // 2^19 escaped quotes: a well-formed id of 512 Ki characters, 1 MiB as written.
                out.add(new Planted(
                        utf8(withString(good, "user_id", "\\\"".repeat(MB / 2))),
                        "field 'user_id' " + tooLong + (MB / 2) + " characters"));
                out.add(new Planted(
                        utf8(withString(good, "event_id", "e".repeat(2 * MB))),
                        "field 'event_id' " + tooLong + 2 * MB));
                // The same escapes, the line cut off inside them: the exact shape that overflowed.
                String cut = withString(good, "user_id", "\\\"".repeat(MB / 2));
                out.add(new Planted(utf8(cut.substring(0, cut.indexOf("\"user_id\"") + 11 + MB)), "not valid JSON"));
                out.add(new Planted(
                        utf8(good.replaceFirst("^\\{", "{\"x\":" + "[".repeat(200_000) + "]".repeat(200_000) + ",")),
                        nesting));
                out.add(new Planted(
                        utf8(good.replaceFirst("\"item_id\":\\d+", "\"item_id\":1" + "0".repeat(99_999))), number));
                String longId = withString(good, "user_id", "u".repeat(MB));
                byte[] broken = utf8(longId);
                int mid = utf8(longId.substring(0, longId.indexOf("\"user_id\"") + 11)).length + MB / 2;
                broken[mid] = (byte) 0xC3;
                broken[mid + 1] = (byte) 0x28;
                out.add(new Planted(broken, "not valid UTF-8"));
            }
            case "orders.jsonl" -> {
                out.add(new Planted(
                        utf8(withString(good, "order_id", "o".repeat(4 * MB))),
                        "field 'order_id' " + tooLong + 4 * MB));
                out.add(new Planted(utf8("{\"type\":\"order\",\"lines\":" + "[".repeat(200_000)), nesting));
                out.add(new Planted(
                        utf8(good.replaceFirst("^\\{", "{\"user_id\":\"" + "d".repeat(MB) + "\",")),
                        "not valid JSON: Duplicate field 'user_id'"));
            }
            case "campaigns.jsonl" -> {
                out.add(new Planted(utf8(withString(good, "name", "n".repeat(MB))), "field 'name' " + tooLong + MB));
                out.add(new Planted(
                        utf8(withString(good, "campaign_id", "c".repeat(3 * MB))),
                        "field 'campaign_id' " + tooLong + 3 * MB));
            }
            case "exposures.jsonl" -> {
                // Over the line limit: the dead letter keeps its first 64 KiB, cut inside the id,
                // and that id is still pseudonymised.
                byte[] huge = utf8(withString(good, "user_id", "x".repeat(16 * MB)));
                String kept = new String(huge, 0, LineFileFormat.KEPT_PREFIX_BYTES, StandardCharsets.US_ASCII);
                out.add(new Planted(huge, "line longer than " + LineFileFormat.MAX_LINE_BYTES + " bytes", kept));
                // An odd run of backslashes escapes the closing quote: the id runs on into the line.
                out.add(new Planted(utf8(withString(good, "user_id", "\\".repeat(MB + 1))), "not valid JSON"));
            }
            case "reviews.jsonl" -> {
                out.add(new Planted(
                        utf8(withString(good, "user_id", "\\\\".repeat(MB / 2))),
                        "field 'user_id' " + tooLong + (MB / 2)));
                out.add(new Planted(
                        utf8(good.replaceFirst("\"rating\":\\d+", "\"rating\":" + "5".repeat(100_000))), number));
            }
            default -> {}
        }
        for (Planted p : out) {
            assertThat(new String(p.line(), StandardCharsets.ISO_8859_1))
                    .as("a hostile line of " + file)
                    .isNotEqualTo(good)
                    .doesNotContain("\n");
        }
        return out;
    }

    /**
     * {@code line} with the string member {@code field} set to {@code value} (as written, escapes
     * included): its value replaced, or the member added first when the line has none or null.
     */
    private static String withString(String line, String field, String value) {
        String key = "\"" + field + "\":";
        int at = line.indexOf(key);
        if (at < 0) {
            return "{" + key + "\"" + value + "\"," + line.substring(1);
        }
        int start = at + key.length();
        int end;
        if (line.startsWith("null", start)) {
            end = start + 4;
        } else {
            end = start + 1;
            while (line.charAt(end) != '"') {
                end += line.charAt(end) == '\\' ? 2 : 1;
            }
            end++;
        }
        return line.substring(0, start) + "\"" + value + "\"" + line.substring(end);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
