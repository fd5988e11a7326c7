package io.haitaopulse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.haitaopulse.common.PulseOptions;
import io.haitaopulse.io.InputFormat;
import io.haitaopulse.io.ReplayOutput;
import io.haitaopulse.runtime.LiveDemo;
import io.haitaopulse.runtime.Replay;
import io.haitaopulse.trends.TrendOptions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pulse demo}: the embedded default of CONTRACTS §1. Starts Kafka, PostgreSQL and a Flink
 * standalone cluster on this machine (with {@code --minicluster}: Flink in this JVM), streams the
 * simulated shop through every job and shows progress until Ctrl-C ({@link LiveDemo}). {@code --offline} instead replays the real Taobao sample through the trends
 * job and prints the hot items of the latest window, with each item's move against the previous
 * slide.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Start Kafka, PostgreSQL and Flink here, stream a simulated import shop through every job, "
                + "and show progress until Ctrl-C. --offline: replay the real Taobao sample instead.")
final class DemoCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    @Option(
            names = "--offline",
            description = "No Kafka or PostgreSQL: replay the Taobao sample and print the hot items.")
    boolean offline;

    // 2,500: what four jobs behind the bot filter keep up with on two cores shared with the broker,
    // PostgreSQL and the producer (docs/user/demo.md); at 5,000 they fall behind.
    @Option(
            names = "--rate",
            paramLabel = "EVENTS_PER_S",
            description = "Events per second streamed into Kafka (default: 2500; 0: as fast as possible).")
    double rate = 2_500;

    @Option(
            names = "--scenario",
            paramLabel = "NAME",
            description = "Simulator scenario (default: default, 3 days, ~460,000 events).")
    String scenario = "default";

    @Option(names = "--seed", paramLabel = "N", description = "Simulator seed (default: 1).")
    long seed = 1;

    @Option(
            names = "--duration",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "Stop by itself after this long (default: run until Ctrl-C).")
    Duration duration;

    @Option(
            names = "--work",
            paramLabel = "DIR",
            description = "Data of this demo run (default: demo-work/ in the project; emptied first).")
    Path work;

    @Option(
            names = "--kafka-port",
            paramLabel = "PORT",
            description = "Broker port (default: 9092, or a free one if taken).")
    int kafkaPort = 9092;

    @Option(
            names = "--postgres-port",
            paramLabel = "PORT",
            description = "PostgreSQL port (default: 5432, or a free one if taken).")
    int postgresPort = 5432;

    @Option(
            names = "--flink-port",
            paramLabel = "PORT",
            description =
                    "REST API and web UI port of the demo's Flink cluster (default: 8081, or a free one if taken).")
    int flinkPort = LiveDemo.FLINK_PORT;

    @Option(
            names = "--minicluster",
            description = "Run the jobs in a Flink MiniCluster inside the demo's JVM instead of a standalone "
                    + "cluster (JobManager and TaskManager JVMs): less memory, no web UI.")
    boolean miniCluster;

    @Option(
            names = "--input",
            paramLabel = "FILE",
            description = "With --offline: UserBehavior CSV (default: data/taobao/UserBehavior.csv in the project).")
    Path input;

    @Option(
            names = "--secure-kafka",
            description = "Kafka with SASL/SCRAM-SHA-512 and ACLs: jobs and simulator log in as "
                    + "least-privilege users (docs/operations/security.md).")
    boolean secureKafka;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "With --offline: where the replay tables go (default: demo-out/ in the project).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Path home = Paths.get(System.getProperty("pulse.home", "."));
        if (!offline) {
            if (rate < 0) {
                throw new IllegalArgumentException("--rate must not be negative");
            }
            if (flinkPort < 0 || flinkPort > 65_535) {
                throw new IllegalArgumentException("--flink-port must be a port number, got " + flinkPort);
            }
            LiveDemo demo = new LiveDemo(
                    work != null ? work : home.resolve("demo-work"),
                    scenario,
                    seed,
                    rate,
                    duration,
                    kafkaPort,
                    postgresPort,
                    System.out);
            demo.flinkPort(flinkPort);
            if (miniCluster) {
                demo.onMiniCluster();
            }
            return (secureKafka ? demo.secureKafka() : demo).run();
        }
        return offline(home);
    }

    private Integer offline(Path home) throws Exception {
        Path data = input != null
                ? input
                : home.resolve("data/taobao/UserBehavior.csv").normalize();
        if (!Files.isRegularFile(data)) {
            throw new IllegalArgumentException(
                    "demo data " + data + " not found; pass --input FILE (a UserBehavior CSV)");
        }
        Path dir = out != null ? out : home.resolve("demo-out");
        PrintStream o = System.out;
        o.println("Haitao Pulse demo: replaying " + data + " (real Taobao user behaviour) through the trends job…");
        Configuration conf = new JobOptionsMixin().toConfiguration();
        Replay.Result r = Replay.run(
                new Replay.Spec("trends", List.of(data), dir, InputFormat.USERBEHAVIOR, conf, 2, null, null));
        o.println(r.summary("trends"));
        long current = printHotItems(
                o,
                ReplayOutput.readRows(dir.resolve("hot_items.jsonl")),
                conf.get(PulseOptions.WINDOW).toMillis(),
                conf.get(PulseOptions.SLIDE).toMillis());
        printRisingCategories(o, ReplayOutput.readRows(dir.resolve("category_trends.jsonl")), current);
        o.println();
        o.println("All tables are in " + dir.toAbsolutePath() + " (one JSON object per line).");
        return 0;
    }

    /**
     * Prints the global Top-N of the current window: the first window that ends after the newest
     * view, i.e. the full hour up to now. (Later windows exist too, but hold only the last minutes.)
     */
    static long printHotItems(PrintStream o, List<JsonNode> rows, long windowMs, long slideMs) {
        long lastEnd = Long.MIN_VALUE;
        for (JsonNode r : rows) {
            lastEnd = Math.max(lastEnd, r.get("window_end").asLong());
        }
        if (lastEnd == Long.MIN_VALUE) {
            o.println("No VIEW clicks in the input, so no hot items.");
            return Long.MIN_VALUE;
        }
        long latest = lastEnd - windowMs + slideMs;
        long previous = Long.MIN_VALUE;
        Map<Long, Integer> previousRank = new HashMap<>();
        Map<Long, String> categoryOf = new HashMap<>();
        for (JsonNode r : rows) {
            long end = r.get("window_end").asLong();
            if (end == latest - slideMs && "all".equals(r.get("scope").asText())) {
                previous = end;
            }
            if (end == latest && !"all".equals(r.get("scope").asText())) {
                categoryOf.put(r.get("item_id").asLong(), r.get("scope").asText());
            }
        }
        for (JsonNode r : rows) {
            if (r.get("window_end").asLong() == previous
                    && "all".equals(r.get("scope").asText())) {
                previousRank.put(r.get("item_id").asLong(), r.get("rank").asInt());
            }
        }
        final long latestEnd = latest;
        JsonNode any = rows.stream()
                .filter(r -> r.get("window_end").asLong() == latestEnd)
                .findFirst()
                .orElseThrow();
        o.println();
        o.printf(
                "Hot items now (the hour up to the newest event): window %s – %s UTC, all categories%n",
                TIME.format(Instant.ofEpochMilli(any.get("window_start").asLong())),
                TIME.format(Instant.ofEpochMilli(latest)));
        o.println("  rank  item         category     views  vs previous slide");
        o.println("  ----  -----------  -----------  -----  -----------------");
        for (JsonNode r : rows) {
            if (r.get("window_end").asLong() != latest
                    || !"all".equals(r.get("scope").asText())) {
                continue;
            }
            long item = r.get("item_id").asLong();
            int rank = r.get("rank").asInt();
            Integer before = previousRank.get(item);
            String move = before == null
                    ? "new"
                    : before == rank ? "=" : (before > rank ? "up " + (before - rank) : "down " + (rank - before));
            o.printf(
                    "  %4d  %-11d  %-11s  %5d  %s%n",
                    rank,
                    item,
                    categoryOf.getOrDefault(item, "?"),
                    r.get("views").asLong(),
                    move);
        }
        return latest;
    }

    /** Prints the categories rising fastest in the window ending at {@code end}, by z. */
    static void printRisingCategories(PrintStream o, List<JsonNode> rows, long end) {
        List<JsonNode> current = rows.stream()
                .filter(r -> r.get("window_end").asLong() == end
                        && !r.get("z").isNull()
                        && r.get("views").asLong() >= TrendOptions.MIN_VIEWS.defaultValue())
                .sorted(Comparator.comparingDouble((JsonNode r) -> -r.get("z").asDouble())
                        .thenComparingLong(r -> r.get("category_id").asLong()))
                .limit(5)
                .toList();
        if (current.isEmpty()) {
            return;
        }
        o.println();
        o.println("Categories rising fastest (20+ views; last 10 minutes against their baseline):");
        o.println("  category     views/h  baseline/h  ratio      z  trending");
        o.println("  -----------  -------  ----------  -----  -----  --------");
        for (JsonNode r : current) {
            o.printf(
                    "  %-11d  %7d  %10.1f  %5.2f  %5.1f  %s%n",
                    r.get("category_id").asLong(),
                    r.get("views").asLong(),
                    r.get("baseline").asDouble(),
                    r.get("ratio").asDouble(),
                    r.get("z").asDouble(),
                    r.get("trending").asBoolean() ? "yes" : "no");
        }
    }
}
