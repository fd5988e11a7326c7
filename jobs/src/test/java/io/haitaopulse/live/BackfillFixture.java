package io.haitaopulse.live;

import io.haitaopulse.generator.SimulatorConfig;
import io.haitaopulse.io.EventTime;
import io.haitaopulse.io.InputFormat;
import io.haitaopulse.io.LineParser;
import io.haitaopulse.schema.internal.Ingested;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A simulated day cut at {@link #cuts()}: each event file's lines with an event time before the
 * first cut go to {@code history/<file>}, those from the first cut on to {@code live/<file>} (and
 * from a second cut on to {@code live-2/<file>}), each part keeping the file's order; a line
 * without event time (a malformed line, a catalogue record) stays with the line before it. The
 * replay reads every part; only {@code live/} is streamed into Kafka before the tests run.
 */
abstract class BackfillFixture extends LiveFixture {

    /** Where history ends and the topics begin: 14 hours into the simulated day. */
    static final Instant SWITCH = SimulatorConfig.DEFAULT_START.plus(Duration.ofHours(14));

    /** The directory of history files. */
    Path history;

    /** The directories of the parts after the history, in order: {@code live}, {@code live-2}, … */
    List<Path> liveParts;

    /** Where the day is cut; the first is where history ends. */
    List<Instant> cuts() {
        return List.of(SWITCH);
    }

    @Override
    Inputs inputs(Path events, List<Path> files) throws IOException {
        List<Instant> cuts = cuts();
        history = events.resolveSibling("history");
        List<Path> parts = new ArrayList<>(List.of(history));
        for (int i = 0; i < cuts.size(); i++) {
            parts.add(events.resolveSibling(i == 0 ? "live" : "live-" + (i + 1)));
        }
        liveParts = parts.subList(1, parts.size());
        for (Path p : parts) {
            Files.createDirectories(p);
        }
        LineParser parser = InputFormat.JSONL.parser();
        for (Path f : files) {
            List<BufferedWriter> out = new ArrayList<>();
            // ISO-8859-1 maps bytes 1:1: every line, valid UTF-8 or not, is copied exactly.
            try (BufferedReader in = Files.newBufferedReader(f, StandardCharsets.ISO_8859_1)) {
                for (Path p : parts) {
                    out.add(Files.newBufferedWriter(p.resolve(f.getFileName()), StandardCharsets.ISO_8859_1));
                }
                int side = 0;
                String line;
                while ((line = in.readLine()) != null) {
                    byte[] bytes = line.getBytes(StandardCharsets.ISO_8859_1);
                    Ingested parsed = parser.parse(bytes, 0, bytes.length, f.toString(), 0L);
                    long ts = parsed == null ? EventTime.NONE : EventTime.of(parsed);
                    if (ts != EventTime.NONE) {
                        side = 0;
                        while (side < cuts.size() && ts >= cuts.get(side).toEpochMilli()) {
                            side++;
                        }
                    }
                    out.get(side).write(line);
                    out.get(side).write('\n');
                }
            } finally {
                for (BufferedWriter w : out) {
                    w.close();
                }
            }
        }
        return new Inputs(parts, filesOf(liveParts.get(0)));
    }

    /** The event files of a part, in name order. */
    static List<Path> filesOf(Path part) throws IOException {
        try (var s = Files.list(part)) {
            return s.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        }
    }
}
