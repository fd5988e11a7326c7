package io.haitaopulse.cli;

import io.haitaopulse.generator.MarketSimulator;
import io.haitaopulse.generator.SimulatorConfig;
import io.haitaopulse.io.FileInputs;
import io.haitaopulse.io.InputFormat;
import io.haitaopulse.live.EventProducer;
import io.haitaopulse.live.LiveOptions;
import io.haitaopulse.live.LiveSetup;
import java.nio.file.Path;
import java.time.Duration;
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
            description = "default, small, campaigns or shocks (default: default).")
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
}
