package io.haitaopulse.io;

import io.haitaopulse.schema.DeadLetter;
import io.haitaopulse.schema.internal.Ingested;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * A bounded source of the records of one kind in a set of history files, read once and merged by
 * event time: the first part of a {@code run --backfill} input, before its Kafka topic.
 *
 * <p><b>Order.</b> Every file is read line by line, parsed exactly as replay parses it ({@link
 * LineFileFormat}, the same parser and clock-skew rule), and the files are interleaved by event
 * time while each file keeps its own order: the next record is the head with the smallest event
 * time, ties to the file given first; a record without event time (a dead letter, a catalogue
 * record) goes right after the record before it in its file. This is what makes a watermark of
 * bounded disorder over the merged stream judge every event as replay's watermark of its own file
 * does: an event within {@code max-delay} of its file's newest is never behind a merged neighbour
 * by more, since that neighbour was taken while the event's file offered a record no older. The
 * same interleaving is what {@code EventProducer} does when it streams files into topics.
 *
 * <p><b>Which records.</b> {@code parser} decides (see {@link #forRecords}): the live path opens one
 * such source per input topic, each keeping the events of its topic's type, and one of them the
 * dead letters as well, so that every line of the history reaches exactly one topic's stream.
 *
 * <p><b>One split.</b> All files are one split, read by one reader, because the merge needs them in
 * one place; the other readers of the source get none and finish at once. A checkpoint stores, per
 * file, the offset of its first line not yet emitted and the event time the record before it had,
 * so a restore continues exactly where the checkpoint was (the files must not change meanwhile).
 * Every file is open while the split is read: one stream and a 64 KiB buffer each.
 */
public final class HistorySource implements Source<Ingested, HistorySource.Split, HistorySource.Pending> {

    private static final long serialVersionUID = 1L;

    /** The id of the one split. */
    static final String SPLIT_ID = "history";

    private final List<String> files;
    private final LineParser parser;

    private HistorySource(List<String> files, LineParser parser) {
        this.files = List.copyOf(files);
        this.parser = parser;
    }

    /**
     * The records {@code parser} returns from {@code files}, merged by event time. Dead letters
     * name the file's absolute path as their source, as in replay.
     */
    public static HistorySource of(List<Path> files, LineParser parser) {
        return new HistorySource(
                files.stream().map(p -> p.toAbsolutePath().toString()).toList(), parser);
    }

    /**
     * {@code parser} keeping only events of {@code type}, and dead letters when
     * {@code deadLetters}; every other line is skipped like a blank one. Apply the clock-skew rule
     * around it ({@link ClockSkew#checking}), so an event dead-lettered for its time stays with its
     * own type's stream.
     */
    public static LineParser forRecords(LineParser parser, Class<?> type, boolean deadLetters) {
        return new OfType(parser, type, deadLetters);
    }

    /** The absolute paths read, as dead letters name them. */
    public List<String> files() {
        return files;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SplitEnumerator<Split, Pending> createEnumerator(SplitEnumeratorContext<Split> context) {
        List<FilePosition> start = new ArrayList<>();
        for (String f : files) {
            start.add(new FilePosition(f, 0L, EventTime.NONE));
        }
        return new Enumerator(context, new ArrayList<>(List.of(new Split(start))));
    }

    @Override
    public SplitEnumerator<Split, Pending> restoreEnumerator(SplitEnumeratorContext<Split> context, Pending state) {
        return new Enumerator(context, new ArrayList<>(state.splits()));
    }

    @Override
    public SimpleVersionedSerializer<Split> getSplitSerializer() {
        return new SplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<Pending> getEnumeratorCheckpointSerializer() {
        return new PendingSerializer();
    }

    @Override
    public SourceReader<Ingested, Split> createReader(SourceReaderContext context) {
        return new Reader(parser);
    }

    /** Where reading a file resumes: the offset of its next line and the event time before it. */
    public record FilePosition(String path, long offset, long timeBefore) {}

    /** The whole history: every file with its position. */
    public record Split(List<FilePosition> files) implements SourceSplit {
        public Split {
            files = List.copyOf(files);
        }

        @Override
        public String splitId() {
            return SPLIT_ID;
        }
    }

    /** The enumerator's checkpoint: the split not yet handed to a reader, if any. */
    public record Pending(List<Split> splits) {
        public Pending {
            splits = List.copyOf(splits);
        }
    }

    /** Events of one type, and optionally dead letters; nothing else. */
    private record OfType(LineParser parser, Class<?> type, boolean deadLetters) implements LineParser {
        private static final long serialVersionUID = 1L;

        @Override
        public Ingested parse(byte[] buf, int off, int len, String source, long ingestTs) {
            Ingested parsed = parser.parse(buf, off, len, source, ingestTs);
            if (parsed == null) {
                return null;
            }
            Object body = parsed.getBody();
            return (body instanceof DeadLetter ? deadLetters : type.isInstance(body)) ? parsed : null;
        }
    }

    /**
     * Hands the split to the first reader that registers (or asks), and tells every reader there
     * is no more: the reader with the split finishes after it, the others at once. A split given
     * back after a failure goes to the next reader that registers, the restarted one.
     */
    private static final class Enumerator implements SplitEnumerator<Split, Pending> {
        private final SplitEnumeratorContext<Split> context;
        private final List<Split> pending;

        Enumerator(SplitEnumeratorContext<Split> context, List<Split> pending) {
            this.context = context;
            this.pending = pending;
        }

        @Override
        public void start() {}

        @Override
        public void handleSplitRequest(int subtaskId, String requesterHostname) {
            assign(subtaskId);
        }

        @Override
        public void addSplitsBack(List<Split> splits, int subtaskId) {
            pending.addAll(splits);
        }

        @Override
        public void addReader(int subtaskId) {
            assign(subtaskId);
        }

        private void assign(int subtaskId) {
            if (!pending.isEmpty()) {
                context.assignSplit(pending.remove(0), subtaskId);
            }
            context.signalNoMoreSplits(subtaskId);
        }

        @Override
        public Pending snapshotState(long checkpointId) {
            return new Pending(pending);
        }

        @Override
        public void close() {}
    }

    /** One file being merged: its reader, its next record, and where that record starts. */
    private static final class Cursor {
        /** Position in the split: breaks ties between equal event times. */
        final int index;

        final String path;
        final LineFileFormat.Reader reader;
        /** Event time of the last timed record taken from this file (the key of untimed ones after it). */
        long timeBefore;

        Ingested head;
        long headOffset;
        long headKey;

        Cursor(int index, String path, LineFileFormat.Reader reader, long timeBefore) {
            this.index = index;
            this.path = path;
            this.reader = reader;
            this.timeBefore = timeBefore;
        }

        /** Reads the next record; false at the end of the file. */
        boolean advance() throws IOException {
            headOffset = reader.position();
            head = reader.read();
            if (head == null) {
                return false;
            }
            long ts = EventTime.of(head);
            headKey = ts == EventTime.NONE ? timeBefore : ts;
            return true;
        }

        /** Takes the head; the next one must be read before this cursor is compared again. */
        Ingested take() {
            Ingested r = head;
            timeBefore = headKey;
            head = null;
            return r;
        }
    }

    /**
     * Reads the split on the task thread, one record per poll, so that a checkpoint always falls
     * between two records and its positions are exact.
     */
    private static final class Reader implements SourceReader<Ingested, Split> {
        private final LineParser parser;
        /** The files with a record to give, smallest event time first, ties to the file given first. */
        private final PriorityQueue<Cursor> cursors = new PriorityQueue<>(
                Comparator.<Cursor>comparingLong(c -> c.headKey).thenComparingInt(c -> c.index));
        /** All files, in split order, finished ones included (their position is the end). */
        private List<Cursor> all;

        private boolean noMoreSplits;
        private SourceOutput<Ingested> out;
        private CompletableFuture<Void> available = new CompletableFuture<>();

        Reader(LineParser parser) {
            this.parser = parser;
        }

        @Override
        public void start() {}

        @Override
        public InputStatus pollNext(ReaderOutput<Ingested> output) throws Exception {
            if (all == null) {
                return idle();
            }
            if (out == null) {
                out = output.createOutputForSplit(SPLIT_ID);
            }
            Cursor next = cursors.poll();
            if (next == null) {
                output.releaseOutputForSplit(SPLIT_ID);
                closeAll();
                all = null;
                out = null;
                return idle();
            }
            out.collect(next.take());
            if (next.advance()) {
                cursors.add(next);
            }
            return InputStatus.MORE_AVAILABLE;
        }

        /**
         * Without a split: the end of input once there will be none, else nothing yet. Either way
         * the availability future is a fresh one that only a new split or the end of splits
         * completes: a {@code HybridSource} keeps asking a finished reader until it switches to the
         * next source, and a completed future would make that a busy loop.
         */
        private InputStatus idle() {
            available = new CompletableFuture<>();
            return noMoreSplits ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
        }

        @Override
        public List<Split> snapshotState(long checkpointId) {
            if (all == null) {
                return List.of();
            }
            List<FilePosition> positions = new ArrayList<>();
            for (Cursor c : all) {
                // A cursor's head is read but not emitted: the position is where the head starts.
                positions.add(new FilePosition(c.path, c.headOffset, c.timeBefore));
            }
            return List.of(new Split(positions));
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            return available;
        }

        @Override
        public void addSplits(List<Split> splits) {
            if (splits.size() != 1 || all != null) {
                throw new IllegalStateException("a history reader reads exactly one split, got " + splits);
            }
            try {
                open(splits.get(0));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot open the history files", e);
            }
            available.complete(null);
        }

        private void open(Split split) throws IOException {
            all = new ArrayList<>();
            for (FilePosition p : split.files()) {
                org.apache.flink.core.fs.Path path = new org.apache.flink.core.fs.Path(new File(p.path()).toURI());
                FSDataInputStream in = FileSystem.get(path.toUri()).open(path);
                in.seek(p.offset());
                Cursor c = new Cursor(
                        all.size(),
                        p.path(),
                        new LineFileFormat.Reader(in, p.path(), parser, p.offset()),
                        p.timeBefore());
                all.add(c);
                if (c.advance()) {
                    cursors.add(c);
                }
            }
        }

        @Override
        public void notifyNoMoreSplits() {
            if (!noMoreSplits) {
                noMoreSplits = true;
                available.complete(null);
            }
        }

        @Override
        public void pauseOrResumeSplits(Collection<String> splitsToPause, Collection<String> splitsToResume) {
            // Not in an alignment group (docs/design/event-time.md): nothing to pause.
        }

        @Override
        public void close() throws IOException {
            closeAll();
        }

        private void closeAll() throws IOException {
            if (all != null) {
                for (Cursor c : all) {
                    c.reader.close();
                }
            }
            cursors.clear();
        }
    }

    /** Version 1: the files with path, offset and event time before. */
    static final class SplitSerializer implements SimpleVersionedSerializer<Split> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Split split) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(64);
            write(split, out);
            return out.getCopyOfBuffer();
        }

        static void write(Split split, DataOutputSerializer out) throws IOException {
            out.writeInt(split.files().size());
            for (FilePosition p : split.files()) {
                out.writeUTF(p.path());
                out.writeLong(p.offset());
                out.writeLong(p.timeBefore());
            }
        }

        @Override
        public Split deserialize(int version, byte[] serialized) throws IOException {
            checkVersion(version);
            return read(new DataInputDeserializer(serialized));
        }

        static Split read(DataInputDeserializer in) throws IOException {
            int n = in.readInt();
            List<FilePosition> files = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                files.add(new FilePosition(in.readUTF(), in.readLong(), in.readLong()));
            }
            return new Split(files);
        }
    }

    /** Version 1: the pending splits, each as {@link SplitSerializer} writes it. */
    static final class PendingSerializer implements SimpleVersionedSerializer<Pending> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Pending pending) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(64);
            out.writeInt(pending.splits().size());
            for (Split s : pending.splits()) {
                SplitSerializer.write(s, out);
            }
            return out.getCopyOfBuffer();
        }

        @Override
        public Pending deserialize(int version, byte[] serialized) throws IOException {
            checkVersion(version);
            DataInputDeserializer in = new DataInputDeserializer(serialized);
            int n = in.readInt();
            List<Split> splits = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                splits.add(SplitSerializer.read(in));
            }
            return new Pending(splits);
        }
    }

    private static void checkVersion(int version) throws IOException {
        if (version != 1) {
            throw new IOException("unknown version " + version + " of a history split");
        }
    }
}
