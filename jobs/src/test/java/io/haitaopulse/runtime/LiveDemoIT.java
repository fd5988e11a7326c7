package io.haitaopulse.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command (the demo), shortened: the live demo starts Kafka, PostgreSQL and every job,
 * streams a simulated day, reports progress, and on stopping leaves no process behind; a second
 * run in the same work directory starts again.
 */
class LiveDemoIT {

    @TempDir
    Path work;

    @Test
    void runsTheWholeStackStopsCleanlyAndStartsAgain() throws Exception {
        Set<Long> before = children();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);

        int code = new LiveDemo(work.resolve("demo"), "small", 1, 0, Duration.ofSeconds(12), 0, 0, out).run();

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
        int again = new LiveDemo(work.resolve("demo"), "small", 2, 0, Duration.ofSeconds(6), 0, 0, out).run();
        assertThat(again).as("exit code of the second run").isZero();
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("Haitao Pulse is running.", "Stopped: job cancelled");
        leftover = children();
        leftover.removeAll(before);
        assertThat(leftover).as("processes the second run left running").isEmpty();
    }

    private static Set<Long> children() {
        return ProcessHandle.current()
                .descendants()
                .filter(ProcessHandle::isAlive)
                .map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }
}
