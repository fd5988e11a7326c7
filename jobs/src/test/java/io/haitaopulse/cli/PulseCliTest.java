package io.haitaopulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The command-line contract: bad arguments give one line on stderr and exit 2, never a stack trace. */
class PulseCliTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream oldErr;
    private PrintStream oldOut;

    @BeforeEach
    void capture() {
        oldErr = System.err;
        oldOut = System.out;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(oldErr);
        System.setOut(oldOut);
    }

    private int run(String... args) {
        return PulseCli.execute(args);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "--window 5x                       | '5x' is not a duration",
                "--slide 2h                        | pulse.slide (--slide, 2h) must not exceed pulse.window (--window, 1h)",
                "--top 0                           | pulse.top (--top) must be at least 1, got 0",
                "--job nope                        | unknown job 'nope'",
                "--format xml                      | unknown format 'xml'",
                "--bogus                           | Unknown option: '--bogus'",
                "--parallelism 0                   | --parallelism must be at least 1",
                "--conf pulse.trends.min-view=5    | --conf pulse.trends.min-view: unknown option; did you mean pulse.trends.min-views?",
                "--conf pulse.trends.min-views=x   | pulse.trends.min-views",
                "--job sourcing --conf pulse.sourcing.unit-cost-share=1.5 | pulse.sourcing.unit-cost-share must be within (0, 1), got 1.5",
            })
    void badReplayArgumentsPrintOneLineAndExit2(String extra, String message) throws Exception {
        Path in = tmp.resolve("in.jsonl");
        Files.writeString(in, "");
        List<String> args = new java.util.ArrayList<>(List.of(
                "replay", "--input", in.toString(), "--out", tmp.resolve("out").toString()));
        if (!extra.startsWith("--job")) {
            args.addAll(List.of("--job", "trends"));
        }
        args.addAll(List.of(extra.trim().split(" ")));
        int code = run(args.toArray(String[]::new));
        assertThat(code).isEqualTo(2);
        assertThat(stderr()).contains(message);
        assertThat(stderr().strip().lines()).hasSize(1);
        assertThat(stderr()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void missingInputIsABadArgument() {
        int code = run(
                "replay",
                "--job",
                "trends",
                "--input",
                tmp.resolve("missing.jsonl").toString(),
                "--out",
                tmp.toString());
        assertThat(code).isEqualTo(2);
        assertThat(stderr().strip()).isEqualTo("pulse: input " + tmp.resolve("missing.jsonl") + " does not exist");
    }

    @Test
    void missingRequiredOptionIsABadArgument() {
        assertThat(run("replay", "--job", "trends")).isEqualTo(2);
        assertThat(stderr().strip().lines()).hasSize(1);
        assertThat(stderr()).contains("Missing required options");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "--user u                                                         | Missing required option: '--postgres-url=JDBC_URL'",
                "--postgres-url jdbc:postgresql://127.0.0.1:1/x                   | Missing required option: '--user=USER'",
                "--postgres-url mysql://h/x --user u                              | --postgres-url must be a PostgreSQL JDBC URL",
                "--postgres-url jdbc:postgresql://127.0.0.1:1/x --user u --port 70000 | --port must be between 0 and 65535, not 70000",
                "--postgres-url jdbc:postgresql://127.0.0.1:1/x --user u --port x | Invalid value for option '--port'",
                "--postgres-url jdbc:postgresql://127.0.0.1:1/x --user u --timezone-offset UTC+8 | --timezone-offset: 'UTC+8' is not a time zone offset",
            })
    void badDashboardArgumentsPrintOneLineAndExit2(String args, String message) {
        List<String> all = new java.util.ArrayList<>(List.of("dashboard"));
        all.addAll(List.of(args.trim().split(" +")));
        assertThat(run(all.toArray(String[]::new))).isEqualTo(2);
        assertThat(stderr()).contains(message).doesNotContain("\tat ");
        assertThat(stderr().strip().lines()).hasSize(1);
    }

    @Test
    void dashboardWithoutADatabaseFailsInOneLine() {
        // Port 1 on the loopback: nothing listens, the connection is refused at once.
        assertThat(run(
                        "dashboard",
                        "--postgres-url",
                        "jdbc:postgresql://127.0.0.1:1/pulse",
                        "--user",
                        "u",
                        "--port",
                        "0"))
                .isEqualTo(1);
        assertThat(stderr())
                .startsWith("pulse: dashboard failed: ")
                .contains("Connection refused")
                .hasLineCount(1);
    }

    @Test
    void noCommandIsABadArgument() {
        assertThat(run()).isEqualTo(2);
        assertThat(stderr()).contains("missing command");
    }

    @Test
    void everyCommandHasHelpWithoutWarnings() {
        // Every subcommand, so that a new one cannot be missed; picocli prints a format problem in an
        // option's description ("5%" instead of "5%%") as a warning on stderr, not as an error.
        for (String command : new CommandLine(new PulseCli()).getSubcommands().keySet()) {
            out.reset();
            err.reset();
            assertThat(run(command, "--help")).as(command).isZero();
            if (!command.equals("help")) {
                assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: pulse " + command);
            }
            assertThat(stderr()).as(command).isEmpty();
        }
    }

    @Test
    void aSuccessfulReplayPrintsTheSummaryLine() throws Exception {
        Path in = tmp.resolve("in.jsonl");
        Files.writeString(
                in,
                "{\"type\":\"click\",\"event_id\":\"e\",\"user_id\":\"u\",\"item_id\":1,\"category_id\":2,"
                        + "\"action\":\"VIEW\",\"ts\":1000}\nnot json\n");
        int code = run(
                "replay",
                "--job",
                "trends",
                "--input",
                in.toString(),
                "--out",
                tmp.resolve("out").toString(),
                "--parallelism",
                "1");
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .startsWith(
                        "replay trends: read 2 events (1 valid, 1 dead-lettered, 0 late); rows written: hot_items 24,"
                                + " demand_trends 0, category_trends 12, trend_alerts 0, items 0, late_events 0, dead_letters 1,"
                                + " suspicious_events 0;")
                .containsPattern(
                        "\nuser ids pseudonymised with key [0-9a-f]{8} \\(ephemeral: pseudonyms differ from run to run; "
                                + "set PULSE_PSEUDONYM_KEY to keep them\\); segment rows under k = 10 users suppressed: 0\\R"
                                + "bot filter: repeat-item blacklisted 0 users, held out 0 clicks; no-dwell blacklisted 0 users, held out 0 clicks\\R$");
    }

    @Test
    void runRejectsABadConfigurationInOneLine() throws Exception {
        assertThat(run(
                        "run",
                        "--job",
                        "all",
                        "--config",
                        tmp.resolve("missing.yaml").toString()))
                .isEqualTo(2);
        assertThat(stderr()).startsWith("pulse: cannot read config file").doesNotContain("\tat ");

        Path typo = tmp.resolve("typo.yaml");
        Files.writeString(typo, "# comment\npulse.kafka.bootstrap: localhost:9092\n");
        err.reset();
        assertThat(run("run", "--job", "all", "--config", typo.toString())).isEqualTo(2);
        assertThat(stderr())
                .isEqualTo("pulse: " + typo + ":2: unknown option pulse.kafka.bootstrap; did you mean "
                        + "pulse.kafka.bootstrap-servers?" + System.lineSeparator());

        Path badValue = tmp.resolve("bad.yaml");
        Files.writeString(badValue, "pulse.window: 5x\n");
        err.reset();
        assertThat(run("run", "--job", "all", "--config", badValue.toString())).isEqualTo(2);
        assertThat(stderr())
                .startsWith("pulse: " + badValue + ":1: ")
                .contains("pulse.window")
                .hasLineCount(1);

        Path twice = tmp.resolve("twice.yaml");
        Files.writeString(twice, "pulse.top: 3\npulse:\n  top: 4\n");
        err.reset();
        assertThat(run("run", "--job", "all", "--config", twice.toString())).isEqualTo(2);
        assertThat(stderr())
                .isEqualTo("pulse: " + twice + ":3: pulse.top is set twice (lines 1 and 3)" + System.lineSeparator());

        Path ok = tmp.resolve("ok.yaml");
        Files.writeString(ok, "pulse.top: 3\n");
        err.reset();
        assertThat(run("run", "--job", "nope", "--config", ok.toString())).isEqualTo(2);
        assertThat(stderr()).startsWith("pulse: unknown job 'nope'");
    }

    /**
     * A bad {@code --backfill} is one line and exit 2 before any connection: the configuration
     * points at ports where nothing listens, so a connection attempt would fail differently.
     */
    @Test
    void runRejectsABadBackfillInOneLineBeforeConnecting() throws Exception {
        Path conf = tmp.resolve("nowhere.yaml");
        Files.writeString(
                conf,
                "pulse.kafka.bootstrap-servers: 127.0.0.1:1\npulse.postgres.url: jdbc:postgresql://127.0.0.1:1/x\n");
        Path missing = tmp.resolve("history/missing.jsonl");
        assertThat(run("run", "--job", "trends", "--config", conf.toString(), "--backfill", missing.toString()))
                .isEqualTo(2);
        assertThat(stderr())
                .isEqualTo("pulse: --backfill: input " + missing + " does not exist" + System.lineSeparator());

        Path jsonOnly = tmp.resolve("json-only");
        Files.createDirectories(jsonOnly);
        Files.writeString(jsonOnly.resolve("clicks.jsonl"), "");
        err.reset();
        assertThat(run(
                        "run",
                        "--job",
                        "all",
                        "--config",
                        conf.toString(),
                        "--backfill",
                        jsonOnly.toString(),
                        "--backfill-format",
                        "userbehavior"))
                .isEqualTo(2);
        assertThat(stderr())
                .isEqualTo("pulse: --backfill: input directory " + jsonOnly + " holds no .csv files"
                        + System.lineSeparator());

        err.reset();
        assertThat(run(
                        "run",
                        "--job",
                        "trends",
                        "--config",
                        conf.toString(),
                        "--backfill",
                        jsonOnly.toString(),
                        "--backfill-format",
                        "xml"))
                .isEqualTo(2);
        assertThat(stderr()).contains("unknown format 'xml'").doesNotContain("\tat ");
        assertThat(stderr().strip().lines()).hasSize(1);

        err.reset();
        assertThat(run("run", "--job", "trends", "--config", conf.toString(), "--backfill-format", "userbehavior"))
                .isEqualTo(2);
        assertThat(stderr()).isEqualTo("pulse: --backfill-format needs --backfill PATH" + System.lineSeparator());

        // submit checks the history here, before it starts Flink's client (nothing listens on port 1).
        err.reset();
        assertThat(run(
                        "submit",
                        "--job",
                        "trends",
                        "--config",
                        conf.toString(),
                        "--jobmanager",
                        "127.0.0.1:1",
                        "--backfill",
                        missing.toString()))
                .isEqualTo(2);
        assertThat(stderr())
                .isEqualTo("pulse: --backfill: input " + missing + " does not exist" + System.lineSeparator());
    }

    @Test
    void configFileKeepsFlinkKeysAndQuotedValues() throws Exception {
        Path f = tmp.resolve("c.yaml");
        Files.writeString(
                f,
                "pulse.postgres.password: 'a#b'  # quoted: not a comment\nexecution.checkpointing.interval: 30s\n"
                        + "pulse.sinks: POSTGRES\n");
        org.apache.flink.configuration.Configuration conf =
                RunCommand.configuration(f, java.util.Map.of("pulse.top", "4"));
        assertThat(conf.get(io.haitaopulse.live.LiveOptions.POSTGRES_PASSWORD)).isEqualTo("a#b");
        assertThat(conf.get(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTING_INTERVAL))
                .isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(conf.get(io.haitaopulse.live.LiveOptions.SINKS))
                .containsExactly(io.haitaopulse.live.LiveOptions.SinkKind.POSTGRES);
        assertThat(conf.get(io.haitaopulse.common.PulseOptions.TOP)).isEqualTo(4);
        // Production defaults fill what the file leaves out.
        assertThat(conf.get(org.apache.flink.configuration.PipelineOptions.GENERIC_TYPES))
                .isFalse();
        assertThat(conf.get(org.apache.flink.configuration.StateBackendOptions.STATE_BACKEND))
                .isEqualTo("hashmap");
    }

    @Test
    void generateRateNeedsKafka() {
        assertThat(run("generate", "--out", tmp.toString(), "--rate", "5")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("pulse: --rate needs --kafka HOST:PORT" + System.lineSeparator());
    }

    @Test
    void clusterCommandsRejectBadArgumentsInOneLine() throws Exception {
        assertThat(run("cluster", "restart")).isEqualTo(2);
        assertThat(stderr())
                .isEqualTo(
                        "pulse: unknown cluster action 'restart'; use start, stop or status" + System.lineSeparator());
        err.reset();
        assertThat(run("savepoint", "abc", "--jobmanager", "nohost")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("pulse: --jobmanager must be HOST:PORT, got 'nohost'" + System.lineSeparator());
        err.reset();
        Path ok = tmp.resolve("ok.yaml");
        Files.writeString(ok, "pulse.top: 3\n");
        assertThat(run(
                        "submit",
                        "--job",
                        "trends",
                        "--config",
                        ok.toString(),
                        "--jobmanager",
                        "localhost:8081",
                        "--parallelism",
                        "0"))
                .isEqualTo(2);
        assertThat(stderr()).isEqualTo("pulse: --parallelism must be at least 1" + System.lineSeparator());
    }
}
