package io.haitaopulse.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The servers a local stack runs, or left running, in its directory: a Flink cluster's
 * TaskManagers and JobManager ({@code cluster/*.pid}, {@link LocalCluster}), PostgreSQL
 * ({@code postgres/data/postmaster.pid}) and the Kafka broker ({@code kafka/}{@value
 * LocalKafka#PID_FILE}). They are processes of their own, so they outlive a JVM that dies without
 * closing them (SIGKILL, the OOM killer: shutdown hooks do not run then), and {@code pulse stack}
 * starts them detached on purpose. They are found by their pid files and counted only when the pid
 * still names a live process of that kind (a pid can be reused): the cluster's JVMs carry their
 * run directory in their command line, the broker its directory, PostgreSQL its name.
 *
 * <p>{@link #stop} stops each as its own {@code close} would — SIGTERM for the JVMs (a clean
 * shutdown), SIGINT for PostgreSQL (its fast shutdown, which also ends the sessions of jobs still
 * connected) — kills it if it has not exited within {@link #GRACE}, and returns what it stopped.
 * The cluster goes first, so that no job writes to a broker or database that is going away.
 */
public final class Leftovers {

    /** How long a leftover server may take to shut down cleanly before it is killed. */
    public static final java.time.Duration GRACE = java.time.Duration.ofSeconds(20);

    /** The directory under a stack's directory where its Flink cluster runs. */
    public static final String CLUSTER_DIR = "cluster";

    /** One server of a stack that is running: what it is, its process and its pid file. */
    public record Server(String what, ProcessHandle process, Path pidFile) {
        /** "PostgreSQL (pid 123)". */
        public String describe() {
            return what + " (pid " + process.pid() + ")";
        }
    }

    private Leftovers() {}

    /** The servers running under {@code dir}, in the order {@link #stop} stops them. */
    public static List<Server> running(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        List<Server> servers = new ArrayList<>();
        Path cluster = abs.resolve(CLUSTER_DIR);
        if (Files.isDirectory(cluster)) {
            List<Path> pidFiles;
            try (Stream<Path> s = Files.list(cluster)) {
                pidFiles = s.filter(p -> p.getFileName().toString().endsWith(".pid"))
                        .sorted()
                        .toList();
            }
            // TaskManagers first, so the JobManager does not try to restart their tasks elsewhere.
            String mark = "-Dpulse.cluster.dir=" + cluster + " ";
            for (Path f : pidFiles) {
                if (f.getFileName().toString().startsWith("taskmanager")) {
                    live(f, mark).ifPresent(p -> servers.add(new Server("Flink TaskManager", p, f)));
                }
            }
            Path jm = cluster.resolve("jobmanager.pid");
            live(jm, mark).ifPresent(p -> servers.add(new Server("Flink JobManager", p, jm)));
        }
        Path pg = abs.resolve("postgres/data/postmaster.pid");
        live(pg, "postgres").ifPresent(p -> servers.add(new Server("PostgreSQL", p, pg)));
        Path broker = abs.resolve("kafka").resolve(LocalKafka.PID_FILE);
        live(broker, LocalKafka.BROKER_MARK + abs.resolve("kafka") + " ")
                .ifPresent(p -> servers.add(new Server("Kafka broker", p, broker)));
        return servers;
    }

    /** Stops the servers running under {@code dir}; "PostgreSQL (pid 123)", … */
    public static List<String> stop(Path dir) throws IOException, InterruptedException {
        List<String> stopped = new ArrayList<>();
        for (Server s : running(dir)) {
            stop(s);
            stopped.add(s.describe());
        }
        return stopped;
    }

    private static void stop(Server s) throws IOException, InterruptedException {
        ProcessHandle p = s.process();
        if (s.what().equals("PostgreSQL")) {
            // SIGTERM is PostgreSQL's smart shutdown, which waits for every session to end: a job
            // still connected would hold it up for the whole grace period.
            new ProcessBuilder("kill", "-INT", Long.toString(p.pid()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor(10, TimeUnit.SECONDS);
        } else {
            p.destroy();
        }
        try {
            p.onExit().get(GRACE.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException slow) {
            p.destroyForcibly();
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                throw new IOException(s.describe() + " does not stop");
            }
        } catch (ExecutionException e) {
            throw new IOException("waiting for " + s.describe() + " to stop: " + e.getCause());
        }
        if (!s.what().equals("PostgreSQL")) {
            // PostgreSQL removes its own; the others would name a dead (later: a reused) pid.
            Files.deleteIfExists(s.pidFile());
        }
    }

    /** The live process {@code pidFile} names, if its command line shows {@code commandMark}. */
    static Optional<ProcessHandle> live(Path pidFile, String commandMark) throws IOException {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
        long pid;
        try {
            pid = lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).strip());
        } catch (NumberFormatException notAPid) {
            return Optional.empty();
        }
        if (pid <= 0 || pid == ProcessHandle.current().pid()) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(h -> h.info().commandLine().orElse("").contains(commandMark));
    }
}
