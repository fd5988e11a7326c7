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
    void compilerThreadsAreToldByTheirCommandName() {
        assertThat(ProcessCpu.isCompilerThread("77 (C2 CompilerThre) S 1 2 3 0 -1 0 0 0 0 0 500 20 0 0 20 0 1"))
                .isTrue();
        assertThat(ProcessCpu.isCompilerThread("78 (C1 CompilerThre) S 1 2 3 0 -1 0 0 0 0 0 5 2 0 0 20 0 1"))
                .isTrue();
        assertThat(ProcessCpu.isCompilerThread("79 (GC Thread#0) S 1 2 3 0 -1 0 0 0 0 0 5 2 0 0 20 0 1"))
                .isFalse();
        assertThat(ProcessCpu.isCompilerThread("80 (x C2 CompilerThre) S 1 2 3 0 -1 0 0 0 0 0 5 2 0 0 20 0 1"))
                .isFalse();
    }

    @Test
    void theCompilersCpuTimeGrowsWhileNewCodeIsCompiled() throws Throwable {
        Double before = ProcessCpu.compilerSeconds();
        assertThat(before).as("this JVM's compiler threads in /proc").isNotNull();
        // Work for the compilers: many distinct hot methods, loaded as new classes until the
        // compilers have used a measurable amount of CPU (a tick is 10 ms), or give up after 60 s.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Double now = before;
        long sink = 0;
        while (now - before < 0.05 && System.nanoTime() < deadline) {
            java.util.function.LongUnaryOperator f = fresh();
            for (int i = 0; i < 200_000; i++) {
                sink += f.applyAsLong(i);
            }
            now = ProcessCpu.compilerSeconds();
        }
        assertThat(now - before).as("compiler CPU seconds (checksum %d)", sink).isGreaterThanOrEqualTo(0.05);
    }

    /** A hot lambda of a new hidden class each call: code the JIT has not compiled yet. */
    private static java.util.function.LongUnaryOperator fresh() throws Throwable {
        var lookup = java.lang.invoke.MethodHandles.lookup();
        var type = java.lang.invoke.MethodType.methodType(long.class, long.class);
        var target = lookup.findStatic(ProcessCpuTest.class, "mix", type);
        return (java.util.function.LongUnaryOperator) java.lang.invoke.LambdaMetafactory.metafactory(
                        lookup,
                        "applyAsLong",
                        java.lang.invoke.MethodType.methodType(java.util.function.LongUnaryOperator.class),
                        type,
                        target,
                        type)
                .getTarget()
                .invokeExact();
    }

    private static long mix(long x) {
        return (x * 0x9E3779B97F4A7C15L) ^ (x >>> 17);
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
