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

/**
 * Profiles one case with the JDK's own flight recorder (no agent, no native library) and turns
 * its execution samples into a flame graph: {@code CASE.jfr}, {@code CASE.collapsed} (one line
 * per stack, "frame;frame;… count", the format of Brendan Gregg's flamegraph.pl) and
 * {@code CASE-flamegraph.svg}, widest frames at the bottom.
 */
final class Profiler {

    private final String name;
    private final Recording recording;

    private Profiler(String name, Recording recording) {
        this.name = name;
        this.recording = recording;
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

    /** Starts recording execution samples every 10 ms. */
    static Profiler start(String name) {
        // Execution samples only: they are all the flame graph reads.
        Recording r = new Recording();
        r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
        r.start();
        return new Profiler(name, r);
    }

    /** Stops, writes the three files into {@code dir} and returns the SVG's path. */
    Path stop(Path dir) throws IOException {
        recording.stop();
        Files.createDirectories(dir);
        Path jfr = dir.resolve(name + ".jfr");
        recording.dump(jfr);
        recording.close();
        Map<String, Long> stacks = new TreeMap<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                continue;
            }
            stacks.merge(collapse(e.getStackTrace()), 1L, Long::sum);
        }
        try (Writer w = Files.newBufferedWriter(dir.resolve(name + ".collapsed"), StandardCharsets.UTF_8)) {
            for (Map.Entry<String, Long> s : stacks.entrySet()) {
                w.write(s.getKey() + " " + s.getValue() + "\n");
            }
        }
        Path svg = dir.resolve(name + "-flamegraph.svg");
        Files.writeString(
                svg, FlameGraph.svg(name + " (" + Files.size(jfr) / 1024 + " KB JFR)", stacks), StandardCharsets.UTF_8);
        return svg;
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
