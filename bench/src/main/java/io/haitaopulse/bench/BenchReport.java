package io.haitaopulse.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results of one {@code bench} run: per case events, seconds, events/s, per-core events/s,
 * ratios to {@code source_ceiling} and to Flink SQL, latency where measured, peak heap and state;
 * written as JSON ({@code cases[].name, events, seconds, events_per_second} are the stable fields)
 * and as a table for people. The ratio to Flink SQL divides by the faster of the Flink SQL cases
 * of the same run ({@link #SQL_CASES}), named in the JSON as {@code flink_sql_baseline} and above
 * the table, so that no case is flattered by an untuned baseline.
 */
final class BenchReport {

    static final String CEILING = "source_ceiling";

    /** The Flink SQL cases: as documented and tuned; "× Flink SQL" uses the faster of those that ran. */
    static final List<String> SQL_CASES = List.of(FlinkSqlHotItems.NAME, FlinkSqlHotItems.TUNED_NAME);

    /**
     * Where a run's time went at its edges, in seconds: {@code startupSeconds} from the job's start
     * until its last task runs, {@code afterSourcesSeconds} from the end of its last source until
     * the job ends. Both are in the case's seconds: on a short run they weigh more.
     */
    record Phases(double startupSeconds, double afterSourcesSeconds) {}

    /**
     * One case's numbers; {@code services} is the CPU time of the broker and PostgreSQL beside a
     * Kafka case, null for the in-memory cases.
     */
    record Case(
            String name,
            String description,
            long events,
            double seconds,
            Double cpuSeconds,
            Double jitSeconds,
            long rows,
            long peakHeapBytes,
            long peakStateBytes,
            Double latencyP50Ms,
            Double latencyP99Ms,
            BenchStack.ServiceCpu services,
            Phases phases) {

        double eventsPerSecond() {
            return seconds <= 0 ? 0 : events / seconds;
        }

        /** CPU microseconds of this process per event, or null when not measured. */
        Double cpuMicrosPerEvent() {
            return cpuSeconds == null || events <= 0 ? null : cpuSeconds * 1e6 / events;
        }

        /**
         * This case with {@code cpu} as its CPU time, {@code jit} as its JIT compilation time and
         * {@code services} as the CPU time of the services beside it.
         */
        Case withCpu(Double cpu, Double jit, BenchStack.ServiceCpu services) {
            return new Case(
                    name,
                    description,
                    events,
                    seconds,
                    cpu,
                    jit,
                    rows,
                    peakHeapBytes,
                    peakStateBytes,
                    latencyP50Ms,
                    latencyP99Ms,
                    services,
                    phases);
        }

        /** The broker's CPU seconds while the case ran, or null when not measured. */
        Double brokerCpuSeconds() {
            return services == null ? null : services.broker();
        }

        /** PostgreSQL's CPU seconds while the case ran, or null when not measured. */
        Double postgresCpuSeconds() {
            return services == null ? null : services.postgres();
        }
    }

    private final ObjectNode header;
    private final List<Case> cases = new ArrayList<>();
    private final Map<String, String> notes = new LinkedHashMap<>();
    private final int cores;

    BenchReport(ObjectNode header, int cores) {
        this.header = header;
        this.cores = cores;
    }

    void add(Case c) {
        cases.add(c);
    }

    void note(String key, String value) {
        notes.put(key, value);
    }

    /** The case named {@code name}, if it ran. */
    private Case find(String name) {
        for (Case b : cases) {
            if (b.name.equals(name)) {
                return b;
            }
        }
        return null;
    }

    /** The fastest of the Flink SQL cases that ran (positive events/s), or null if none did. */
    Case sqlBaseline() {
        Case best = null;
        for (String name : SQL_CASES) {
            Case b = find(name);
            if (b != null
                    && b.eventsPerSecond() > 0
                    && (best == null || b.eventsPerSecond() > best.eventsPerSecond())) {
                best = b;
            }
        }
        return best;
    }

    /** {@code c}'s events/s over {@code baseline}'s, or null without a baseline. */
    private static Double ratio(Case c, Case baseline) {
        return baseline == null || baseline.eventsPerSecond() <= 0
                ? null
                : c.eventsPerSecond() / baseline.eventsPerSecond();
    }

    /** {@code c}'s ratio to the faster Flink SQL case of this run. */
    Double ratioToFlinkSql(Case c) {
        return ratio(c, sqlBaseline());
    }

    /** {@code c}'s ratio to {@code source_ceiling}. */
    Double ratioToCeiling(Case c) {
        return ratio(c, find(CEILING));
    }

    ObjectNode toJson() {
        ObjectNode root = header.deepCopy();
        Case sql = sqlBaseline();
        if (sql == null) {
            root.putNull("flink_sql_baseline");
        } else {
            root.put("flink_sql_baseline", sql.name);
        }
        ArrayNode arr = root.putArray("cases");
        for (Case c : cases) {
            ObjectNode o = arr.addObject();
            o.put("name", c.name);
            o.put("description", c.description);
            o.put("events", c.events);
            o.put("seconds", round(c.seconds, 3));
            o.put("events_per_second", Math.round(c.eventsPerSecond()));
            o.put("events_per_second_per_core", Math.round(c.eventsPerSecond() / cores));
            putNullable(o, "cpu_seconds", c.cpuSeconds == null ? null : round(c.cpuSeconds, 3));
            // To the thousandth: a case's CPU per event is a few µs, and the ratios are taken of it.
            putRounded(o, "cpu_us_per_event", c.cpuMicrosPerEvent(), 3);
            putNullable(o, "jit_seconds", c.jitSeconds == null ? null : round(c.jitSeconds, 3));
            putNullable(o, "broker_cpu_seconds", c.brokerCpuSeconds());
            putNullable(o, "postgres_cpu_seconds", c.postgresCpuSeconds());
            putRatio(o, "ratio_to_source_ceiling", ratioToCeiling(c));
            putRatio(o, "ratio_to_flink_sql", ratioToFlinkSql(c));
            o.put("rows", c.rows);
            o.put("peak_heap_bytes", c.peakHeapBytes);
            if (c.peakStateBytes >= 0) {
                o.put("peak_state_bytes", c.peakStateBytes);
            } else {
                o.putNull("peak_state_bytes");
            }
            putNullable(o, "latency_p50_ms", c.latencyP50Ms);
            putNullable(o, "latency_p99_ms", c.latencyP99Ms);
            putRounded(o, "startup_seconds", c.phases == null ? null : c.phases.startupSeconds(), 3);
            putRounded(o, "after_sources_seconds", c.phases == null ? null : c.phases.afterSourcesSeconds(), 3);
        }
        ObjectNode n = root.putObject("notes");
        notes.forEach(n::put);
        return root;
    }

    void writeJson(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), toJson());
    }

    void printTable(PrintStream out) {
        out.println(sqlBaselineLine());
        out.printf(
                "%-26s %10s %8s %12s %9s %9s %6s %8s %8s %10s %10s %9s %7s %7s%n",
                "case",
                "events",
                "seconds",
                "events/s",
                "per core",
                "CPU µs/ev",
                "JIT s",
                "×ceiling",
                "×SQL",
                "heap MB",
                "state MB",
                "p99 ms",
                "start s",
                "tail s");
        for (Case c : cases) {
            Double rc = ratioToCeiling(c);
            Double rs = ratioToFlinkSql(c);
            out.printf(
                    "%-26s %10d %8.2f %12.0f %9.0f %9s %6s %8s %8s %10.0f %10s %9s %7s %7s%n",
                    c.name,
                    c.events,
                    c.seconds,
                    c.eventsPerSecond(),
                    c.eventsPerSecond() / cores,
                    c.cpuMicrosPerEvent() == null ? "-" : String.format("%.2f", c.cpuMicrosPerEvent()),
                    c.jitSeconds == null ? "-" : String.format("%.1f", c.jitSeconds),
                    rc == null ? "-" : String.format("%.3f", rc),
                    rs == null ? "-" : String.format("%.1f", rs),
                    c.peakHeapBytes / 1048576.0,
                    c.peakStateBytes < 0 ? "-" : String.format("%.1f", c.peakStateBytes / 1048576.0),
                    c.latencyP99Ms == null ? "-" : String.format("%.0f", c.latencyP99Ms),
                    c.phases == null ? "-" : String.format("%.2f", c.phases.startupSeconds()),
                    c.phases == null ? "-" : String.format("%.2f", c.phases.afterSourcesSeconds()));
        }
        for (Case c : cases) {
            if (c.services != null) {
                out.println(serviceLine(c));
            }
        }
        notes.forEach((k, v) -> out.println(k + ": " + v));
    }

    /**
     * Where a Kafka case's CPU time went: this JVM (the job; for {@code kafka_freshness} the
     * producer too), the broker and PostgreSQL, against the core-seconds the machine had.
     */
    String serviceLine(Case c) {
        return String.format(
                Locale.ROOT,
                "%s CPU: this JVM %s, Kafka broker %s, PostgreSQL %s, of %.1f core-seconds (%.2f s × %d cores)",
                c.name,
                seconds(c.cpuSeconds),
                seconds(c.brokerCpuSeconds()),
                seconds(c.postgresCpuSeconds()),
                c.seconds * cores,
                c.seconds,
                cores);
    }

    private static String seconds(Double s) {
        return s == null ? "not measured" : String.format(Locale.ROOT, "%.1f s", s);
    }

    /** The line above the table that says what "×SQL" divides by. */
    String sqlBaselineLine() {
        Case sql = sqlBaseline();
        return sql == null
                ? "×SQL: no Flink SQL case ran"
                : String.format(
                        Locale.ROOT,
                        "×SQL: ratio to the faster Flink SQL case of this run (%s), %s at %,.0f events/s",
                        String.join(" or ", SQL_CASES),
                        sql.name,
                        sql.eventsPerSecond());
    }

    private static void putRatio(ObjectNode o, String field, Double r) {
        putRounded(o, field, r, 4);
    }

    /** A measure rounded to a tenth (CPU seconds, latencies), or null when not measured. */
    private static void putNullable(ObjectNode o, String field, Double v) {
        putRounded(o, field, v, 1);
    }

    /** {@code v} rounded to {@code digits} decimals, or null when not measured. */
    private static void putRounded(ObjectNode o, String field, Double v, int digits) {
        if (v == null) {
            o.putNull(field);
        } else {
            o.put(field, round(v, digits));
        }
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
