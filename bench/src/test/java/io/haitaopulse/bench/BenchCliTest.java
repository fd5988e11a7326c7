package io.haitaopulse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command line of {@code pulse bench}: a bad argument is one line on stderr and exit code 2. */
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
                                + "hot_items_flink_sql, hot_items_classic, nexmark_q5, uplift_pulse, sourcing_pulse, kafka_e2e, kafka_freshness");
    }
}
