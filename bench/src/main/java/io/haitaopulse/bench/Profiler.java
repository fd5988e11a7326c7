package io.haitaopulse.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;
import one.profiler.AsyncProfiler;
import one.profiler.Counter;

/**
 * Profiles one case and turns its CPU samples into a flame graph: {@code CASE.collapsed} (one line
 * per stack, "frame;frame;… count", the format of Brendan Gregg's flamegraph.pl) and
 * {@code CASE-flamegraph.svg}, widest frames at the bottom.
 *
 * <p>The sampler is async-profiler (its Java API and native library from Maven Central): CPU
 * samples every millisecond from Linux's perf events, or its timer where those are not allowed,
 * without safepoint bias, so a case runs at its usual speed while it is recorded. Where the
 * library does not load (not Linux or macOS), the JDK's flight recorder takes its place
 * ({@code CASE.jfr} too, execution samples every 10 ms); a JFR recording slowed the cases here to
 * a quarter of their speed, so its profiles show code still being compiled.
 */
final class Profiler {

    /** The sampler that records a case. */
    private interface Sampler {
        /** Stops and returns the stacks sampled, root first, with their counts; may write files into {@code dir}. */
        Map<String, Long> stop(Path dir, String name) throws IOException;

        /** What the flame graph's title says recorded it. */
        String label();
    }

    private final String name;
    private final Sampler sampler;

    private Profiler(String name, Sampler sampler) {
        this.name = name;
        this.sampler = sampler;
    }

    /** Where to write the recording of one run of a case: {@code dir/name.jfr} and its flame graph. */
    record Target(String name, Path dir) {}

    /**
     * Runs {@code body}, recorded into {@code target} unless it is null, and prints where the
     * flame graph went: only the timed part of a case, not its set-up.
     */
    static <T> T around(Target target, Callable<T> body) throws Exception {
        if (target == null) {
            return body.call();
        }
        Profiler profiler = start(target.name());
        try {
            return body.call();
        } finally {
            Path svg = profiler.stop(target.dir());
            System.out.println("flame graph of " + target.name() + ": " + svg);
        }
    }

    /** Starts sampling: async-profiler where it loads, else JFR. */
    static Profiler start(String name) {
        Sampler sampler = AsyncSampler.start();
        if (sampler == null) {
            System.out.println("async-profiler did not load here; profiling " + name + " with JFR");
            sampler = JfrSampler.start();
        }
        return new Profiler(name, sampler);
    }

    /** Stops, writes the files into {@code dir} and returns the SVG's path. */
    Path stop(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Long> stacks = sampler.stop(dir, name);
        try (Writer w = Files.newBufferedWriter(dir.resolve(name + ".collapsed"), StandardCharsets.UTF_8)) {
            for (Map.Entry<String, Long> s : stacks.entrySet()) {
                w.write(s.getKey() + " " + s.getValue() + "\n");
            }
        }
        Path svg = dir.resolve(name + "-flamegraph.svg");
        Files.writeString(svg, FlameGraph.svg(name + " (" + sampler.label() + ")", stacks), StandardCharsets.UTF_8);
        return svg;
    }

    /** async-profiler's CPU samples of every thread of this process. */
    private static final class AsyncSampler implements Sampler {
        private final AsyncProfiler profiler;
        private final String event;

        private AsyncSampler(AsyncProfiler profiler, String event) {
            this.profiler = profiler;
            this.event = event;
        }

        /** Started, or null when the native library cannot load or start here. */
        static AsyncSampler start() {
            AsyncProfiler profiler;
            try {
                profiler = AsyncProfiler.getInstance();
            } catch (RuntimeException | UnsatisfiedLinkError e) {
                return null;
            }
            // perf events where the kernel allows them (perf_event_paranoid <= 2 for one's own
            // process), else a CPU-time timer: both sample running threads only.
            for (String event : List.of("cpu", "itimer")) {
                try {
                    profiler.execute("start,event=" + event + ",interval=1ms");
                    return new AsyncSampler(profiler, event);
                } catch (IOException | IllegalStateException | IllegalArgumentException e) {
                    // Try the next event source.
                }
            }
            return null;
        }

        @Override
        public Map<String, Long> stop(Path dir, String name) throws IOException {
            profiler.stop();
            Map<String, Long> stacks = new TreeMap<>();
            for (String line : profiler.dumpCollapsed(Counter.SAMPLES).split("\n")) {
                int space = line.lastIndexOf(' ');
                if (space > 0) {
                    stacks.merge(
                            shorten(line.substring(0, space)), Long.parseLong(line.substring(space + 1)), Long::sum);
                }
            }
            return stacks;
        }

        @Override
        public String label() {
            return "async-profiler, " + event + " samples every 1 ms";
        }

        /**
         * Frames as the JFR sampler names them ({@code SimpleClass.method}); native and JVM frames
         * as async-profiler names them.
         */
        private static String shorten(String stack) {
            String[] frames = stack.split(";");
            StringBuilder sb = new StringBuilder(stack.length());
            for (String f : frames) {
                if (sb.length() > 0) {
                    sb.append(';');
                }
                // "java/util/HashMap.get_[j]": drop the frame-type suffix and the package.
                String frame = f.endsWith("]") && f.lastIndexOf("_[") > 0 ? f.substring(0, f.lastIndexOf("_[")) : f;
                int dot = frame.lastIndexOf('.');
                int slash = frame.lastIndexOf('/', dot < 0 ? frame.length() - 1 : dot);
                sb.append(slash >= 0 && dot > slash ? frame.substring(slash + 1) : frame);
            }
            return sb.toString();
        }
    }

    /** The JDK flight recorder's execution samples, every 10 ms. */
    private static final class JfrSampler implements Sampler {
        private final Recording recording;
        private long jfrBytes;

        private JfrSampler(Recording recording) {
            this.recording = recording;
        }

        static JfrSampler start() {
            // Execution samples only: they are all the flame graph reads.
            Recording r = new Recording();
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            r.start();
            return new JfrSampler(r);
        }

        @Override
        public Map<String, Long> stop(Path dir, String name) throws IOException {
            recording.stop();
            Path jfr = dir.resolve(name + ".jfr");
            recording.dump(jfr);
            recording.close();
            jfrBytes = Files.size(jfr);
            Map<String, Long> stacks = new TreeMap<>();
            for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
                if (e.getEventType().getName().equals("jdk.ExecutionSample") && e.getStackTrace() != null) {
                    stacks.merge(collapse(e.getStackTrace()), 1L, Long::sum);
                }
            }
            return stacks;
        }

        @Override
        public String label() {
            return "JFR, " + jfrBytes / 1024 + " KB";
        }
    }

    /** Root first, leaf last. */
    private static String collapse(RecordedStackTrace trace) {
        List<RecordedFrame> frames = trace.getFrames();
        StringBuilder sb = new StringBuilder();
        for (int i = frames.size() - 1; i >= 0; i--) {
            RecordedFrame f = frames.get(i);
            if (sb.length() > 0) {
                sb.append(';');
            }
            String type = f.getMethod().getType().getName();
            sb.append(type.substring(type.lastIndexOf('.') + 1))
                    .append('.')
                    .append(f.getMethod().getName());
        }
        return sb.toString();
    }
}
