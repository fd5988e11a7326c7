package io.haitaopulse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The report's ratios: "× Flink SQL" divides by the faster of the two Flink SQL cases of the same
 * run, whichever it is, and the report names it.
 */
class BenchReportTest {

    private static final long EVENTS = 1_000_000;

    private static BenchReport.Case run(String name, double seconds) {
        return withPhases(name, seconds, null);
    }

    private static BenchReport.Case withPhases(String name, double seconds, BenchReport.Phases phases) {
        return new BenchReport.Case(name, name, EVENTS, seconds, null, null, 10, 0, -1, null, null, null, phases);
    }

    private static BenchReport report(BenchReport.Case... cases) {
        BenchReport r = new BenchReport(new ObjectMapper().createObjectNode(), 2);
        for (BenchReport.Case c : cases) {
            r.add(c);
        }
        return r;
    }

    private static JsonNode caseJson(BenchReport r, String name) {
        for (JsonNode c : r.toJson().get("cases")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no case " + name);
    }

    @Test
    void ratioUsesTheTunedSqlCaseWhenItIsFaster() {
        // 500,000 events/s against 50,000 (documented) and 62,500 (tuned): 8, not 10.
        BenchReport r = report(
                run("source_ceiling", 0.5),
                run("hot_items_pulse", 2.0),
                run("hot_items_flink_sql", 20.0),
                run("hot_items_flink_sql_tuned", 16.0));
        assertThat(r.sqlBaseline().name()).isEqualTo("hot_items_flink_sql_tuned");
        assertThat(caseJson(r, "hot_items_pulse").get("ratio_to_flink_sql").asDouble())
                .isEqualTo(8.0);
        assertThat(caseJson(r, "hot_items_flink_sql").get("ratio_to_flink_sql").asDouble())
                .isEqualTo(0.8);
        assertThat(caseJson(r, "hot_items_flink_sql_tuned")
                        .get("ratio_to_flink_sql")
                        .asDouble())
                .isEqualTo(1.0);
        assertThat(caseJson(r, "hot_items_pulse").get("ratio_to_source_ceiling").asDouble())
                .isEqualTo(0.25);
        assertThat(r.toJson().get("flink_sql_baseline").asText()).isEqualTo("hot_items_flink_sql_tuned");
    }

    @Test
    void ratioUsesTheDocumentedSqlCaseWhenItIsFaster() {
        // 400,000 events/s against 40,000 (documented) and 25,000 (tuned): 10.
        BenchReport r = report(
                run("hot_items_pulse", 2.5), run("hot_items_flink_sql", 25.0), run("hot_items_flink_sql_tuned", 40.0));
        assertThat(r.sqlBaseline().name()).isEqualTo("hot_items_flink_sql");
        assertThat(caseJson(r, "hot_items_pulse").get("ratio_to_flink_sql").asDouble())
                .isEqualTo(10.0);
        assertThat(caseJson(r, "hot_items_flink_sql_tuned")
                        .get("ratio_to_flink_sql")
                        .asDouble())
                .isEqualTo(0.625);
        assertThat(r.toJson().get("flink_sql_baseline").asText()).isEqualTo("hot_items_flink_sql");
    }

    @Test
    void eitherSqlCaseAloneIsTheBaselineAndNoneMeansNoRatio() {
        BenchReport tunedOnly = report(run("hot_items_pulse", 1.0), run("hot_items_flink_sql_tuned", 4.0));
        assertThat(caseJson(tunedOnly, "hot_items_pulse")
                        .get("ratio_to_flink_sql")
                        .asDouble())
                .isEqualTo(4.0);

        BenchReport none = report(run("hot_items_pulse", 1.0));
        assertThat(none.sqlBaseline()).isNull();
        assertThat(caseJson(none, "hot_items_pulse").get("ratio_to_flink_sql").isNull())
                .isTrue();
        assertThat(caseJson(none, "hot_items_pulse")
                        .get("ratio_to_source_ceiling")
                        .isNull())
                .isTrue();
        assertThat(none.toJson().get("flink_sql_baseline").isNull()).isTrue();
    }

    @Test
    void tableSaysWhichSqlCaseTheRatioDividesBy() {
        BenchReport r = report(
                run("hot_items_pulse", 2.0), run("hot_items_flink_sql", 20.0), run("hot_items_flink_sql_tuned", 16.0));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        r.printTable(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines[0])
                .isEqualTo("×SQL: ratio to the faster Flink SQL case of this run (hot_items_flink_sql or "
                        + "hot_items_flink_sql_tuned), hot_items_flink_sql_tuned at 62,500 events/s");
        assertThat(lines[2]).startsWith("hot_items_pulse ").contains(" 8.0 ");
        assertThat(lines[3]).startsWith("hot_items_flink_sql ").contains(" 0.8 ");
        assertThat(lines[4]).startsWith("hot_items_flink_sql_tuned ").contains(" 1.0 ");
    }

    private static BenchReport.Case withCpu(String name, double seconds, Double cpuSeconds) {
        return new BenchReport.Case(
                name,
                name,
                EVENTS,
                seconds,
                cpuSeconds,
                cpuSeconds == null ? null : cpuSeconds / 10,
                10,
                0,
                -1,
                null,
                null,
                null,
                null);
    }

    @Test
    void cpuAndJitTimesAreTheMediansOfTheRunsCpuAlsoPerEventAndNullWhenNotMeasured() {
        // Three runs of 1M events: 3, 1 and 2 CPU seconds, a tenth of each compiling; the medians
        // are 2 s of CPU, 2 µs per event, and 0.2 s of JIT.
        List<BenchReport.Case> runs = List.of(withCpu("a", 1.0, 3.0), withCpu("a", 2.0, 1.0), withCpu("a", 3.0, 2.0));
        assertThat(BenchCli.median(runs, BenchReport.Case::cpuSeconds)).isEqualTo(2.0);
        BenchReport.Case a = runs.get(0)
                .withCpu(
                        BenchCli.median(runs, BenchReport.Case::cpuSeconds),
                        BenchCli.median(runs, BenchReport.Case::jitSeconds),
                        null);
        BenchReport r = report(a, withCpu("b", 1.0, null));
        assertThat(caseJson(r, "a").get("cpu_seconds").asDouble()).isEqualTo(2.0);
        assertThat(caseJson(r, "a").get("cpu_us_per_event").asDouble()).isEqualTo(2.0);
        assertThat(caseJson(r, "a").get("jit_seconds").asDouble()).isEqualTo(0.2);
        assertThat(caseJson(r, "b").get("cpu_us_per_event").isNull()).isTrue();
        // CPU per event to the thousandth (7.7346 s of CPU over 1M events), CPU times to the tenth.
        BenchReport fine = report(withCpu("d", 1.0, 7.7346));
        assertThat(caseJson(fine, "d").get("cpu_us_per_event").asDouble()).isEqualTo(7.735);
        assertThat(caseJson(fine, "d").get("cpu_seconds").asDouble()).isEqualTo(7.7);
        assertThat(caseJson(r, "b").get("jit_seconds").isNull()).isTrue();
        assertThat(BenchCli.median(
                        List.of(withCpu("c", 1.0, 1.0), withCpu("c", 1.0, null)), BenchReport.Case::cpuSeconds))
                .isNull();
    }

    @Test
    void kafkaCasesSayWhatTheBrokerAndPostgresCost() {
        BenchReport.Case kafka =
                withCpu("kafka_e2e", 30.0, 42.0).withCpu(42.0, 4.2, new BenchStack.ServiceCpu(12.5, 1.25));
        BenchReport.Case partly =
                withCpu("kafka_freshness", 20.0, 30.0).withCpu(30.0, null, new BenchStack.ServiceCpu(8.0, null));
        BenchReport r = report(withCpu("hot_items_pulse", 2.0, 3.0), kafka, partly);
        assertThat(caseJson(r, "kafka_e2e").get("broker_cpu_seconds").asDouble())
                .isEqualTo(12.5);
        // Rounded to a tenth, as every CPU time in the JSON.
        assertThat(caseJson(r, "kafka_e2e").get("postgres_cpu_seconds").asDouble())
                .isEqualTo(1.3);
        assertThat(caseJson(r, "kafka_freshness").get("postgres_cpu_seconds").isNull())
                .isTrue();
        assertThat(caseJson(r, "hot_items_pulse").get("broker_cpu_seconds").isNull())
                .isTrue();

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        r.printTable(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(" CPU: ")))
                .containsExactly(
                        "kafka_e2e CPU: this JVM 42.0 s, Kafka broker 12.5 s, PostgreSQL 1.3 s, "
                                + "of 60.0 core-seconds (30.00 s × 2 cores)",
                        "kafka_freshness CPU: this JVM 30.0 s, Kafka broker 8.0 s, PostgreSQL not measured, "
                                + "of 40.0 core-seconds (20.00 s × 2 cores)");
    }

    @Test
    void serviceTimeIsTheDifferenceOfTwoReadings() {
        BenchStack.ServiceCpu spent = new BenchStack.ServiceCpu(20.0, 3.5).since(new BenchStack.ServiceCpu(5.0, 0.5));
        assertThat(spent).isEqualTo(new BenchStack.ServiceCpu(15.0, 3.0));
        assertThat(new BenchStack.ServiceCpu(20.0, 3.5).since(new BenchStack.ServiceCpu(null, 0.5)))
                .isEqualTo(new BenchStack.ServiceCpu(null, 3.0));
    }

    @Test
    void startupRunsUntilTheLastTaskRunsAndTheTailFromTheLastSourceToTheJobsEnd() {
        // Job RUNNING at 1,000 ms, its last task RUNNING at 1,085, its last source finished at
        // 4,400 and the job at 4,950.
        assertThat(BenchRunner.phases(1_000, 4_950, 1_085, 4_400)).isEqualTo(new BenchReport.Phases(0.085, 0.55));
        assertThat(BenchRunner.phases(1_000, 4_950, 1_085, Long.MIN_VALUE)).isNull();
    }

    @Test
    void phasesAreInTheJsonToTheMillisecondAndInTheTableNullWhenNotMeasured() {
        BenchReport.Case measured = withPhases("hot_items_pulse", 1.25, new BenchReport.Phases(0.1234, 0.0305));
        BenchReport r = report(measured, run("kafka_freshness", 20.0));
        assertThat(caseJson(r, "hot_items_pulse").get("startup_seconds").asDouble())
                .isEqualTo(0.123);
        assertThat(caseJson(r, "hot_items_pulse").get("after_sources_seconds").asDouble())
                .isEqualTo(0.031);
        assertThat(caseJson(r, "kafka_freshness").get("startup_seconds").isNull())
                .isTrue();

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        r.printTable(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(1)).endsWith("start s  tail s");
        assertThat(lines.get(2)).startsWith("hot_items_pulse ").endsWith("   0.12    0.03");
        assertThat(lines.get(3)).startsWith("kafka_freshness ").endsWith("      -       -");
    }
}
