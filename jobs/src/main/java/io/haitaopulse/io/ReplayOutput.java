package io.haitaopulse.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.commons.io.file.PathUtils;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The replay sinks: every table becomes {@code <dir>/<table>.jsonl}. While the job runs, rows go
 * to part files ({@link JsonLinesFileSink}, one writer per table, so a key's updates stay in
 * order); {@link #finish} then applies upsert semantics (the last row per key wins), sorts by the
 * table's key and writes the final file, empty when a table has no rows. Sorting makes a replay's
 * files identical from run to run whatever the parallelism.
 */
public final class ReplayOutput implements TableSinks {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    public ReplayOutput(Path dir) {
        this.dir = dir.toAbsolutePath();
    }

    public Path dir() {
        return dir;
    }

    /** Creates the output folder and removes what an earlier run of these tables left in it. */
    public void prepare(List<OutputTable<?>> tables) throws IOException {
        Files.createDirectories(dir);
        Path parts = dir.resolve(".parts");
        if (Files.exists(parts)) {
            PathUtils.deleteDirectory(parts);
        }
        for (OutputTable<?> t : tables) {
            Files.deleteIfExists(file(t));
        }
    }

    @Override
    public <T extends SpecificRecordBase> void write(OutputTable<T> table, DataStream<T> rows) {
        rows.sinkTo(new JsonLinesFileSink<>(dir, table.name()))
                .name("sink:" + table.name())
                .uid("replay-sink-" + table.name())
                .setParallelism(1);
    }

    /** The final file of {@code table}. */
    public Path file(OutputTable<?> table) {
        return dir.resolve(table.name() + ".jsonl");
    }

    /** Writes the final file of every table; returns rows written per table name, in the given order. */
    public Map<String, Long> finish(List<OutputTable<?>> tables) throws IOException {
        Map<String, Long> written = new LinkedHashMap<>();
        for (OutputTable<?> t : tables) {
            written.put(t.name(), finishTable(t));
        }
        Path parts = dir.resolve(".parts");
        if (Files.exists(parts)) {
            PathUtils.deleteDirectory(parts);
        }
        return written;
    }

    private long finishTable(OutputTable<?> table) throws IOException {
        List<Row> rows = new ArrayList<>();
        Path parts = JsonLinesFileSink.partsDir(dir, table.name());
        if (Files.isDirectory(parts)) {
            List<Path> files;
            try (Stream<Path> s = Files.list(parts)) {
                files = s.sorted().toList();
            }
            for (Path p : files) {
                try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        rows.add(new Row(line, keyOf(table, JSON.readTree(line))));
                    }
                }
            }
        }
        if (table.upsert()) {
            Map<List<JsonNode>, Row> last = new LinkedHashMap<>();
            for (Row row : rows) {
                last.put(row.key, row);
            }
            rows = new ArrayList<>(last.values());
        }
        // Append tables can hold rows of equal key (one late event reported by two jobs): the
        // whole line breaks the tie, or their order would be the order of arrival.
        rows.sort(Comparator.comparing((Row r) -> r.key, ReplayOutput::compareKeys)
                .thenComparing(r -> r.line));
        try (BufferedWriter w = Files.newBufferedWriter(file(table), StandardCharsets.UTF_8)) {
            for (Row row : rows) {
                w.write(row.line);
                w.write('\n');
            }
        }
        return rows.size();
    }

    private static List<JsonNode> keyOf(OutputTable<?> table, JsonNode row) {
        List<JsonNode> key = new ArrayList<>(table.keyFields().size());
        for (String field : table.keyFields()) {
            JsonNode v = row;
            for (String part : field.split("\\.")) {
                v = v == null ? null : v.get(part);
            }
            key.add(v == null ? JSON.nullNode() : v);
        }
        return key;
    }

    /** Field by field: nulls first, numbers numerically, text with non-numeric before numeric. */
    static int compareKeys(List<JsonNode> a, List<JsonNode> b) {
        Iterator<JsonNode> ia = a.iterator();
        Iterator<JsonNode> ib = b.iterator();
        while (ia.hasNext() && ib.hasNext()) {
            int c = compareValues(ia.next(), ib.next());
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static int compareValues(JsonNode x, JsonNode y) {
        if (x.isNull() || y.isNull()) {
            return Boolean.compare(!x.isNull(), !y.isNull());
        }
        if (x.isNumber() && y.isNumber()) {
            return x.isIntegralNumber() && y.isIntegralNumber()
                    ? Long.compare(x.longValue(), y.longValue())
                    : Double.compare(x.doubleValue(), y.doubleValue());
        }
        String sx = x.asText();
        String sy = y.asText();
        Long nx = parseLong(sx);
        Long ny = parseLong(sy);
        if (nx != null && ny != null) {
            return Long.compare(nx, ny);
        }
        if (nx != null || ny != null) {
            return nx == null ? -1 : 1;
        }
        return sx.compareTo(sy);
    }

    private static Long parseLong(String s) {
        if (s.isEmpty() || s.length() > 19) {
            return null;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private record Row(String line, List<JsonNode> key) {}

    /** Rows of a finished table file, for tests and the demo. */
    public static List<JsonNode> readRows(Path file) {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.map(l -> {
                        try {
                            return JSON.readTree(l);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
