package io.haitaopulse.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Writes rows of one table as JSON Lines into a part file per subtask under
 * {@code <dir>/.parts/<table>/}; {@link ReplayOutput} turns the parts into {@code <dir>/<table>.jsonl}
 * when the job has finished. A restarted subtask truncates its part, which is right for bounded
 * replay: without checkpoints a restart re-reads the input from the start.
 *
 * @param <T> row type
 */
public final class JsonLinesFileSink<T extends SpecificRecordBase> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    private final String dir;
    private final String table;

    public JsonLinesFileSink(Path dir, String table) {
        this.dir = dir.toAbsolutePath().toString();
        this.table = table;
    }

    /** Folder holding the part files of {@code table} under {@code dir}. */
    public static Path partsDir(Path dir, String table) {
        return dir.resolve(".parts").resolve(table);
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        Path parts = partsDir(Paths.get(dir), table);
        Files.createDirectories(parts);
        Path file = parts.resolve("part-" + context.getTaskInfo().getIndexOfThisSubtask() + ".jsonl");
        return new Writer<>(Files.newBufferedWriter(
                file,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE));
    }

    private static final class Writer<T extends SpecificRecordBase> implements SinkWriter<T> {
        private final BufferedWriter out;

        Writer(BufferedWriter out) {
            this.out = out;
        }

        @Override
        public void write(T element, Context context) throws IOException {
            out.write(JsonRows.toRowJson(element));
            out.write('\n');
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
