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
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = BenchCli.execute("--cases", "hot_items_spark");
        } finally {
            System.setErr(original);
        }
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).strip())
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
        assertThat(BenchCli.settled(new BenchRunner.Measured(1, 1.0, 10.0, 0.49, 1, 0, -1)))
                .isTrue();
        assertThat(BenchCli.settled(new BenchRunner.Measured(1, 1.0, 10.0, 0.5, 1, 0, -1)))
                .isFalse();
        assertThat(BenchCli.settled(new BenchRunner.Measured(1, 1.0, 10.0, 3.0, 1, 0, -1)))
                .isFalse();
    }

    @Test
    void warmUpRoundsBelowOneAreABadArgument() {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = BenchCli.execute("--warmup-rounds", "0");
        } finally {
            System.setErr(original);
        }
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).strip())
                .isEqualTo("pulse bench: --warmup-rounds must be at least 1");
    }
}
