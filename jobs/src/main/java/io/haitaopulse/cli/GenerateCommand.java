package io.haitaopulse.cli;

import io.haitaopulse.generator.ExperimentPlan;
import io.haitaopulse.generator.MarketSimulator;
import io.haitaopulse.generator.SimulatorConfig;
import io.haitaopulse.generator.SpikePlan;
import io.haitaopulse.io.FileInputs;
import io.haitaopulse.io.InputFormat;
import io.haitaopulse.live.EventProducer;
import io.haitaopulse.live.LiveOptions;
import io.haitaopulse.live.LiveSetup;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pulse generate}: the market simulator of CONTRACTS §1. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description =
                "Simulate the import shop: event files of CONTRACTS §2 plus truth.json (what was planted) in --out. "
                        + "Same seed and options give byte-identical files.")
final class GenerateCommand implements Callable<Integer> {

    @Option(
            names = "--scenario",
            paramLabel = "NAME",
            description = "default, small, campaigns, shocks, trend-eval or experiments (default: default).")
    String scenario = "default";

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: 1).")
    long seed = 1;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--days", paramLabel = "N", description = "Simulated days (overrides the scenario).")
    Double days;

    @Option(names = "--users", paramLabel = "N", description = "Registered users (overrides the scenario).")
    Integer users;

    @Option(
            names = "--max-delay",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "Bound of delivery disorder (overrides the scenario).")
    Duration maxDelay;

    @Option(names = "--late-share", paramLabel = "P", description = "Share of events delivered beyond the bound.")
    Double lateShare;

    @Option(
            names = "--malformed-share",
            paramLabel = "P",
            description = "Share of click lines replaced by malformed ones.")
    Double malformedShare;

    @Option(names = "--bots", paramLabel = "N", description = "Planted click bots, listed in truth.json (default: 0).")
    int bots;

    @Option(
            names = "--unpaid-share",
            paramLabel = "P",
            description =
                    "Share of unbought baskets checked out and never paid; above 0, every paid order is CREATED first too (default: 0).")
    double unpaidShare;

    @Option(
            names = "--start",
            paramLabel = "INSTANT",
            description = "First simulated instant, ISO-8601 UTC, e.g. 2026-11-01T22:00:00Z (overrides the scenario).")
    String start;

    @Option(
            names = "--daily-cycle",
            paramLabel = "S",
            description = "Strength of the daily rhythm: 1 the shop's, 0 flat, 2 its square (default: 1).")
    Double dailyCycle;

    @Option(
            names = "--spikes",
            paramLabel = "N",
            description = "Demand spikes to plant for measuring trend detection (trend-eval: 12; others: 0).")
    Integer spikes;

    @Option(
            names = "--spike-multipliers",
            split = ",",
            paramLabel = "X",
            description = "Demand multipliers dealt to the spikes, e.g. 4 or 2,3,4,6,8 (trend-eval: 4).")
    List<Double> spikeMultipliers;

    @Option(
            names = "--spike-bands",
            split = ",",
            paramLabel = "BAND",
            description = "Item size bands dealt to the spikes: small, medium, large (trend-eval: large,medium).")
    List<String> spikeBands;

    @Option(
            names = "--spike-shapes",
            split = ",",
            paramLabel = "SHAPE",
            description = "Onset shapes dealt to the spikes: step, ramp (10 minutes) (trend-eval: step,ramp).")
    List<String> spikeShapes;

    @Option(
            names = "--spike-phases",
            split = ",",
            paramLabel = "PHASE",
            description = "Onset phases dealt to the spikes: first-hours, day-2 (trend-eval: day-2).")
    List<String> spikePhases;

    @Option(
            names = "--first-hours-onsets",
            split = ",",
            converter = DurationConverter.class,
            paramLabel = "FROM,TO",
            description = "Onset window of first-hours spikes after the start (default: 90m,5h).")
    List<Duration> firstHoursOnsets;

    @Option(
            names = "--day-2-onsets",
            split = ",",
            converter = DurationConverter.class,
            paramLabel = "FROM,TO",
            description = "Onset window of day-2 spikes after the start (default: 27h,29h).")
    List<Duration> day2Onsets;

    @Option(
            names = "--spike-duration",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "How long a spike lasts before demand returns to normal; 0: to the end (default: 0).")
    Duration spikeDuration;

    @Option(
            names = "--decoys",
            paramLabel = "N",
            description = "Always-hot decoy items, boosted from the first minute (trend-eval: 10; others: 0).")
    Integer decoys;

    @Option(
            names = "--decoy-multiplier",
            paramLabel = "X",
            description = "Demand multiplier of the decoys (default: 8).")
    Double decoyMultiplier;

    @Option(
            names = "--decoy-band",
            paramLabel = "BAND",
            description = "Size band the decoys are drawn from (default: medium).")
    String decoyBand;

    @Option(
            names = "--pre-campaign",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description =
                    "Ordinary shopping before the campaigns start; the campaigns take shares of the rest (experiments: 21d; others: 0).")
    Duration preCampaign;

    @Option(
            names = "--propensity-shape",
            paramLabel = "K",
            description =
                    "Shape of the Gamma(K, 1/K) multipliers each user keeps on how often they come, buy, take several units and return; 0: users alike (experiments: 1; others: 0).")
    Double propensityShape;

    @Option(
            names = "--campaign-returns",
            negatable = true,
            paramLabel = "",
            description =
                    "Whether discount campaigns raise the returns of what their treated users buy (experiments: on; others: off).")
    Boolean campaignReturns;

    @Option(
            names = "--kafka",
            paramLabel = "HOST:PORT",
            description =
                    "After writing the files, stream them into the input topics of this Kafka (created if missing).")
    String kafka;

    @Option(
            names = "--rate",
            paramLabel = "EVENTS_PER_S",
            description = "With --kafka: events per second (default: 0, as fast as possible).")
    double rate;

    @Override
    public Integer call() throws Exception {
        if (rate < 0) {
            throw new IllegalArgumentException("--rate must not be negative");
        }
        if (rate > 0 && kafka == null) {
            throw new IllegalArgumentException("--rate needs --kafka HOST:PORT");
        }
        SimulatorConfig cfg = SimulatorConfig.scenario(scenario);
        if (days != null) {
            cfg = cfg.withDuration(Duration.ofMinutes(Math.round(days * 1440)));
        }
        if (users != null) {
            cfg = cfg.withUsers(users);
        }
        cfg = cfg.withDisorder(
                maxDelay != null ? maxDelay : cfg.maxDelay(),
                lateShare != null ? lateShare : cfg.lateShare(),
                malformedShare != null ? malformedShare : cfg.malformedShare());
        cfg = cfg.withBotsAndUnpaid(bots, unpaidShare);
        if (start != null) {
            try {
                cfg = cfg.withStart(Instant.parse(start));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(
                        "--start: an ISO-8601 instant such as 2026-11-01T22:00:00Z, got '" + start + "'");
            }
        }
        if (dailyCycle != null) {
            cfg = cfg.withDailyCycle(dailyCycle);
        }
        cfg = cfg.withSpikePlan(spikePlan(cfg.spikePlan()));
        ExperimentPlan plan = cfg.experiments();
        if (preCampaign != null) {
            plan = plan.withPreCampaign(preCampaign);
        }
        if (propensityShape != null) {
            plan = plan.withPropensityShape(propensityShape);
        }
        if (campaignReturns != null) {
            plan = plan.withCampaignReturns(campaignReturns);
        }
        cfg = cfg.withExperiments(plan);
        long started = System.nanoTime();
        long lines = new MarketSimulator(cfg.validate(), seed).run(out);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(
                "generate %s (seed %d): %d events in %s in %.1f s (%.0f events/s)%n",
                scenario, seed, lines, out.toAbsolutePath(), seconds, lines / seconds);
        if (kafka != null) {
            LiveSetup.createTopics(kafka, LiveOptions.PARTITIONS.defaultValue(), List.of());
            List<Path> files = FileInputs.expand(List.of(out), InputFormat.JSONL);
            long t0 = System.nanoTime();
            try (EventProducer producer = new EventProducer(kafka)) {
                long sent = producer.send(files, rate);
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf(
                        "generate: streamed %d records into Kafka at %s in %.1f s (%.0f records/s)%n",
                        sent, kafka, s, sent / s);
            }
        }
        return 0;
    }

    /** The scenario's spike plan with the options given on the command line. */
    private SpikePlan spikePlan(SpikePlan plan) {
        SpikePlan p = plan;
        if (spikes != null) {
            p = p.withSpikes(spikes);
        }
        p = p.withDeal(
                spikeMultipliers != null ? spikeMultipliers : p.multipliers(),
                spikeBands != null
                        ? spikeBands.stream().map(SpikePlan.SizeBand::parse).toList()
                        : p.bands(),
                spikeShapes != null
                        ? spikeShapes.stream().map(SpikePlan.Shape::parse).toList()
                        : p.shapes(),
                spikePhases != null
                        ? spikePhases.stream().map(SpikePlan.Phase::parse).toList()
                        : p.phases());
        List<Duration> fh = window("--first-hours-onsets", firstHoursOnsets, p.firstHoursFrom(), p.firstHoursTo());
        List<Duration> d2 = window("--day-2-onsets", day2Onsets, p.day2From(), p.day2To());
        p = p.withOnsets(fh.get(0), fh.get(1), d2.get(0), d2.get(1));
        if (spikeDuration != null) {
            p = p.withSpikeDuration(spikeDuration);
        }
        if (decoys != null || decoyMultiplier != null || decoyBand != null) {
            p = p.withDecoys(
                    decoys != null ? decoys : p.decoys(),
                    decoyMultiplier != null ? decoyMultiplier : p.decoyMultiplier(),
                    decoyBand != null ? SpikePlan.SizeBand.parse(decoyBand) : p.decoyBand());
        }
        return p;
    }

    private static List<Duration> window(String option, List<Duration> given, Duration from, Duration to) {
        if (given == null) {
            return List.of(from, to);
        }
        if (given.size() != 2) {
            throw new IllegalArgumentException(option + " takes FROM,TO, e.g. 90m,5h");
        }
        return given;
    }
}
