package io.haitaopulse.trends;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haitaopulse.cli.DurationConverter;
import io.haitaopulse.common.PulseOptions;
import io.haitaopulse.config.ConfigCatalog;
import io.haitaopulse.generator.MarketSimulator;
import io.haitaopulse.generator.SimulatorConfig;
import io.haitaopulse.generator.SpikePlan;
import io.haitaopulse.generator.SpikePlan.Phase;
import io.haitaopulse.generator.SpikePlan.Shape;
import io.haitaopulse.generator.SpikePlan.SizeBand;
import io.haitaopulse.io.InputFormat;
import io.haitaopulse.io.ReplayOutput;
import io.haitaopulse.runtime.JobSettings;
import io.haitaopulse.runtime.Replay;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures how well the {@code trends} job finds planted demand spikes, on simulated shops whose
 * truth is known: for every seed × multiplier × onset phase it generates scenario
 * {@code trend-eval} with that plan, replays the job (the production graph on a MiniCluster) and
 * scores {@code demand_trends} against {@code truth.json}. Prints a Markdown report.
 *
 * <p>Two variants, as a deployment meets them: <b>first hours</b> — spikes 1.5–5 h after the start,
 * the run cut to its first {@code --cut} (6 h), so the detector has no day of history; and
 * <b>full run</b> — spikes on day 2 (27–29 h after the start) of the whole 30-hour run. Both
 * runs are the same shop, same seed, with always-hot decoys planted from the first minute.
 *
 * <p>Scoring. A spike is <em>detected</em> at the end of the first trending window of its item
 * that ends after the onset; it counts for recall when that is within {@code --within} (30 min)
 * of the onset. Spikes whose onset is less than {@code --within} before the end of the replayed
 * data are not scored. <em>Other</em> items are flagged items that are neither planted spikes nor
 * decoys; their episodes are runs of consecutive trending windows (CONTRACTS §3
 * {@code trend_alerts}: an episode ends after one evaluated window without {@code trending}).
 * Item-level precision = planted items flagged after their onset / all items flagged.
 *
 * <p>A developer tool ({@code dev/trend-quality.sh}, see docs/development/testing.md) and the
 * library of {@link TrendQualityIT}. It lives with the tests: it needs the simulator's truth,
 * which is no part of the product, and it must not grow the jobs jar or the CLI contract.
 */
@Command(
        name = "trend-quality",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Replays the trends job on simulated shops with planted spikes and prints recall, "
                + "time to detection and false alarms as Markdown.")
public final class TrendQuality implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MINUTE = 60_000L;

    @Option(
            names = "--seeds",
            split = ",",
            defaultValue = "1,2,3",
            paramLabel = "N",
            description = "Seeds (default: 1,2,3).")
    List<Long> seeds;

    @Option(
            names = "--multipliers",
            split = ",",
            paramLabel = "X",
            defaultValue = "2,3,4,6,8",
            description = "Spike multipliers, one run each (default: 2,3,4,6,8).")
    List<Double> multipliers;

    @Option(
            names = "--phases",
            split = ",",
            paramLabel = "PHASE",
            defaultValue = "first-hours,day-2",
            description = "first-hours (run cut to --cut) and/or day-2 (full run) (default: both).")
    List<String> phases;

    @Option(
            names = "--bands",
            split = ",",
            paramLabel = "BAND",
            defaultValue = "large,medium,small",
            description = "Item size bands dealt to the spikes of a run (default: large,medium,small).")
    List<String> bands;

    @Option(
            names = "--shapes",
            split = ",",
            paramLabel = "SHAPE",
            defaultValue = "step,ramp",
            description = "Onset shapes dealt to the spikes of a run (default: step,ramp).")
    List<String> shapes;

    @Option(names = "--spikes", paramLabel = "N", description = "Spikes per run (default: 12).")
    int spikes = 12;

    @Option(names = "--decoys", paramLabel = "N", description = "Always-hot decoys per run (default: 10).")
    int decoys = 10;

    @Option(names = "--decoy-multiplier", paramLabel = "X", description = "Decoys' multiplier (default: 8).")
    double decoyMultiplier = 8;

    @Option(
            names = "--spike-duration",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "How long a spike lasts; 0s: to the end (default: 0s).")
    Duration spikeDuration = Duration.ZERO;

    @Option(names = "--users", paramLabel = "N", description = "Registered users (default: trend-eval's 20000).")
    Integer users;

    @Option(names = "--daily-cycle", paramLabel = "S", description = "Strength of the daily rhythm (default: 1).")
    double dailyCycle = 1.0;

    @Option(
            names = "--cut",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "Length of the first-hours variant's run (default: 6h).")
    Duration cut = Duration.ofHours(6);

    @Option(
            names = "--within",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "Detection deadline after the onset (default: 30m).")
    Duration within = Duration.ofMinutes(30);

    @Option(
            names = "--conf",
            paramLabel = "KEY=VALUE",
            description = "A job option for every replay, e.g. pulse.trends.min-z=3; repeatable.")
    Map<String, String> conf = new LinkedHashMap<>();

    @Option(names = "--parallelism", paramLabel = "N", description = "Replay parallelism (default: 2).")
    int parallelism = 2;

    @Option(
            names = "--work",
            paramLabel = "DIR",
            description = "Keep every run's events and tables here (default: a temporary directory, deleted).")
    Path work;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the report to this file.")
    Path out;

    @Option(
            names = "--false-alarms",
            description = "List every episode of an item not planted as a spike (when, what kind, peak z).")
    boolean listAlarms;

    /** Runs the tool; exit code 0 on success, 2 on a bad argument. */
    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new TrendQuality());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                cmd.getErr().println("trend-quality: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Setup setup = new Setup(baseConfig(users, dailyCycle), cut, within, jobOptions(conf), parallelism);
        List<Phase> phaseList = phases.stream().map(Phase::parse).toList();
        List<SizeBand> bandList = bands.stream().map(SizeBand::parse).toList();
        List<Shape> shapeList = shapes.stream().map(Shape::parse).toList();
        Path dir = work != null ? work : Files.createTempDirectory("trend-quality");
        long started = System.nanoTime();
        List<Run> runs = new ArrayList<>();
        try {
            for (long seed : seeds) {
                for (double m : multipliers) {
                    for (Phase phase : phaseList) {
                        SpikePlan plan = plan(spikes, List.of(m), bandList, shapeList, phase)
                                .withSpikeDuration(spikeDuration)
                                .withDecoys(decoys, decoyMultiplier, SizeBand.MEDIUM);
                        Path runDir =
                                dir.resolve(String.format(Locale.ROOT, "seed%d-x%s-%s", seed, num(m), phase.label()));
                        Run run = run(setup, seed, plan, phase, runDir);
                        runs.add(run);
                        System.err.printf(
                                Locale.ROOT,
                                "trend-quality: %s seed %d ×%s: %d events, replay %.1f s, recall %.2f, %d other items%n",
                                run.variant(),
                                seed,
                                num(m),
                                run.events(),
                                run.replayMillis() / 1000.0,
                                run.score().recall(),
                                run.score().otherItems().size());
                        if (work == null) {
                            deleteTree(runDir);
                        }
                    }
                }
            }
        } finally {
            if (work == null) {
                deleteTree(dir);
            }
        }
        String report = report(setup, seeds, spikes, bandList, shapeList, decoys, decoyMultiplier, runs, listAlarms)
                + String.format(
                        Locale.ROOT,
                        "%nTotal %.1f min for %d replays.%n",
                        (System.nanoTime() - started) / 60e9,
                        runs.size());
        System.out.print(report);
        if (out != null) {
            Files.writeString(out, report, StandardCharsets.UTF_8);
        }
        return 0;
    }

    // ---------------------------------------------------------------------------------------------
    // Runs

    /**
     * What every run shares: the shop (scenario {@code trend-eval}, possibly resized), the cut of the
     * first-hours variant, the detection deadline, the job options and the replay's parallelism.
     */
    public record Setup(
            SimulatorConfig shop, Duration cut, Duration within, Configuration jobOptions, int parallelism) {}

    /** One replay and its score; {@code variant} names what was replayed ("first 6 h", "30 h"). */
    public record Run(
            String variant, long seed, double multiplier, Phase phase, long events, long replayMillis, Score score) {}

    /** Scenario {@code trend-eval} with {@code users} (null: its own) and a daily cycle of {@code strength}. */
    public static SimulatorConfig baseConfig(Integer users, double strength) {
        SimulatorConfig c = SimulatorConfig.scenario("trend-eval").withDailyCycle(strength);
        return users == null ? c : c.withUsers(users);
    }

    /** Scenario trend-eval's plan with these spikes, all in {@code phase}. */
    public static SpikePlan plan(int n, List<Double> m, List<SizeBand> b, List<Shape> s, Phase phase) {
        return SpikePlan.trendEval().withSpikes(n).withDeal(m, b, s, List.of(phase));
    }

    /**
     * The job options of {@code conf}: every key must be a known {@code pulse.*} option and the
     * values valid (as {@code replay --conf} checks them).
     */
    public static Configuration jobOptions(Map<String, String> conf) {
        for (String key : conf.keySet()) {
            if (ConfigCatalog.option(key).isEmpty()) {
                String near = ConfigCatalog.closest(key);
                throw new IllegalArgumentException(
                        "--conf " + key + ": unknown option" + (near != null ? "; did you mean " + near + "?" : ""));
            }
        }
        Configuration c = Configuration.fromMap(conf);
        JobSettings.from(c);
        return c;
    }

    /**
     * Generates the shop of {@code setup} with {@code plan} and {@code seed} into {@code dir}, cuts
     * it to {@code setup.cut()} for the first-hours phase, replays the trends job and scores it.
     */
    public static Run run(Setup setup, long seed, SpikePlan plan, Phase phase, Path dir) throws Exception {
        SimulatorConfig cfg = setup.shop().withSpikePlan(plan).validate();
        Path events = dir.resolve("events");
        new MarketSimulator(cfg, seed).run(events);
        long start = cfg.start().toEpochMilli();
        long end = start + cfg.duration().toMillis();
        Path input = events;
        String variant = hours(cfg.duration());
        if (phase == Phase.FIRST_HOURS) {
            end = start + setup.cut().toMillis();
            input = dir.resolve("cut");
            cut(events, input, end);
            variant = "first " + hours(setup.cut());
        }
        Path tables = dir.resolve("tables");
        Replay.Result r = Replay.run(new Replay.Spec(
                "trends",
                List.of(input),
                tables,
                InputFormat.JSONL,
                setup.jobOptions(),
                setup.parallelism(),
                null,
                null));
        JsonNode truth = JSON.readTree(events.resolve("truth.json").toFile());
        Duration slide = setup.jobOptions().get(PulseOptions.SLIDE);
        Score score =
                score(truth, ReplayOutput.readRows(tables.resolve("demand_trends.jsonl")), end, setup.within(), slide);
        return new Run(variant, seed, plan.multipliers().get(0), phase, r.read(), r.wallMillis(), score);
    }

    /**
     * Copies the event files of {@code from} to {@code to} with only the events before
     * {@code endTs} (event time: {@code ts}, a campaign's {@code start_ts}); the catalogue and
     * {@code truth.json} are copied whole.
     */
    public static void cut(Path from, Path to, long endTs) throws IOException {
        Files.createDirectories(to);
        Files.copy(from.resolve("truth.json"), to.resolve("truth.json"));
        Files.copy(from.resolve(MarketSimulator.ITEMS_FILE), to.resolve(MarketSimulator.ITEMS_FILE));
        for (String file : MarketSimulator.FILES) {
            try (BufferedReader r = Files.newBufferedReader(from.resolve(file), StandardCharsets.UTF_8);
                    BufferedWriter w = Files.newBufferedWriter(to.resolve(file), StandardCharsets.UTF_8)) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    JsonNode e = JSON.readTree(line);
                    JsonNode ts = e.has("ts") ? e.get("ts") : e.get("start_ts");
                    if (ts.asLong() < endTs) {
                        w.write(line);
                        w.write('\n');
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Scoring

    /**
     * A planted spike and when it was found: {@code delayMs} from the onset to the end of the first
     * trending window ending after it (null: never), and whether its item trended at or before
     * the onset.
     */
    public record SpikeOutcome(
            long itemId,
            long onset,
            double multiplier,
            String band,
            String shape,
            String phase,
            Long delayMs,
            boolean flaggedBeforeOnset) {

        /** Whether it was found within {@code within} of the onset. */
        public boolean foundWithin(Duration within) {
            return delayMs != null && delayMs <= within.toMillis();
        }
    }

    /**
     * An episode of an item that was not planted as a spike: {@code what} it is in truth.json
     * ({@code decoy}, {@code star}, {@code bad}, {@code best-seller} — a steady high-volume item —
     * or {@code other}), the end of its first trending window, how many windows it lasted, and its
     * largest z and views.
     */
    public record Alarm(long itemId, String what, long firstWindowEnd, int windows, double peakZ, long peakViews) {}

    /**
     * The score of one replay: scored spikes, the other (neither planted nor decoy) items flagged
     * and their episodes, the decoys flagged, the items flagged in all and among the planted after
     * their onset, and every episode of an item not planted as a spike.
     */
    public record Score(
            List<SpikeOutcome> spikes,
            Duration within,
            Set<Long> otherItems,
            int otherEpisodes,
            Set<Long> decoysFlagged,
            int decoys,
            int flaggedItems,
            int plantedFlaggedAfterOnset,
            List<Alarm> alarms) {

        /** Share of scored spikes found within the deadline (NaN without spikes). */
        public double recall() {
            return recall(s -> true);
        }

        /** {@link #recall()} over the spikes that {@code which} accepts. */
        public double recall(Predicate<SpikeOutcome> which) {
            List<SpikeOutcome> chosen = spikes.stream().filter(which).toList();
            return chosen.isEmpty()
                    ? Double.NaN
                    : chosen.stream().filter(s -> s.foundWithin(within)).count() / (double) chosen.size();
        }

        /** Planted items flagged after their onset over all items flagged (NaN when none was flagged). */
        public double precision() {
            return flaggedItems == 0 ? Double.NaN : plantedFlaggedAfterOnset / (double) flaggedItems;
        }
    }

    /**
     * Scores {@code demandTrends} rows (all of them, any order) against {@code truth}; the data
     * replayed ends at {@code dataEnd}; windows slide by {@code slide}.
     */
    public static Score score(
            JsonNode truth, List<JsonNode> demandTrends, long dataEnd, Duration within, Duration slide) {
        Map<Long, TreeSet<Long>> flagged = new TreeMap<>();
        Map<Long, Map<Long, JsonNode>> flaggedRows = new HashMap<>();
        for (JsonNode r : demandTrends) {
            if (r.get("trending").asBoolean()) {
                long item = r.get("item_id").asLong();
                long end = r.get("window_end").asLong();
                flagged.computeIfAbsent(item, k -> new TreeSet<>()).add(end);
                flaggedRows.computeIfAbsent(item, k -> new HashMap<>()).put(end, r);
            }
        }
        Map<Long, JsonNode> planted = new HashMap<>();
        truth.get("shock_items").forEach(s -> planted.put(s.get("item_id").asLong(), s));
        Set<Long> decoys = new TreeSet<>();
        if (truth.has("decoy_items")) {
            truth.get("decoy_items").forEach(d -> decoys.add(d.get("item_id").asLong()));
        }
        List<SpikeOutcome> spikes = new ArrayList<>();
        int plantedAfterOnset = 0;
        for (JsonNode s : planted.values()) {
            long item = s.get("item_id").asLong();
            long onset = s.get("onset_ts").asLong();
            TreeSet<Long> ends = flagged.getOrDefault(item, new TreeSet<>());
            Long first = ends.higher(onset);
            plantedAfterOnset += first != null ? 1 : 0;
            if (onset + within.toMillis() > dataEnd) {
                continue; // too close to the end of the data to be judged
            }
            spikes.add(new SpikeOutcome(
                    item,
                    onset,
                    s.get("multiplier").asDouble(),
                    s.has("size_band") ? s.get("size_band").asText() : "-",
                    s.get("kind").asText(),
                    s.has("phase") ? s.get("phase").asText() : "-",
                    first == null ? null : first - onset,
                    ends.floor(onset) != null));
        }
        spikes.sort(Comparator.comparingLong(SpikeOutcome::onset).thenComparingLong(SpikeOutcome::itemId));
        Map<Long, String> what = new HashMap<>();
        for (String[] list : new String[][] {
            {"star_items", "star"}, {"bad_items", "bad"}, {"steady_high_volume_items", "best-seller"}
        }) {
            if (truth.has(list[0])) {
                truth.get(list[0]).forEach(n -> what.put(n.get("item_id").asLong(), list[1]));
            }
        }
        decoys.forEach(d -> what.put(d, "decoy"));
        Set<Long> others = new TreeSet<>();
        Set<Long> decoysFlagged = new TreeSet<>();
        List<Alarm> alarms = new ArrayList<>();
        int otherEpisodes = 0;
        for (Map.Entry<Long, TreeSet<Long>> e : flagged.entrySet()) {
            long item = e.getKey();
            if (planted.containsKey(item)) {
                continue;
            }
            if (decoys.contains(item)) {
                decoysFlagged.add(item);
            } else {
                others.add(item);
                otherEpisodes += episodes(e.getValue(), slide.toMillis());
            }
            alarms.addAll(alarms(item, what.getOrDefault(item, "other"), flaggedRows.get(item), e.getValue(), slide));
        }
        alarms.sort(Comparator.comparingLong(Alarm::firstWindowEnd).thenComparingLong(Alarm::itemId));
        return new Score(
                spikes,
                within,
                others,
                otherEpisodes,
                decoysFlagged,
                decoys.size(),
                flagged.size(),
                plantedAfterOnset,
                alarms);
    }

    private static List<Alarm> alarms(
            long item, String what, Map<Long, JsonNode> rows, TreeSet<Long> ends, Duration slide) {
        List<Alarm> out = new ArrayList<>();
        long first = Long.MIN_VALUE;
        long previous = Long.MIN_VALUE;
        int windows = 0;
        double peakZ = Double.NEGATIVE_INFINITY;
        long peakViews = 0;
        for (long end : ends) {
            if (previous != Long.MIN_VALUE && end - previous > slide.toMillis()) {
                out.add(new Alarm(item, what, first, windows, peakZ, peakViews));
                first = Long.MIN_VALUE;
            }
            if (first == Long.MIN_VALUE) {
                first = end;
                windows = 0;
                peakZ = Double.NEGATIVE_INFINITY;
                peakViews = 0;
            }
            JsonNode r = rows.get(end);
            windows++;
            peakZ = Math.max(peakZ, r.path("z").asDouble(Double.NEGATIVE_INFINITY));
            peakViews = Math.max(peakViews, r.path("views").asLong());
            previous = end;
        }
        if (first != Long.MIN_VALUE) {
            out.add(new Alarm(item, what, first, windows, peakZ, peakViews));
        }
        return out;
    }

    /** Runs of consecutive windows (ends {@code slide} apart) among the sorted {@code ends}. */
    static int episodes(TreeSet<Long> ends, long slide) {
        int n = 0;
        long previous = Long.MIN_VALUE;
        for (long end : ends) {
            if (previous == Long.MIN_VALUE || end - previous > slide) {
                n++;
            }
            previous = end;
        }
        return n;
    }

    // ---------------------------------------------------------------------------------------------
    // Report

    /** The Markdown report of {@code runs}. */
    public static String report(
            Setup setup,
            List<Long> seeds,
            int spikes,
            List<SizeBand> bands,
            List<Shape> shapes,
            int decoys,
            double decoyMultiplier,
            List<Run> runs,
            boolean listAlarms) {
        StringBuilder b = new StringBuilder();
        SimulatorConfig shop = setup.shop();
        long within = setup.within().toMinutes();
        b.append("## Trend detection on planted spikes\n\n");
        b.append(String.format(
                Locale.ROOT,
                "Shop: scenario trend-eval, %s from %s (UTC), %,d users, %,d items, daily cycle %s. Seeds %s. "
                        + "Per run: %d spikes dealt over bands %s and shapes %s; %d always-hot decoys at ×%s. "
                        + "Detected = first trending window ending after the onset; recall counts detections within "
                        + "%d min. Job options: %s.%n%n",
                hours(shop.duration()),
                shop.start(),
                shop.users(),
                shop.itemsPerCategory() * 10,
                num(shop.dailyCycle()),
                seeds.stream().map(String::valueOf).collect(Collectors.joining(", ")),
                spikes,
                bands.stream().map(SizeBand::label).collect(Collectors.joining(", ")),
                shapes.stream().map(Shape::label).collect(Collectors.joining(", ")),
                decoys,
                num(decoyMultiplier),
                within,
                setup.jobOptions().toMap().isEmpty()
                        ? "defaults"
                        : setup.jobOptions().toMap().toString()));

        b.append("### Per variant and multiplier\n\n");
        b.append("| variant | × | runs | spikes | recall ≤ ").append(within).append(" min");
        for (SizeBand band : bands) {
            b.append(" | ").append(band.label());
        }
        b.append(" | median / max delay (min) | never | other items per run (max) | other episodes | decoys flagged"
                + " | precision |\n|---|---|---|---|---");
        b.append("|---".repeat(bands.size()));
        b.append("|---|---|---|---|---|---|\n");
        Map<String, List<Run>> groups = new LinkedHashMap<>();
        runs.stream()
                .sorted(Comparator.comparing(Run::phase).thenComparingDouble(Run::multiplier))
                .forEach(r -> groups.computeIfAbsent(r.variant() + " ×" + num(r.multiplier()), k -> new ArrayList<>())
                        .add(r));
        for (List<Run> g : groups.values()) {
            Run first = g.get(0);
            List<SpikeOutcome> all =
                    g.stream().flatMap(r -> r.score().spikes().stream()).toList();
            b.append("| ").append(first.variant()).append(" | ").append(num(first.multiplier()));
            b.append(" | ").append(g.size()).append(" | ").append(all.size());
            b.append(" | ").append(ratio(all, setup.within(), s -> true));
            for (SizeBand band : bands) {
                b.append(" | ").append(ratio(all, setup.within(), s -> s.band().equals(band.label())));
            }
            b.append(" | ").append(delays(all));
            b.append(" | ").append(all.stream().filter(s -> s.delayMs() == null).count());
            IntSummary others = IntSummary.of(
                    g.stream().mapToInt(r -> r.score().otherItems().size()));
            b.append(" | ")
                    .append(others.mean())
                    .append(" (")
                    .append(others.max())
                    .append(')');
            b.append(" | ")
                    .append(g.stream().mapToInt(r -> r.score().otherEpisodes()).sum());
            b.append(" | ")
                    .append(g.stream()
                            .mapToInt(r -> r.score().decoysFlagged().size())
                            .sum());
            b.append(" of ").append(g.stream().mapToInt(r -> r.score().decoys()).sum());
            int flaggedItems =
                    g.stream().mapToInt(r -> r.score().flaggedItems()).sum();
            int truePlanted = g.stream()
                    .mapToInt(r -> r.score().plantedFlaggedAfterOnset())
                    .sum();
            b.append(" | ")
                    .append(
                            flaggedItems == 0
                                    ? "–"
                                    : String.format(Locale.ROOT, "%.2f", truePlanted / (double) flaggedItems));
            b.append(" |\n");
        }

        b.append("\n### Per configuration\n\n");
        b.append("| variant | phase | × | band | shape | spikes | found ≤ ")
                .append(within)
                .append(
                        " min | recall | median / max delay (min) | never |\n|---|---|---|---|---|---|---|---|---|---|\n");
        Map<String, List<SpikeOutcome>> cells = new TreeMap<>();
        Map<String, String> cellLabels = new HashMap<>();
        for (Run r : runs) {
            for (SpikeOutcome s : r.score().spikes()) {
                String key = String.format(
                        Locale.ROOT,
                        "%d|%08.2f|%d|%d",
                        r.phase().ordinal(),
                        s.multiplier(),
                        bands.indexOf(SizeBand.parse(s.band())),
                        shapes.indexOf(Shape.parse(s.shape())));
                cells.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
                cellLabels.put(
                        key, String.join(" | ", r.variant(), s.phase(), num(s.multiplier()), s.band(), s.shape()));
            }
        }
        for (Map.Entry<String, List<SpikeOutcome>> e : cells.entrySet()) {
            List<SpikeOutcome> c = e.getValue();
            long found = c.stream().filter(s -> s.foundWithin(setup.within())).count();
            b.append("| ").append(cellLabels.get(e.getKey()));
            b.append(" | ").append(c.size()).append(" | ").append(found);
            b.append(" | ").append(ratio(c, setup.within(), s -> true));
            b.append(" | ").append(delays(c));
            b.append(" | ").append(c.stream().filter(s -> s.delayMs() == null).count());
            b.append(" |\n");
        }

        b.append("\n### Per run\n\n");
        b.append("| variant | seed | × | events | replay (s) | spikes | recall | other items | other episodes "
                + "| decoys flagged | planted flagged before onset | precision | false-alarm episodes by item kind |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Run r : runs) {
            Score s = r.score();
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %s | %,d | %.1f | %d | %s | %d | %d | %d | %d | %s | %s |%n",
                    r.variant(),
                    r.seed(),
                    num(r.multiplier()),
                    r.events(),
                    r.replayMillis() / 1000.0,
                    s.spikes().size(),
                    fmt(s.recall()),
                    s.otherItems().size(),
                    s.otherEpisodes(),
                    s.decoysFlagged().size(),
                    s.spikes().stream().filter(SpikeOutcome::flaggedBeforeOnset).count(),
                    fmt(s.precision()),
                    byKind(s.alarms())));
        }
        if (listAlarms) {
            b.append("\n### False alarms (episodes of items not planted as spikes)\n\n");
            b.append(
                    "| variant | seed | × | item | kind | first flagged (shop time) | h after start | windows | peak z "
                            + "| peak views |\n|---|---|---|---|---|---|---|---|---|---|\n");
            long start = shop.start().toEpochMilli();
            for (Run r : runs) {
                for (Alarm a : r.score().alarms()) {
                    b.append(String.format(
                            Locale.ROOT,
                            "| %s | %d | %s | %d | %s | %s | %.1f | %d | %.2f | %d |%n",
                            r.variant(),
                            r.seed(),
                            num(r.multiplier()),
                            a.itemId(),
                            a.what(),
                            shopTime(a.firstWindowEnd(), start),
                            (a.firstWindowEnd() - start) / 3_600_000.0,
                            a.windows(),
                            a.peakZ(),
                            a.peakViews()));
                }
            }
        }
        return b.toString();
    }

    /** "best-seller 2, other 1", "–" for none. */
    private static String byKind(List<Alarm> alarms) {
        Map<String, Integer> n = new TreeMap<>();
        alarms.forEach(a -> n.merge(a.what(), 1, Integer::sum));
        return n.isEmpty()
                ? "–"
                : n.entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining(", "));
    }

    /** "day 2 07:15": the shop's clock (UTC+8), days counted from the run's first. */
    private static String shopTime(long ts, long start) {
        long shift = 8 * 3_600_000L;
        long day = Math.floorDiv(ts + shift, 86_400_000L) - Math.floorDiv(start + shift, 86_400_000L) + 1;
        long minuteOfDay = Math.floorMod(ts + shift, 86_400_000L) / MINUTE;
        return String.format(Locale.ROOT, "day %d %02d:%02d", day, minuteOfDay / 60, minuteOfDay % 60);
    }

    private record IntSummary(String mean, int max) {
        static IntSummary of(java.util.stream.IntStream values) {
            int[] v = values.toArray();
            int max = 0;
            long sum = 0;
            for (int x : v) {
                max = Math.max(max, x);
                sum += x;
            }
            return new IntSummary(
                    v.length == 0 ? "–" : String.format(Locale.ROOT, "%.1f", sum / (double) v.length), max);
        }
    }

    private static String ratio(List<SpikeOutcome> all, Duration within, Predicate<SpikeOutcome> which) {
        List<SpikeOutcome> chosen = all.stream().filter(which).toList();
        if (chosen.isEmpty()) {
            return "–";
        }
        long found = chosen.stream().filter(s -> s.foundWithin(within)).count();
        return String.format(Locale.ROOT, "%.2f (%d/%d)", found / (double) chosen.size(), found, chosen.size());
    }

    /** Median and maximum delay in minutes of the spikes found at all, "–" when none was. */
    private static String delays(List<SpikeOutcome> spikes) {
        List<Long> d = spikes.stream()
                .map(SpikeOutcome::delayMs)
                .filter(x -> x != null)
                .sorted()
                .toList();
        if (d.isEmpty()) {
            return "–";
        }
        double median = d.size() % 2 == 1 ? d.get(d.size() / 2) : (d.get(d.size() / 2 - 1) + d.get(d.size() / 2)) / 2.0;
        return String.format(Locale.ROOT, "%s / %d", num(median / MINUTE), d.get(d.size() - 1) / MINUTE);
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }

    /** A number without a trailing ".0". */
    static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** "30 h", "6 h", "90 min". */
    static String hours(Duration d) {
        return d.toMinutes() % 60 == 0 ? d.toHours() + " h" : d.toMinutes() + " min";
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
