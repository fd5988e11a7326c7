package io.haitaopulse.uplift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haitaopulse.common.PulseOptions;
import io.haitaopulse.generator.MarketSimulator;
import io.haitaopulse.generator.SimulatorConfig;
import io.haitaopulse.io.InputFormat;
import io.haitaopulse.io.ReplayOutput;
import io.haitaopulse.runtime.Replay;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * Measures the campaign scoreboard against the truth the simulator planted: scenario
 * {@code experiments} (three weeks of ordinary shopping, then five randomised campaigns and one
 * without hold-out over a week) per seed, the uplift job replayed, and each randomised campaign's
 * final row per metric compared with {@code truth.json}'s true lift (the mean over exposed users of
 * the coupled potential outcomes' difference): whether the plain and the CUPED 95 % intervals
 * cover it, how much CUPED narrowed them, and whether the guardrail warning (the returns
 * interval above 0) matches a true rise in returns.
 *
 * <p>A development tool ({@code dev/uplift-quality.sh}); {@code UpliftQualityIT} keeps its bar.
 */
public final class UpliftQuality {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The three metrics of a campaign, in row order. */
    static final List<String> METRICS =
            List.of(CampaignScoreboard.CONVERSION, CampaignScoreboard.REVENUE, CampaignScoreboard.RETURNS);

    private UpliftQuality() {}

    /** One randomised campaign's final row for one metric, against its true lift. */
    public record Interval(
            long seed,
            String campaign,
            String metric,
            double trueLift,
            double lift,
            double ciLow,
            double ciHigh,
            double cupedLift,
            double cupedLow,
            double cupedHigh,
            double varianceReduction) {

        boolean plainCovers() {
            return ciLow <= trueLift && trueLift <= ciHigh;
        }

        boolean cupedCovers() {
            return cupedLow <= trueLift && trueLift <= cupedHigh;
        }

        /** Width of the CUPED interval over the plain one's. */
        double widthRatio() {
            return (cupedHigh - cupedLow) / (ciHigh - ciLow);
        }

        /** The dashboard's guardrail rule: the returns interval lies above 0. */
        boolean warned() {
            return cupedLow > 0;
        }
    }

    /** Generates scenario {@code experiments} with {@code seed} in {@code dir}, replays uplift and scores it. */
    public static List<Interval> run(long seed, Configuration conf, Path dir) throws Exception {
        Path events = dir.resolve("events");
        new MarketSimulator(SimulatorConfig.scenario("experiments").validate(), seed).run(events);
        Path tables = dir.resolve("tables");
        Replay.run(new Replay.Spec("uplift", List.of(events), tables, InputFormat.JSONL, conf, 2, null, null));
        JsonNode truth = JSON.readTree(events.resolve("truth.json").toFile());
        Map<String, JsonNode> last = new HashMap<>();
        for (JsonNode r : ReplayOutput.readRows(tables.resolve("campaign_uplift.jsonl"))) {
            String key = r.get("campaign_id").asText() + "/" + r.get("metric").asText();
            JsonNode seen = last.get(key);
            if (seen == null || r.get("as_of").asLong() > seen.get("as_of").asLong()) {
                last.put(key, r);
            }
        }
        List<Interval> out = new ArrayList<>();
        for (JsonNode c : truth.get("campaigns")) {
            if (!c.get("randomised").asBoolean()) {
                continue;
            }
            for (String metric : METRICS) {
                String id = c.get("campaign_id").asText();
                JsonNode r = last.get(id + "/" + metric);
                if (r == null) {
                    throw new IllegalStateException("no campaign_uplift row for " + id + " " + metric);
                }
                out.add(new Interval(
                        seed,
                        id,
                        metric,
                        c.get("true_lift").get(metric).asDouble(),
                        r.get("lift_abs").asDouble(),
                        r.get("ci_low").asDouble(),
                        r.get("ci_high").asDouble(),
                        r.get("cuped_lift_abs").asDouble(),
                        r.get("cuped_ci_low").asDouble(),
                        r.get("cuped_ci_high").asDouble(),
                        r.get("variance_reduction").asDouble()));
            }
        }
        return out;
    }

    /** The job options of the measurement: rows every hour (the final rows do not depend on it). */
    public static Configuration options() {
        Configuration c = new Configuration();
        c.set(PulseOptions.SLIDE, Duration.ofHours(1));
        c.set(PulseOptions.WINDOW, Duration.ofHours(1));
        return c;
    }

    /** A Markdown report: per metric, coverage of both intervals, variance reduction, warnings. */
    public static String report(List<Interval> all) {
        StringBuilder b = new StringBuilder();
        b.append("| metric | plain CI covers | CUPED CI covers | variance reduction (median, range) "
                + "| CUPED width / plain (median) |\n|---|---|---|---|---|\n");
        for (String metric : METRICS) {
            List<Interval> m =
                    all.stream().filter(i -> i.metric().equals(metric)).toList();
            double[] vr =
                    m.stream().mapToDouble(Interval::varianceReduction).sorted().toArray();
            double[] width =
                    m.stream().mapToDouble(Interval::widthRatio).sorted().toArray();
            b.append(String.format(
                    "| %s | %d / %d | %d / %d | %.2f (%.2f – %.2f) | %.2f |%n",
                    metric,
                    m.stream().filter(Interval::plainCovers).count(),
                    m.size(),
                    m.stream().filter(Interval::cupedCovers).count(),
                    m.size(),
                    median(vr),
                    vr[0],
                    vr[vr.length - 1],
                    median(width)));
        }
        List<Interval> returns = all.stream()
                .filter(i -> i.metric().equals(CampaignScoreboard.RETURNS))
                .toList();
        b.append(String.format(
                "%nGuardrail warnings (returns CUPED CI above 0): %d of %d campaigns whose returns truly rose "
                        + "(true lift > 0), %d of %d without a rise.%n",
                returns.stream().filter(i -> i.trueLift() > 0 && i.warned()).count(),
                returns.stream().filter(i -> i.trueLift() > 0).count(),
                returns.stream().filter(i -> i.trueLift() <= 0 && i.warned()).count(),
                returns.stream().filter(i -> i.trueLift() <= 0).count()));
        b.append("\n| seed | campaign | metric | true lift | lift | plain CI | CUPED lift | CUPED CI | reduction |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        for (Interval i : all) {
            b.append(String.format(
                    "| %d | %s | %s | %.4f | %.4f | [%.4f, %.4f]%s | %.4f | [%.4f, %.4f]%s | %.3f |%n",
                    i.seed(),
                    i.campaign(),
                    i.metric(),
                    i.trueLift(),
                    i.lift(),
                    i.ciLow(),
                    i.ciHigh(),
                    i.plainCovers() ? "" : " ✗",
                    i.cupedLift(),
                    i.cupedLow(),
                    i.cupedHigh(),
                    i.cupedCovers() ? "" : " ✗",
                    i.varianceReduction()));
        }
        return b.toString();
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** {@code UpliftQuality [--seeds 1,2,3] [--out report.md] [--work DIR]}. */
    public static void main(String[] args) throws Exception {
        List<Long> seeds = List.of(1L, 2L, 3L, 4L, 5L);
        Path outFile = null;
        Path work = Files.createTempDirectory("uplift-quality");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seeds" ->
                    seeds = Arrays.stream(args[++i].split(","))
                            .map(Long::parseLong)
                            .toList();
                case "--out" -> outFile = Path.of(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                case "--help" -> {
                    System.out.println("UpliftQuality [--seeds 1,2,3,4,5] [--out report.md] [--work DIR]");
                    return;
                }
                default -> {
                    System.err.println("uplift-quality: unknown argument " + args[i] + " (see --help)");
                    System.exit(2);
                }
            }
        }
        List<Interval> all = new ArrayList<>();
        for (long seed : seeds) {
            long t0 = System.nanoTime();
            all.addAll(run(seed, options(), work.resolve("seed-" + seed)));
            System.err.printf("seed %d: %.0f s%n", seed, (System.nanoTime() - t0) / 1e9);
        }
        String report = report(all);
        System.out.print(report);
        if (outFile != null) {
            Files.writeString(outFile, report, StandardCharsets.UTF_8);
        }
    }
}
