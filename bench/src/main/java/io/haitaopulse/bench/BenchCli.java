package io.haitaopulse.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haitaopulse.cli.DurationConverter;
import io.haitaopulse.common.Durations;
import io.haitaopulse.common.PulseOptions;
import io.haitaopulse.common.PulseSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/pulse bench}: generates one dataset, checks that the hot-items implementations agree
 * on a small input, then runs the chosen cases one after the other on one MiniCluster in this JVM
 * and reports events/s and ratios (table on stdout, JSON with {@code --out}). Exit codes: 0 done,
 * 1 a case failed or the implementations disagreed, 2 a bad argument.
 */
@Command(
        name = "pulse bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description =
                "Benchmarks our jobs against Flink SQL, the classic DataStream approach and Nexmark Q5 on the same input.")
public final class BenchCli implements Callable<Integer> {

    /** Every case, in the order they run. */
    static Map<String, BenchCase> catalogue() {
        Map<String, BenchCase> m = new LinkedHashMap<>();
        for (BenchCase c : List.of(
                PulseCases.sourceCeiling(),
                PulseCases.botFilter(),
                PulseCases.hotItems(),
                PulseCases.trends(),
                PulseCases.trendsWithoutBotFilter(),
                FlinkSqlHotItems.asDocumented(),
                FlinkSqlHotItems.tuned(),
                new ClassicHotItems(),
                new NexmarkQ5(),
                PulseCases.uplift(),
                PulseCases.sourcing())) {
            m.put(c.name(), c);
        }
        return m;
    }

    /** Name of the end-to-end case (it is not a {@link BenchCase}: it owns a broker and a database). */
    static final String KAFKA_E2E = "kafka_e2e";

    /** Name of the freshness case (live job, producer at a fixed rate). */
    static final String KAFKA_FRESHNESS = KafkaFreshness.NAME;

    @Option(
            names = "--events",
            description = "Events to generate (all topics) [default: 5000000; 1000000 with --quick].")
    Long events;

    @Option(
            names = "--items",
            defaultValue = "200000",
            description = "Distinct items in the catalogue [default: ${DEFAULT-VALUE}].")
    int items;

    @Option(
            names = "--span",
            defaultValue = "1d",
            converter = DurationConverter.class,
            description = "Event-time span of the data [default: ${DEFAULT-VALUE}].")
    Duration span;

    @Option(
            names = "--window",
            defaultValue = "1h",
            converter = DurationConverter.class,
            description = "Hot-items window [default: ${DEFAULT-VALUE}].")
    Duration window;

    @Option(
            names = "--slide",
            defaultValue = "5m",
            converter = DurationConverter.class,
            description = "Hot-items slide [default: ${DEFAULT-VALUE}].")
    Duration slide;

    @Option(names = "--top", defaultValue = "10", description = "Top-N [default: ${DEFAULT-VALUE}].")
    int top;

    @Option(
            names = "--parallelism",
            defaultValue = "2",
            description = "Parallelism of every case [default: ${DEFAULT-VALUE}].")
    int parallelism;

    @Option(
            names = "--cases",
            split = ",",
            description = "Cases to run, comma-separated [default: all]: source_ceiling, bot_filter, hot_items_pulse, "
                    + "trends_pulse, trends_pulse_no_bots, hot_items_flink_sql, hot_items_flink_sql_tuned, hot_items_classic, "
                    + "nexmark_q5, uplift_pulse, sourcing_pulse, kafka_e2e, "
                    + "kafka_freshness.")
    List<String> cases;

    @Option(
            names = "--quick",
            description = "A smaller run (1M events unless --events): about 7 minutes for every case on 2 cores.")
    boolean quick;

    @Option(names = "--out", description = "Write the results as JSON to this file.")
    Path out;

    @Option(names = "--seed", defaultValue = "1", description = "Simulator seed [default: ${DEFAULT-VALUE}].")
    long seed;

    @Option(
            names = "--checkpoint-interval",
            defaultValue = "2s",
            converter = DurationConverter.class,
            description =
                    "Checkpoint interval of every case; peak state is the largest checkpoint [default: ${DEFAULT-VALUE}].")
    Duration checkpointInterval;

    @Option(
            names = "--object-reuse",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "pipeline.object-reuse for every case, as the jobs run in production [default: ${DEFAULT-VALUE}].")
    boolean objectReuse;

    @Option(names = "--no-check", description = "Skip the same-rows check of the hot-items implementations.")
    boolean noCheck;

    @Option(
            names = "--warmup",
            description = "Events of a separate dataset every case runs on, untimed, before the timed runs, so that "
                    + "the timed runs measure compiled code; 0 skips [default: as many as --events, at most "
                    + "1000000].")
    Long warmup;

    @Option(
            names = "--warmup-rounds",
            description = "Most warm-up runs per case: a case runs again until the JIT compiled for under "
                    + "5%% of a run's CPU time [default: 5; 3 with --quick].")
    Integer warmupRounds;

    @Option(
            names = "--repeat",
            defaultValue = "1",
            description = "Timed runs per case; the median is reported [default: ${DEFAULT-VALUE}].")
    int repeat;

    @Option(
            names = "--profile",
            description = "Sample this case's last timed run with async-profiler (JFR where its library does not "
                    + "load; this process only: for the Kafka cases not the broker or PostgreSQL) and write "
                    + "its stacks and a flame graph (SVG) next to the JSON.")
    String profile;

    @Option(
            names = "--rate",
            defaultValue = "100000",
            description = "kafka_freshness: producer rate, events/s [default: ${DEFAULT-VALUE}].")
    double rate;

    @Option(
            names = "--freshness-seconds",
            description = "kafka_freshness: how long to stream, cycling through the "
                    + "dataset's clicks and orders if needed [default: 40; 20 with --quick].")
    Integer freshnessSeconds;

    @Option(
            names = "--work",
            defaultValue = "bench/target/work",
            description = "Working directory of kafka_e2e [default: ${DEFAULT-VALUE}].")
    Path work;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line; returns the exit code and never throws. */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new BenchCli());
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine()
                    .getErr()
                    .println("pulse bench: " + oneLine(ex.getMessage()) + " (see 'pulse bench --help')");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if ("1".equals(System.getenv("PULSE_DEBUG"))) {
                ex.printStackTrace(err);
            }
            if (ex instanceof IllegalArgumentException) {
                err.println("pulse bench: " + oneLine(ex.getMessage()));
                return 2;
            }
            Throwable root = ex;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            err.println("pulse bench failed: " + oneLine(root.getClass().getSimpleName() + ": " + root.getMessage())
                    + " (PULSE_DEBUG=1 shows the stack trace)");
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        long n = events != null ? events : quick ? 1_000_000L : 5_000_000L;
        Map<String, BenchCase> all = catalogue();
        List<String> selected = cases == null ? new ArrayList<>(all.keySet()) : cases;
        if (cases == null) {
            selected.add(KAFKA_E2E);
            selected.add(KAFKA_FRESHNESS);
        }
        for (String c : selected) {
            if (!all.containsKey(c) && !c.equals(KAFKA_E2E) && !c.equals(KAFKA_FRESHNESS)) {
                throw new IllegalArgumentException("unknown case '" + c + "'; use one of "
                        + String.join(", ", all.keySet()) + ", " + KAFKA_E2E + ", " + KAFKA_FRESHNESS);
            }
        }
        if (freshnessSeconds != null && freshnessSeconds < 6) {
            throw new IllegalArgumentException("--freshness-seconds must be at least 6");
        }
        if (rate <= 0) {
            throw new IllegalArgumentException("--rate must be positive");
        }
        if (profile != null
                && !all.containsKey(profile)
                && !profile.equals(KAFKA_E2E)
                && !profile.equals(KAFKA_FRESHNESS)) {
            throw new IllegalArgumentException("--profile: unknown case '" + profile + "'");
        }
        if (warmupRounds() < 1) {
            throw new IllegalArgumentException("--warmup-rounds must be at least 1");
        }
        long warmupEvents = warmup != null ? warmup : defaultWarmup(n);
        if (warmupEvents < 0) {
            throw new IllegalArgumentException("--warmup must not be negative");
        }
        if (repeat < 1) {
            throw new IllegalArgumentException("--repeat must be at least 1");
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("--parallelism must be at least 1");
        }
        Configuration jobConf = new Configuration();
        jobConf.set(PulseOptions.WINDOW, window);
        jobConf.set(PulseOptions.SLIDE, slide);
        jobConf.set(PulseOptions.TOP, top);
        PulseSettings.from(jobConf);

        System.out.printf(
                "generating %,d events over %d items (%s of event time, seed %d)…%n",
                n, items, Durations.format(span), seed);
        long t0 = System.nanoTime();
        BenchData data = BenchData.generate(n, items, span, seed);
        double genSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
                "generated %,d events (%,d MB encoded) in %.1f s%n",
                data.totalEvents(), data.totalBytes() >> 20, genSeconds);

        int cores = Runtime.getRuntime().availableProcessors();
        ObjectNode header = new ObjectMapper().createObjectNode();
        ObjectNode machine = header.putObject("machine");
        machine.put("cores", cores);
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        machine.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
        ObjectNode config = header.putObject("config");
        config.put("events", data.totalEvents());
        config.put("items", items);
        config.put("span", Durations.format(span));
        config.put("window", Durations.format(window));
        config.put("slide", Durations.format(slide));
        config.put("top", top);
        config.put("parallelism", parallelism);
        config.put("object_reuse", objectReuse);
        config.put("checkpoint_interval", Durations.format(checkpointInterval));
        config.put("seed", seed);
        config.put("warmup_rounds", warmupRounds());
        config.put("quick", quick);
        config.put("warmup_events", warmupEvents);
        config.put("repeat", repeat);
        BenchReport report = new BenchReport(header, cores);
        report.note(
                "dataset",
                String.format(
                        "%,d events generated in %.1f s, %,d bytes encoded",
                        data.totalEvents(), genSeconds, data.totalBytes()));

        boolean disagree = false;
        try (BenchRunner runner = new BenchRunner(parallelism, checkpointInterval, objectReuse)) {
            if (!noCheck) {
                RowsCheck.Outcome check = checkRows(runner, jobConf);
                report.note(
                        "rows_check",
                        check.same()
                                ? RowsCheck.names(PulseCases.hotItems(), checkedAgainstPulse()) + " gave the same "
                                        + check.rows() + " rows on a small input"
                                : String.join("; ", check.mismatches()));
                System.out.println(
                        "rows check: " + (check.same() ? "same " + check.rows() + " rows" : check.mismatches()));
                disagree = !check.same();
            }
            if (warmupEvents > 0) {
                report.note("warmup_runs", warmUp(runner, all, selected, jobConf, warmupEvents));
            }
            for (String name : selected) {
                List<BenchReport.Case> runs = new ArrayList<>();
                for (int r = 0; r < repeat; r++) {
                    // The last run of the profiled case is recorded.
                    Profiler.Target target = name.equals(profile) && r == repeat - 1 ? profileTarget(name) : null;
                    if (name.equals(KAFKA_E2E)) {
                        runs.add(KafkaE2e.run(runner, data, jobConf, work, target));
                    } else if (name.equals(KAFKA_FRESHNESS)) {
                        runs.add(KafkaFreshness.run(
                                runner,
                                data,
                                jobConf,
                                work,
                                rate,
                                Duration.ofSeconds(freshnessSeconds != null ? freshnessSeconds : quick ? 20 : 40),
                                target));
                    } else {
                        runs.add(runCase(runner, all.get(name), data, jobConf, target));
                    }
                }
                runs.sort(java.util.Comparator.comparingDouble(BenchReport.Case::seconds));
                // The median run by time, with the median CPU and JIT times of the runs (the medians
                // may come from different runs).
                BenchReport.Case result = runs.get(runs.size() / 2)
                        .withCpu(
                                median(runs, BenchReport.Case::cpuSeconds),
                                median(runs, BenchReport.Case::jitSeconds),
                                runs.get(0).services() == null
                                        ? null
                                        : new BenchStack.ServiceCpu(
                                                median(runs, BenchReport.Case::brokerCpuSeconds),
                                                median(runs, BenchReport.Case::postgresCpuSeconds)));
                report.add(result);
                System.out.printf(
                        "%-26s %,12d events %8.2f s %,12.0f events/s%n",
                        result.name(), result.events(), result.seconds(), result.eventsPerSecond());
            }
        } finally {
            data.release();
        }
        System.out.println();
        report.printTable(System.out);
        if (out != null) {
            report.writeJson(out);
            System.out.println("wrote " + out);
        }
        return disagree ? 1 : 0;
    }

    /** Where {@code --profile} writes: next to the JSON, else under bench/target. */
    private Profiler.Target profileTarget(String name) {
        return new Profiler.Target(
                name,
                out == null ? Path.of("bench", "target") : out.toAbsolutePath().getParent());
    }

    private BenchReport.Case runCase(
            BenchRunner runner, BenchCase c, BenchData data, Configuration jobConf, Profiler.Target profiled)
            throws Exception {
        StreamExecutionEnvironment env = runner.environment();
        c.build(new Inputs(env, data, jobConf), null);
        BenchRunner.Measured m = Profiler.around(profiled, () -> runner.run(env, c.name(), data.events(c.inputs())));
        return new BenchReport.Case(
                c.name(),
                c.description(),
                m.events(),
                m.seconds(),
                m.cpuSeconds(),
                m.jitSeconds(),
                m.rows(),
                m.peakHeapBytes(),
                m.peakStateBytes(),
                null,
                null,
                null,
                m.phases());
    }

    /** The median of {@code value} over {@code runs}, or null when a run did not measure it. */
    static Double median(List<BenchReport.Case> runs, java.util.function.Function<BenchReport.Case, Double> value) {
        List<Double> values = new ArrayList<>();
        for (BenchReport.Case r : runs) {
            Double v = value.apply(r);
            if (v == null) {
                return null;
            }
            values.add(v);
        }
        values.sort(Double::compare);
        return values.isEmpty() ? null : values.get(values.size() / 2);
    }

    private int warmupRounds() {
        return warmupRounds != null ? warmupRounds : quick ? 3 : 5;
    }

    /**
     * A warm-up dataset like the timed one, up to {@link #MAX_DEFAULT_WARMUP} events. Smaller
     * ones (100K, 300K) left the compilers at 17–23 % of a timed {@code --quick} run's CPU after
     * three rounds: their windows hold fewer items, sketches stay small and the tests of the trend
     * model rarely run, so the timed run met code paths, and type profiles, the warm-up had not.
     */
    static long defaultWarmup(long timedEvents) {
        return Math.min(timedEvents, MAX_DEFAULT_WARMUP);
    }

    /** The largest default warm-up dataset: a full benchmark's warm-up stays a fifth of its run. */
    static final long MAX_DEFAULT_WARMUP = 1_000_000L;

    /** A warm-up run whose JIT time is under this share of its CPU time ends the case's warm-up. */
    static final double SETTLED_JIT_SHARE = 0.05;

    /** Whether a warm-up run compiled little enough for the case's code to count as steady. */
    static boolean settled(BenchRunner.Measured m) {
        return settled(m.jitSeconds(), m.cpuSeconds());
    }

    private static boolean settled(double jitSeconds, double cpuSeconds) {
        return jitSeconds < SETTLED_JIT_SHARE * cpuSeconds;
    }

    /**
     * Runs every selected case on a separate dataset of {@code events}, untimed, until the JIT has
     * settled for it (at most {@code --warmup-rounds} runs). One run of 100,000 events left the JIT
     * compiling through the timed run, at half the steady throughput; Flink SQL compiles code
     * generated for each job, so its cases may use every round.
     */
    private String warmUp(
            BenchRunner runner, Map<String, BenchCase> all, List<String> selected, Configuration jobConf, long events)
            throws Exception {
        BenchData small = BenchData.generate(events, items, span, seed + 2000);
        List<String> rounds = new ArrayList<>();
        try {
            // Each case's warm-up once, in the order the cases run.
            for (String name : new java.util.LinkedHashSet<>(
                    selected.stream().map(BenchCli::warmedUpBy).toList())) {
                BenchCase c = all.get(name);
                int r = 0;
                boolean steady;
                do {
                    if (name.equals(KAFKA_E2E)) {
                        // Its own broker and database, as in the timed run, on the small dataset.
                        BenchReport.Case k = KafkaE2e.run(runner, small, jobConf, work, null);
                        steady = settled(k.jitSeconds(), k.cpuSeconds());
                    } else {
                        StreamExecutionEnvironment env = runner.environment();
                        c.build(new Inputs(env, small, jobConf), null);
                        BenchRunner.Measured m = runner.run(env, c.name() + "-warmup", small.events(c.inputs()));
                        steady = settled(m);
                    }
                    r++;
                } while (!steady && r < warmupRounds());
                rounds.add(name + " " + r);
            }
        } finally {
            small.release();
        }
        String summary = String.join(", ", rounds);
        System.out.printf("warmed up every case on %,d events (runs: %s)%n", small.totalEvents(), summary);
        return summary;
    }

    /**
     * The case whose untimed runs warm {@code name}'s code up: the case itself, or for
     * {@code kafka_freshness} {@code kafka_e2e}, the same job with the same Kafka source and sinks.
     * The Kafka cases warm up through a broker: warmed on the trends job in memory alone, the
     * connectors' code compiled through the timed run (about 20 s of compiler CPU time in a 60 s
     * {@code kafka_e2e} run).
     */
    static String warmedUpBy(String name) {
        return name.equals(KAFKA_FRESHNESS) ? KAFKA_E2E : name;
    }

    /** The hot-items cases whose rows must equal hot_items_pulse's: both Flink SQL cases and the classic approach. */
    static List<BenchCase> checkedAgainstPulse() {
        return List.of(FlinkSqlHotItems.asDocumented(), FlinkSqlHotItems.tuned(), new ClassicHotItems());
    }

    /** Same rows from ours, Flink SQL (as documented and tuned) and the classic approach on a small input (also warms the JIT up). */
    private RowsCheck.Outcome checkRows(BenchRunner runner, Configuration jobConf) throws Exception {
        BenchData small = BenchData.generate(60_000, 2_000, Duration.ofHours(12), seed + 1000);
        try {
            return RowsCheck.compare(runner, PulseCases.hotItems(), checkedAgainstPulse(), small, jobConf);
        } finally {
            small.release();
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
