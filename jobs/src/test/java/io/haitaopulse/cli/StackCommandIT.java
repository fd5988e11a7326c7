package io.haitaopulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.config.ConfigFile;
import io.haitaopulse.io.OutputTable;
import io.haitaopulse.live.Topics;
import io.haitaopulse.privacy.PrivacyOptions;
import io.haitaopulse.runtime.BackgroundStack;
import io.haitaopulse.stack.JdkFlags;
import io.haitaopulse.stack.LocalKafka;
import io.haitaopulse.stack.LocalPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pulse stack} with real processes: {@code start} in a JVM of its own returns and leaves a
 * broker and PostgreSQL running after that JVM has exited; {@code status} exits 0; the topics and
 * tables exist at the addresses of the config file it wrote, which {@code pulse run} accepts; a
 * second {@code start} says it runs and exits 0; a bad action is one line and exit 2;
 * {@code stop} stops both (checked by pid) and {@code status} then exits non-zero.
 */
class StackCommandIT {

    @TempDir
    Path tmp;

    @Test
    void startStatusStopWithServersThatOutliveTheCommand() throws Exception {
        Path work = tmp.resolve("stack");
        Path log = tmp.resolve("start.log");
        Process start = startInOwnJvm(work, log);
        assertThat(start.waitFor(3, TimeUnit.MINUTES)).as("stack start returns").isTrue();
        assertThat(start.exitValue())
                .as("exit code of stack start; output:%n%s", read(log))
                .isZero();
        assertThat(read(log)).contains("Kafka and PostgreSQL are running", "psql postgresql://postgres@localhost:");

        long brokerPid = pid(work.resolve("kafka").resolve(LocalKafka.PID_FILE));
        long postgresPid = pid(work.resolve("postgres/data/postmaster.pid"));
        try {
            assertThat(ProcessHandle.of(brokerPid).filter(ProcessHandle::isAlive))
                    .as("the broker after the starting JVM exited")
                    .isPresent();
            assertThat(ProcessHandle.of(postgresPid).filter(ProcessHandle::isAlive))
                    .as("PostgreSQL after the starting JVM exited")
                    .isPresent();

            Captured status = run("stack", "status", "--work", work.toString());
            assertThat(status.code()).as(status.out()).isZero();
            assertThat(status.out())
                    .contains("PostgreSQL    running, pid " + postgresPid, "Kafka broker  running, pid " + brokerPid);

            Captured again = run("stack", "start", "--work", work.toString());
            assertThat(again.code()).isZero();
            assertThat(again.out()).contains("stack already running in " + work);
            assertThat(pid(work.resolve("kafka").resolve(LocalKafka.PID_FILE)))
                    .as("the broker after a second start")
                    .isEqualTo(brokerPid);

            Captured bad = run("stack", "restart", "--work", work.toString());
            assertThat(bad.code()).isEqualTo(PulseCli.EXIT_USAGE);
            assertThat(bad.err().strip()).isEqualTo("pulse: unknown stack action 'restart'; use start, stop or status");

            Path config = work.resolve(BackgroundStack.CONFIG_FILE);
            Map<String, String> entries = ConfigFile.load(config);
            assertThat(Path.of(entries.get(PrivacyOptions.KEY_FILE.key()))).isRegularFile();
            // What 'pulse run' and 'pulse submit' read: every key valid, production defaults added.
            RunCommand.configuration(config, Map.of());

            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, entries.get("pulse.kafka.bootstrap-servers"));
            Set<String> topics;
            try (Admin admin = Admin.create(p)) {
                topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            }
            List<String> wanted = new ArrayList<>();
            Topics.INPUTS.forEach(t -> wanted.add(t.name()));
            OutputTable.all().forEach(t -> wanted.add(Topics.output(t)));
            assertThat(topics).containsAll(wanted);

            Set<String> tables = new HashSet<>();
            try (Connection c =
                            DriverManager.getConnection(entries.get("pulse.postgres.url"), LocalPostgres.USER, null);
                    ResultSet rs = c.createStatement()
                            .executeQuery(
                                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables)
                    .contains(
                            "hot_items",
                            "campaign_uplift",
                            "sourcing_shortlist",
                            "dead_letters",
                            "v_hot_items_current");
        } finally {
            Captured stop = run("stack", "stop", "--work", work.toString());
            assertThat(stop.code()).as(stop.err()).isZero();
            assertThat(stop.out())
                    .contains("PostgreSQL (pid " + postgresPid + ")", "Kafka broker (pid " + brokerPid + ")");
        }
        assertThat(ProcessHandle.of(brokerPid).filter(ProcessHandle::isAlive))
                .as("the broker after stop")
                .isEmpty();
        assertThat(ProcessHandle.of(postgresPid).filter(ProcessHandle::isAlive))
                .as("PostgreSQL after stop")
                .isEmpty();
        Captured after = run("stack", "status", "--work", work.toString());
        assertThat(after.code()).isNotZero();
        assertThat(after.out()).contains("stack not running");
        assertThat(run("stack", "stop", "--work", work.toString()).out()).contains("stack not running");
    }

    /** {@code bin/pulse stack start} as a child JVM on this test's classpath, its output in {@code log}. */
    private static Process startInOwnJvm(Path work, Path log) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JdkFlags.FLAGS);
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=error");
        for (String p : List.of("pulse.home", "pulse.kafka.broker-classpath")) {
            if (System.getProperty(p) != null) {
                cmd.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.haitaopulse.cli.PulseCli"));
        cmd.addAll(List.of("stack", "start", "--work", work.toString(), "--kafka-port", "0", "--postgres-port", "0"));
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private record Captured(int code, String out, String err) {}

    private static Captured run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = PulseCli.execute(args);
            return new Captured(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static long pid(Path pidFile) throws Exception {
        return Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
    }

    private static String read(Path log) throws Exception {
        return Files.exists(log) ? Files.readString(log) : "";
    }
}
