package io.haitaopulse.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time of another process and everything it started, from Linux's {@code /proc}: what the
 * Kafka broker (a child JVM) and PostgreSQL (a postmaster and its backends) cost while a case runs
 * beside them, which this JVM's own CPU time does not include.
 */
final class ProcessCpu {

    /**
     * Clock ticks per second of {@code /proc/<pid>/stat}'s times: USER_HZ, 100 on every Linux
     * architecture Java runs on (the kernel scales its own tick rate to it for user space).
     */
    static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu() {}

    /**
     * CPU seconds (user and system) of {@code pid}, of its live descendants, and of the children it
     * has already waited for; null when {@code pid} is gone or there is no {@code /proc}.
     */
    static Double treeSeconds(long pid) {
        long[] own = times(pid);
        if (own == null) {
            return null;
        }
        // utime + stime + cutime + cstime: a reaped child's time is in its parent's cutime/cstime.
        long ticks = own[0] + own[1] + own[2] + own[3];
        for (ProcessHandle child :
                ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(List.of())) {
            long[] t = times(child.pid());
            if (t != null) {
                // A live descendant's own time; its reaped children are in its cutime/cstime.
                ticks += t[0] + t[1] + t[2] + t[3];
            }
        }
        return ticks / TICKS_PER_SECOND;
    }

    /**
     * CPU seconds (user and system) the JIT compiler threads of this JVM have used so far; null
     * where there is no {@code /proc}. HotSpot names them "C1 CompilerThread…" and "C2
     * CompilerThread…" (the kernel keeps 15 characters). Unlike the compilation MXBean's total,
     * which adds up each compilation's elapsed time and so also counts the time a compiler thread
     * waited for a core that the job's tasks held, this is the CPU the compilers took from them.
     * A compiler thread that HotSpot stopped while a case ran takes its time with it.
     */
    static Double compilerSeconds() {
        Path tasks = Path.of("/proc/self/task");
        long ticks = 0;
        try (var threads = Files.list(tasks)) {
            for (Path t : (Iterable<Path>) threads::iterator) {
                String stat;
                try {
                    stat = Files.readString(t.resolve("stat"), StandardCharsets.US_ASCII);
                } catch (IOException e) {
                    continue; // the thread ended while listed
                }
                if (isCompilerThread(stat)) {
                    long[] times = parse(stat);
                    if (times != null) {
                        ticks += times[0] + times[1];
                    }
                }
            }
        } catch (IOException e) {
            return null;
        }
        return ticks / TICKS_PER_SECOND;
    }

    /** Whether a {@code /proc/<pid>/task/<tid>/stat} line is a HotSpot JIT compiler thread's. */
    static boolean isCompilerThread(String stat) {
        int open = stat.indexOf('(');
        return stat.startsWith("C1 CompilerThre", open + 1) || stat.startsWith("C2 CompilerThre", open + 1);
    }

    /** utime, stime, cutime, cstime of {@code pid} in ticks, or null. */
    private static long[] times(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            // Gone (or no /proc): the caller reports the time as not measured.
            return null;
        }
        return parse(stat);
    }

    /**
     * The four times of one {@code /proc/<pid>/stat} line. The command name (field 2) is in
     * parentheses and may hold spaces or parentheses itself, so fields are counted from the last
     * ')': after it come field 3 (state) onwards, and utime is field 14.
     */
    static long[] parse(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        String[] f = stat.substring(close + 2).trim().split(" ");
        if (f.length < 15) {
            return null;
        }
        // f[0] is field 3, so field n is f[n - 3].
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])};
    }
}
