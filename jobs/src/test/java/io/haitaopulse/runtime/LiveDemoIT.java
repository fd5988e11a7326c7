package io.haitaopulse.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.haitaopulse.stack.FlinkRest;
import io.haitaopulse.stack.LocalPostgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command (the demo), shortened. On a standalone cluster (the default): the
 * demo starts Kafka, PostgreSQL, a JobManager and a TaskManager, submits every job, and rows
 * arrive in PostgreSQL; stopping leaves no JobManager, TaskManager or other process behind. With
 * {@code --minicluster}: the same in one JVM, and a second run in the same work directory starts
 * again.
 */
class LiveDemoIT {

    @TempDir
    Path work;

    @Test
    void runsTheJobsOnAStandaloneClusterAndRowsArriveInPostgres() throws Exception {
        Set<Long> before = children();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        LiveDemo demo =
                new LiveDemo(work.resolve("demo"), "small", 1, 0, Duration.ofMinutes(10), 0, 0, out).flinkPort(0);
        AtomicInteger code = new AtomicInteger(-1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread running = new Thread(() -> {
            try {
                code.set(demo.run());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        running.start();
        List<ProcessHandle> cluster;
        long hotItems;
        try {
            // The last line of the where-to-look block: the block is printed line by line, and a
            // loaded machine can let the test read between its first line and the rest.
            await(buf, running, failure, "Ctrl-C stops everything.", Duration.ofMinutes(4));
            String printed = buf.toString(StandardCharsets.UTF_8);
            assertThat(printed).contains("Flink       http://localhost:", "(web UI of the standalone cluster");
            // The stream starts only once every task of the job runs.
            Matcher flink = Pattern.compile("Flink       http://(localhost:\\d+)/.*; job ([0-9a-f]{32})\\)")
                    .matcher(printed);
            assertThat(flink.find())
                    .as("Flink's address and the job id in:%n%s", printed)
                    .isTrue();
            JsonNode job =
                    new FlinkRest(flink.group(1)).get("/jobs/" + flink.group(2)).orElseThrow();
            for (JsonNode v : job.path("vertices")) {
                assertThat(v.path("tasks").path("RUNNING").asInt())
                        .as("running tasks of %s", v.path("name").asText())
                        .isEqualTo(v.path("parallelism").asInt());
            }
            cluster = clusterProcesses(work.resolve("demo/cluster"));
            assertThat(cluster).as("JobManager and TaskManager JVMs").hasSize(2);
            Matcher port = Pattern.compile("psql postgresql://postgres@localhost:(\\d+)/")
                    .matcher(printed);
            assertThat(port.find()).isTrue();
            String url = "jdbc:postgresql://localhost:" + port.group(1) + "/" + LocalPostgres.DATABASE;
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            while ((hotItems = count(url, "hot_items")) == 0) {
                assertThat(running.isAlive())
                        .as("the demo runs; it printed:%n%s", buf)
                        .isTrue();
                assertThat(System.nanoTime()).as("hot_items rows within 4 min").isLessThan(deadline);
                // Polling the table the job writes: nothing else signals its first rows.
                TimeUnit.MILLISECONDS.sleep(500);
            }
        } finally {
            demo.stop();
            running.join(TimeUnit.MINUTES.toMillis(2));
        }
        assertThat(failure.get()).as("what the demo threw").isNull();
        assertThat(code.get()).isZero();
        assertThat(hotItems)
                .as("hot_items rows written by the job on the cluster")
                .isPositive();
        assertThat(buf.toString(StandardCharsets.UTF_8))
                .contains("Stopped: job cancelled, Flink cluster, Kafka and PostgreSQL shut down.");
        assertThat(cluster.stream().filter(ProcessHandle::isAlive))
                .as("JobManager and TaskManager after the demo stopped")
                .isEmpty();
        Set<Long> leftover = children();
        leftover.removeAll(before);
        assertThat(leftover).as("processes the demo started and left running").isEmpty();
    }

    @Test
    void runsTheWholeStackInOneJvmStopsCleanlyAndStartsAgain() throws Exception {
        Set<Long> before = children();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);

        int code = new LiveDemo(work.resolve("demo"), "small", 1, 0, Duration.ofSeconds(12), 0, 0, out)
                .onMiniCluster()
                .run();

        String printed = buf.toString(StandardCharsets.UTF_8);
        assertThat(code).isZero();
        assertThat(printed)
                .contains(
                        "Haitao Pulse is running.",
                        "psql postgresql://postgres@localhost:",
                        "dashboards: postgresql://dashboard:",
                        "Dashboard   http://localhost:",
                        "| rows hot_items ",
                        "Stopped: job cancelled");
        Set<Long> leftover = children();
        leftover.removeAll(before);
        assertThat(leftover).as("processes the demo started and left running").isEmpty();
        assertThat(work.resolve("demo"))
                .as("what a demo leaves in its work directory")
                .isDirectoryNotContaining(
                        p -> !LiveDemo.WORK_ENTRIES.contains(p.getFileName().toString()));

        // The second run in the same directory empties the first one's data and starts again.
        buf.reset();
        int again = new LiveDemo(work.resolve("demo"), "small", 2, 0, Duration.ofSeconds(6), 0, 0, out)
                .onMiniCluster()
                .run();
        assertThat(again).as("exit code of the second run").isZero();
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("Haitao Pulse is running.", "Stopped: job cancelled");
        leftover = children();
        leftover.removeAll(before);
        assertThat(leftover).as("processes the second run left running").isEmpty();
    }

    /**
     * Waits until the demo has printed {@code text}; fails at once when the demo has stopped, with
     * what it printed and the exception it stopped with, if any.
     */
    private static void await(
            ByteArrayOutputStream buf, Thread demo, AtomicReference<Throwable> failure, String text, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!buf.toString(StandardCharsets.UTF_8).contains(text)) {
            if (!demo.isAlive()) {
                demo.join();
                StringWriter trace = new StringWriter();
                if (failure.get() != null) {
                    failure.get().printStackTrace(new PrintWriter(trace));
                }
                assertThat(demo.isAlive())
                        .as("the demo runs; it printed:%n%s%nand stopped with: %s", buf, trace)
                        .isTrue();
            }
            assertThat(System.nanoTime()).as("'%s' within %s", text, timeout).isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    /** The live JVMs the cluster in {@code dir} recorded in its pid files. */
    static List<ProcessHandle> clusterProcesses(Path dir) throws IOException {
        List<ProcessHandle> found = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".pid")).toList()) {
                ProcessHandle.of(Long.parseLong(Files.readString(f).strip()))
                        .filter(ProcessHandle::isAlive)
                        .ifPresent(found::add);
            }
        }
        return found;
    }

    private static long count(String url, String table) {
        try (Connection c = DriverManager.getConnection(url, LocalPostgres.USER, null);
                ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException notYet) {
            return 0;
        }
    }

    private static Set<Long> children() {
        return ProcessHandle.current()
                .descendants()
                .filter(ProcessHandle::isAlive)
                .map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }
}
