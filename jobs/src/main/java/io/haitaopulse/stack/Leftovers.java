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

/**
 * The servers a local stack left running in its directory when its JVM died without closing them
 * (SIGKILL, the OOM killer): shutdown hooks do not run then, and PostgreSQL and the Kafka broker
 * are processes of their own. They are found by their pid files — PostgreSQL's
 * {@code postgres/data/postmaster.pid}, the broker's {@code kafka/}{@value LocalKafka#PID_FILE} —
 * and stopped only when the pid still names a live process of that kind (a pid can be reused).
 * {@link #stop} stops each as its own {@code close} would (SIGTERM: a clean shutdown), kills it if
 * it has not exited within {@link #GRACE}, and returns what it stopped.
 */
public final class Leftovers {

    /** How long a leftover server may take to shut down cleanly before it is killed. */
    public static final java.time.Duration GRACE = java.time.Duration.ofSeconds(20);

    private Leftovers() {}

    /** Stops the servers an earlier stack left running under {@code dir}; "PostgreSQL (pid 123)", … */
    public static List<String> stop(Path dir) throws IOException, InterruptedException {
        List<String> stopped = new ArrayList<>();
        stop(dir.resolve("postgres/data/postmaster.pid"), "postgres", "PostgreSQL", stopped);
        stop(dir.resolve("kafka").resolve(LocalKafka.PID_FILE), LocalKafka.BROKER_MARK, "Kafka broker", stopped);
        return stopped;
    }

    private static void stop(Path pidFile, String commandMark, String what, List<String> stopped)
            throws IOException, InterruptedException {
        Optional<ProcessHandle> process = live(pidFile, commandMark);
        if (process.isEmpty()) {
            return;
        }
        ProcessHandle p = process.get();
        p.destroy();
        try {
            p.onExit().get(GRACE.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException slow) {
            p.destroyForcibly();
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                throw new IOException(what + " (pid " + p.pid() + ") left by an earlier run does not stop");
            }
        } catch (ExecutionException e) {
            throw new IOException("waiting for " + what + " (pid " + p.pid() + ") to stop: " + e.getCause());
        }
        stopped.add(what + " (pid " + p.pid() + ")");
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
