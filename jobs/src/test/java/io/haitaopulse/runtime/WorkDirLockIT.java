package io.haitaopulse.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A demo's work directory belongs to one running demo, across processes: a demo on the directory
 * of one running in another JVM (a real child process) is refused in one line naming the holder's
 * pid and touches nothing; the directory is free again once the holder ends, also when it is
 * killed outright. The same-JVM case is in {@link WorkDirLockTest}.
 */
class WorkDirLockIT {

    @TempDir
    Path dir;

    @Test
    void aDemoOnTheDirectoryOfOneRunningElsewhereRefusesAndTouchesNothing() throws Exception {
        Path events = Files.createDirectories(dir.resolve("events"));
        Files.writeString(events.resolve("clicks.jsonl"), "{}\n");
        Process holder = holder();
        try {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            LiveDemo demo = new LiveDemo(
                    dir,
                    "small",
                    1,
                    0,
                    Duration.ofSeconds(5),
                    0,
                    0,
                    new PrintStream(buf, true, StandardCharsets.UTF_8));
            assertThatThrownBy(demo::run)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("a demo is already running in " + dir + " (pid " + holder.pid() + ")");
            assertThat(events.resolve("clicks.jsonl"))
                    .as("the running demo's data")
                    .exists();
            assertThat(buf.toString(StandardCharsets.UTF_8))
                    .as("what the refused demo printed")
                    .isEmpty();
        } finally {
            holder.getOutputStream().close();
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        WorkDirLock.acquire(dir, "--work").close();
    }

    @Test
    void aKilledHolderFreesTheDirectory() throws Exception {
        Process holder = holder();
        assertThatThrownBy(() -> WorkDirLock.acquire(dir, "--work")).isInstanceOf(IllegalArgumentException.class);
        holder.destroyForcibly();
        assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        WorkDirLock.acquire(dir, "--work").close();
    }

    /** A child JVM holding the lock on {@link #dir} until its stdin closes; returns once it holds it. */
    private Process holder() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(List.of(
                        java, "-cp", System.getProperty("java.class.path"), Holder.class.getName(), dir.toString()))
                .redirectErrorStream(true)
                .start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        // Blocks until the child has the lock (or ends, and the assertion says what it printed).
        assertThat(r.readLine()).isEqualTo("held");
        return p;
    }

    /** The child: holds the lock until stdin is closed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            WorkDirLock lock = WorkDirLock.acquire(Path.of(args[0]), "--work");
            System.out.println("held");
            System.out.flush();
            while (System.in.read() >= 0) {
                // Until the test closes the pipe.
            }
            lock.close();
        }
    }
}
