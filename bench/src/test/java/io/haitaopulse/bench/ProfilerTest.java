package io.haitaopulse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A profiled body's own frames are in the collapsed stacks and the flame graph it writes. */
class ProfilerTest {

    @Test
    void theBusyMethodOfAProfiledBodyIsInItsStacks(@TempDir Path dir) throws Exception {
        long result = Profiler.around(new Profiler.Target("spin", dir), ProfilerTest::spin);
        assertThat(result).isNotZero();

        List<String> stacks = Files.readAllLines(dir.resolve("spin.collapsed"), StandardCharsets.UTF_8);
        long spinSamples = stacks.stream()
                .filter(s -> s.contains("ProfilerTest.spin"))
                .mapToLong(s -> Long.parseLong(s.substring(s.lastIndexOf(' ') + 1)))
                .sum();
        // Half a second of CPU sampled every 1 ms (10 ms under the JFR fallback).
        assertThat(spinSamples).isGreaterThanOrEqualTo(10);
        // Frames are "Class.method", as the flame graph shows them.
        assertThat(stacks).anyMatch(s -> s.contains(";ProfilerTest.spin"));
        assertThat(Files.readString(dir.resolve("spin-flamegraph.svg"))).contains("ProfilerTest.spin");
    }

    /** Half a second of arithmetic on this thread, with a result the JIT cannot drop. */
    private static long spin() {
        long deadline = System.nanoTime() + 500_000_000L;
        long x = 1;
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < 10_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        return x | 1;
    }
}
