package io.haitaopulse.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.stack.JdkFlags;
import io.haitaopulse.stack.Leftovers;
import io.haitaopulse.stack.LocalKafka;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo as a user runs it, in a JVM of its own, on its standalone cluster: killed with SIGKILL,
 * it leaves its Flink JobManager and TaskManager, PostgreSQL and Kafka broker running (they are
 * processes of their own and no shutdown hook runs), and the next demo in the same directory stops
 * them, says so, and starts; stopped with SIGINT (Ctrl-C), it stops everything it started — the
 * cluster's JVMs too — and exits.
 */
class DemoLeftoversIT {

    private static final String RUNNING = "Haitao Pulse is running.";

    @TempDir
    Path tmp;

    /** Whatever a failed test left running in its demo directory. */
    @AfterEach
    void stopLeftovers() throws Exception {
        Leftovers.stop(tmp.resolve("demo"));
    }

    @Test
    void aDemoAfterAKilledOneStopsWhatItLeftAndStarts() throws Exception {
        Path work = tmp.resolve("demo");
        Process first = startDemo(work, tmp.resolve("first.log"));
        try {
            awaitOutput(first, tmp.resolve("first.log"), RUNNING);
        } finally {
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        ProcessHandle postgres = server(work.resolve("postgres/data/postmaster.pid"))
                .orElseThrow(() -> new AssertionError("the killed demo's PostgreSQL is not running"));
        ProcessHandle broker = server(work.resolve("kafka").resolve(LocalKafka.PID_FILE))
                .orElseThrow(() -> new AssertionError("the killed demo's Kafka broker is not running"));
        ProcessHandle jobManager = server(work.resolve("cluster/jobmanager.pid"))
                .orElseThrow(() -> new AssertionError("the killed demo's JobManager is not running"));
        ProcessHandle taskManager = server(work.resolve("cluster/taskmanager-0.pid"))
                .orElseThrow(() -> new AssertionError("the killed demo's TaskManager is not running"));

        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        // In one JVM, to keep the test short: what it must do first does not depend on where its jobs run.
        int code = new LiveDemo(work, "small", 1, 0, Duration.ofSeconds(6), 0, 0, out)
                .onMiniCluster()
                .run();

        String printed = buf.toString(StandardCharsets.UTF_8);
        assertThat(code).isZero();
        assertThat(printed)
                .contains(
                        "Stopped what an earlier demo left running in " + work + ": Flink TaskManager (pid "
                                + taskManager.pid() + "), Flink JobManager (pid " + jobManager.pid()
                                + "), PostgreSQL (pid " + postgres.pid() + "), Kafka broker (pid " + broker.pid() + ")",
                        RUNNING,
                        "Stopped: job cancelled");
        assertThat(postgres.isAlive()).as("the earlier PostgreSQL").isFalse();
        assertThat(broker.isAlive()).as("the earlier broker").isFalse();
        assertThat(jobManager.isAlive()).as("the earlier JobManager").isFalse();
        assertThat(taskManager.isAlive()).as("the earlier TaskManager").isFalse();
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive))
                .as("processes the second demo left running")
                .isEmpty();
        // PostgreSQL detaches from its parent (pg_ctl), so it is found by its pid file, not as a child.
        assertThat(server(work.resolve("postgres/data/postmaster.pid")))
                .as("the second demo's PostgreSQL")
                .isEmpty();
    }

    @Test
    void ctrlCStopsEverythingTheDemoStarted() throws Exception {
        Path work = tmp.resolve("demo");
        Path log = tmp.resolve("demo.log");
        Process demo = startDemo(work, log);
        try {
            awaitOutput(demo, log, RUNNING);
            List<ProcessHandle> started =
                    demo.descendants().filter(ProcessHandle::isAlive).toList();
            assertThat(started).as("the broker the demo started").isNotEmpty();
            List<ProcessHandle> cluster = LiveDemoIT.clusterProcesses(work.resolve("cluster"));
            assertThat(cluster).as("the demo's JobManager and TaskManager").hasSize(2);
            assertThat(started).as("processes the demo started").containsAll(cluster);

            long t0 = System.nanoTime();
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(demo.pid())).start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0)
                    .as("kill -INT")
                    .isTrue();
            boolean exited = demo.waitFor(90, TimeUnit.SECONDS);
            assertThat(exited)
                    .as(
                            "the demo exits after Ctrl-C; its output:%n%s%nits threads:%n%s",
                            read(log), exited ? "" : threads(demo))
                    .isTrue();
            System.out.printf("demo stopped %.1f s after SIGINT%n", (System.nanoTime() - t0) / 1e9);

            assertThat(Files.readString(log))
                    .contains("Stopped: job cancelled, Flink cluster, Kafka and PostgreSQL shut down.");
            assertThat(started.stream().filter(ProcessHandle::isAlive))
                    .as("processes the demo started, after Ctrl-C")
                    .isEmpty();
            assertThat(server(work.resolve("postgres/data/postmaster.pid")))
                    .as("the demo's PostgreSQL, after Ctrl-C")
                    .isEmpty();
        } finally {
            demo.descendants().forEach(ProcessHandle::destroyForcibly);
            demo.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** {@code bin/pulse demo} as a child JVM on this test's classpath, its output in {@code log}. */
    private static Process startDemo(Path work, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        // SIGINT at its default, as in a terminal: a build started in the background by a
        // non-interactive shell ignores SIGINT and every child inherits that, so the JVM would
        // install no Ctrl-C handler and the test would measure how the build was started.
        cmd.addAll(List.of("/usr/bin/env", "--default-signal=INT"));
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JdkFlags.FLAGS);
        cmd.add("-Xmx1g");
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=error");
        for (String p : List.of("pulse.home", "pulse.kafka.broker-classpath", "pulse.cluster.classpath")) {
            if (System.getProperty(p) != null) {
                cmd.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.haitaopulse.cli.PulseCli", "demo"));
        cmd.addAll(List.of("--work", work.toString(), "--scenario", "small", "--rate", "500", "--duration", "10m"));
        cmd.addAll(List.of("--kafka-port", "0", "--postgres-port", "0", "--flink-port", "0"));
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static void awaitOutput(Process p, Path log, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!(Files.exists(log) && Files.readString(log).contains(text))) {
            assertThat(p.isAlive())
                    .as("the demo is running; its output:%n%s", read(log))
                    .isTrue();
            assertThat(System.nanoTime()).as("'%s' within 3 min", text).isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    /** The threads of a JVM that did not exit, to say where it hangs (jcmd of this test's JDK). */
    private static String threads(Process jvm) {
        try {
            Process jcmd = new ProcessBuilder(
                            Paths.get(System.getProperty("java.home"), "bin", "jcmd")
                                    .toString(),
                            Long.toString(jvm.pid()),
                            "Thread.print")
                    .redirectErrorStream(true)
                    .start();
            String dump = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            jcmd.waitFor(30, TimeUnit.SECONDS);
            return dump;
        } catch (IOException | InterruptedException e) {
            return "(no thread dump: " + e + ")";
        }
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static Optional<ProcessHandle> server(Path pidFile) throws IOException {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }
}
