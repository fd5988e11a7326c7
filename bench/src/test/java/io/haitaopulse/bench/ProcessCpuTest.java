package io.haitaopulse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Reading another process's CPU time from {@code /proc}: the fields counted from the command
 * name's last parenthesis, and a real child process whose busy loop shows up in its parent's tree.
 */
class ProcessCpuTest {

    @Test
    void fieldsAreCountedFromTheLastParenthesisOfTheCommandName() {
        // A command name with a space and a parenthesis; utime 1234, stime 56, cutime 7, cstime 8.
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 56 7 8 20 0 30 0 1000 0 0\n";
        assertThat(ProcessCpu.parse(stat)).containsExactly(1234L, 56L, 7L, 8L);
        assertThat(ProcessCpu.parse("garbage")).isNull();
    }

    @Test
    void aChildsBusyLoopIsInItsParentsTree() throws Exception {
        // A shell that starts a busy child and waits for it: the child's time is the tree's.
        Process shell = new ProcessBuilder(
                        "sh", "-c", "sh -c 'i=0; while [ $i -lt 400000 ]; do i=$((i+1)); done; sleep 60' & wait")
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            Double seconds = ProcessCpu.treeSeconds(shell.pid());
            // The loop takes a few tenths of a second of CPU; the shell itself next to nothing.
            while (seconds != null && seconds < 0.2 && System.nanoTime() < deadline) {
                shell.waitFor(50, TimeUnit.MILLISECONDS);
                seconds = ProcessCpu.treeSeconds(shell.pid());
            }
            assertThat(seconds).isNotNull().isGreaterThanOrEqualTo(0.2);
        } finally {
            shell.descendants().forEach(ProcessHandle::destroyForcibly);
            shell.destroyForcibly().waitFor();
        }
        assertThat(ProcessCpu.treeSeconds(shell.pid())).isNull();
    }
}
