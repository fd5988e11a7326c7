package io.haitaopulse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The command line of {@code pulse bench}: a bad argument is one line on stderr and exit code 2;
 * the cases it offers, and which of them the same-rows check compares.
 */
class BenchCliTest {

    @Test
    void badArgumentIsOneLineAndExitTwo() {
        Run run = Run.of("--cases", "hot_items_spark");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.stderr().strip())
                .isEqualTo(
                        "pulse bench: unknown case 'hot_items_spark'; use one of source_ceiling, bot_filter, hot_items_pulse, trends_pulse, trends_pulse_no_bots, "
                                + "hot_items_flink_sql, hot_items_flink_sql_tuned, hot_items_classic, nexmark_q5, uplift_pulse, sourcing_pulse, "
                                + "kafka_e2e, kafka_freshness");
    }

    @Test
    void tunedSqlCaseRunsTheSameQueryWithTheTuningOptions() {
        BenchCase documented = BenchCli.catalogue().get("hot_items_flink_sql");
        BenchCase tuned = BenchCli.catalogue().get("hot_items_flink_sql_tuned");
        assertThat(tuned.inputs()).isEqualTo(documented.inputs());
        assertThat(FlinkSqlHotItems.TUNED_OPTIONS)
                .containsExactly(
                        entry("table.exec.mini-batch.enabled", "true"),
                        entry("table.exec.mini-batch.allow-latency", "5 s"),
                        entry("table.exec.mini-batch.size", "5000"),
                        entry("table.optimizer.agg-phase-strategy", "TWO_PHASE"));
        assertThat(tuned.description())
                .startsWith(documented.description() + ", with {table.exec.mini-batch.enabled=true");
    }

    @Test
    void rowsCheckCoversBothSqlCasesAndTheClassicApproach() {
        assertThat(BenchCli.checkedAgainstPulse())
                .extracting(BenchCase::name)
                .containsExactly("hot_items_flink_sql", "hot_items_flink_sql_tuned", "hot_items_classic");
        assertThat(RowsCheck.names(PulseCases.hotItems(), BenchCli.checkedAgainstPulse()))
                .isEqualTo("hot_items_pulse, hot_items_flink_sql, hot_items_flink_sql_tuned and hot_items_classic");
    }

    @Test
    void aWarmUpRunHasSettledWhenItCompiledForUnderOneTwentiethOfItsCpuTime() {
        assertThat(BenchCli.settled(new BenchRunner.Measured(1, 1.0, 10.0, 0.49, 1, 0, -1, null)))
                .isTrue();
        assertThat(BenchCli.settled(new BenchRunner.Measured(1, 1.0, 10.0, 0.5, 1, 0, -1, null)))
                .isFalse();
        assertThat(BenchCli.settled(new BenchRunner.Measured(1, 1.0, 10.0, 3.0, 1, 0, -1, null)))
                .isFalse();
    }

    @Test
    void kafkaCasesWarmUpThroughTheBroker() {
        assertThat(BenchCli.warmedUpBy("kafka_e2e")).isEqualTo("kafka_e2e");
        assertThat(BenchCli.warmedUpBy("kafka_freshness")).isEqualTo("kafka_e2e");
        assertThat(BenchCli.warmedUpBy("hot_items_pulse")).isEqualTo("hot_items_pulse");
    }

    @Test
    void theDefaultWarmUpIsLikeTheTimedRunUpToAMillionEvents() {
        assertThat(BenchCli.defaultWarmup(1_000_000)).isEqualTo(1_000_000); // --quick
        assertThat(BenchCli.defaultWarmup(5_000_000)).isEqualTo(1_000_000); // the full benchmark
        assertThat(BenchCli.defaultWarmup(200_000)).isEqualTo(200_000);
    }

    @Test
    void warmUpRoundsBelowOneAreABadArgument() {
        Run run = Run.of("--warmup-rounds", "0");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.stderr().strip()).isEqualTo("pulse bench: --warmup-rounds must be at least 1");
    }

    @Test
    void helpPrintsNoWarnings() {
        // picocli reports a format problem in an option's description ("5%" instead of "5%%") as a
        // warning on stderr and prints the description raw.
        Run run = Run.of("--help");
        assertThat(run.code()).isZero();
        assertThat(run.stdout()).startsWith("Usage: pulse bench").contains("5% of a run's CPU time");
        assertThat(run.stderr()).isEmpty();
    }

    /** One in-process run of {@code pulse bench} with its exit code and what it printed. */
    private record Run(int code, String stdout, String stderr) {
        static Run of(String... args) {
            PrintStream originalOut = System.out;
            PrintStream originalErr = System.err;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            try {
                int code = BenchCli.execute(args);
                return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
            } finally {
                System.setOut(originalOut);
                System.setErr(originalErr);
            }
        }
    }
}
