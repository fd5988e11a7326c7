package io.haitaopulse.io;

import io.haitaopulse.schema.internal.Ingested;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * A {@link org.apache.flink.connector.file.src.FileSource} format that reads a file line by line
 * as raw bytes and parses each line with a {@link LineParser}. Reading bytes rather than text
 * lets invalid UTF-8 reach dead_letters intact instead of being replaced by U+FFFD. Lines end
 * at {@code \n}; a trailing {@code \r} is dropped. A line longer than {@link #MAX_LINE_BYTES} is
 * dead-lettered with its first {@link #KEPT_PREFIX_BYTES} bytes, so one runaway line cannot
 * exhaust memory. A line whose parsing throws anyway (see {@link TextLineParser}) is a dead
 * letter with the error as its reason; reading goes on with the next line.
 */
public final class LineFileFormat extends SimpleStreamFormat<Ingested> {

    private static final long serialVersionUID = 1L;

    /** Longest line parsed. */
    public static final int MAX_LINE_BYTES = 8 << 20;

    /** How much of an over-long line is kept in its dead letter. */
    public static final int KEPT_PREFIX_BYTES = 64 << 10;

    private final String sourceName;
    private final LineParser parser;

    /** Reads lines from a file named {@code sourceName} (recorded in dead letters). */
    public LineFileFormat(String sourceName, LineParser parser) {
        this.sourceName = sourceName;
        this.parser = parser;
    }

    @Override
    public StreamFormat.Reader<Ingested> createReader(Configuration config, FSDataInputStream stream) {
        return new Reader(stream, sourceName, parser);
    }

    @Override
    public TypeInformation<Ingested> getProducedType() {
        return IngestedTypeInfo.INSTANCE;
    }

    /** Splits a byte stream into lines without decoding them. */
    static final class Reader implements StreamFormat.Reader<Ingested> {
        private final InputStream in;
        private final String source;
        private final LineParser parser;
        private byte[] buf = new byte[64 << 10];
        private int start;
        private int end;
        /** Bytes in [start, scanned) are known to hold no newline, so long lines are scanned once. */
        private int scanned;

        private boolean eof;

        /** Offset in the stream of {@code buf[0]}. */
        private long base;

        Reader(InputStream in, String source, LineParser parser) {
            this(in, source, parser, 0L);
        }

        /** A reader of {@code in}, which is positioned at {@code offset} of its file. */
        Reader(InputStream in, String source, LineParser parser, long offset) {
            this.in = in;
            this.source = source;
            this.parser = parser;
            this.base = offset;
        }

        /**
         * The file offset of the first byte not yet consumed: where the line the next {@link #read}
         * returns (or a blank line before it) starts. Reading from here again yields the same records.
         */
        long position() {
            return base + start;
        }

        @Override
        public Ingested read() throws IOException {
            while (true) {
                int lineEnd = indexOfNewline();
                if (lineEnd < 0 && !eof) {
                    if (end - start > MAX_LINE_BYTES) {
                        return overlongLine();
                    }
                    fill();
                    continue;
                }
                if (lineEnd < 0 && start == end) {
                    return null;
                }
                int lineStop = lineEnd < 0 ? end : lineEnd;
                int next = lineEnd < 0 ? end : lineEnd + 1;
                int len = lineStop - start;
                if (len > 0 && buf[start + len - 1] == '\r') {
                    len--;
                }
                int lineStart = start;
                if (len > MAX_LINE_BYTES) {
                    Ingested dead = tooLong(lineStart);
                    start = next;
                    return dead;
                }
                start = next;
                long now = System.currentTimeMillis();
                Ingested parsed;
                try {
                    parsed = parser.parse(buf, lineStart, len, source, now);
                } catch (RuntimeException | StackOverflowError e) {
                    // Parsers promise not to throw; this keeps that promise for rules wrapped
                    // around them (clock skew) and for bugs, so one line never fails the read.
                    parsed = DeadLetters.of(buf, lineStart, len, source, DeadLetters.failure("parser", e), now);
                }
                if (parsed != null) {
                    return parsed;
                }
            }
        }

        /** Dead-letters the prefix of a line that exceeds the limit and skips the rest of it. */
        private Ingested overlongLine() throws IOException {
            Ingested dead = tooLong(start);
            // Discard until the end of this line.
            start = end;
            while (true) {
                int lineEnd = indexOfNewline();
                if (lineEnd >= 0) {
                    start = lineEnd + 1;
                    return dead;
                }
                start = end;
                if (eof) {
                    return dead;
                }
                fill();
            }
        }

        private Ingested tooLong(int lineStart) {
            return DeadLetters.of(
                    buf,
                    lineStart,
                    KEPT_PREFIX_BYTES,
                    source,
                    "line longer than " + MAX_LINE_BYTES + " bytes; only the first " + KEPT_PREFIX_BYTES
                            + " bytes are kept",
                    System.currentTimeMillis());
        }

        private int indexOfNewline() {
            for (int i = Math.max(start, scanned); i < end; i++) {
                if (buf[i] == '\n') {
                    scanned = i + 1;
                    return i;
                }
            }
            scanned = end;
            return -1;
        }

        private void fill() throws IOException {
            if (start > 0) {
                base += start;
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                scanned = Math.max(0, scanned - start);
                start = 0;
            }
            if (end == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                eof = true;
            } else {
                end += n;
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
