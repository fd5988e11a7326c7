package io.haitaopulse.live;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * The value format of every Pulse topic: Avro <em>single-object encoding</em> (the Avro
 * specification's {@code C3 01} marker, the writer schema's 8-byte CRC-64-AVRO fingerprint, then
 * the binary record). A reader can tell which schema wrote a record without a registry, and a
 * decoder that knows an older or newer version of a schema resolves it to the reader's.
 *
 * <p>Thread-safe: encoders and decoders are created per call site and hold no shared mutable state.
 */
public final class AvroWire {

    /**
     * Encoders by record class. Creating one fingerprints the schema, which costs more than
     * encoding a record; Avro's encoders are thread-safe.
     */
    private static final Map<Class<?>, BinaryMessageEncoder<SpecificRecordBase>> ENCODERS = new ConcurrentHashMap<>();

    /** Single-object encoding: marker {@code C3 01}, then the 8-byte fingerprint. */
    static final int HEADER_BYTES = 10;

    private AvroWire() {}

    /** Whether {@code bytes} starts with a single-object encoding header (the marker, room for a fingerprint). */
    static boolean hasHeader(byte[] bytes) {
        return bytes.length >= HEADER_BYTES && bytes[0] == (byte) 0xC3 && bytes[1] == (byte) 0x01;
    }

    /** The writer schema's CRC-64-AVRO fingerprint in a record that {@link #hasHeader}. */
    static long fingerprint(byte[] bytes) {
        // Little-endian, read byte by byte: this runs once per record on the source's hot path.
        long v = 0;
        for (int k = 9; k >= 2; k--) {
            v = v << 8 | (bytes[k] & 0xFF);
        }
        return v;
    }

    /** The single-object encoding of {@code record}. */
    public static byte[] encode(SpecificRecordBase record) {
        try {
            ByteBuffer buf = ENCODERS.computeIfAbsent(
                            record.getClass(),
                            c -> new BinaryMessageEncoder<>(SpecificData.getForClass(c), record.getSchema()))
                    .encode(record);
            byte[] out = new byte[buf.remaining()];
            buf.get(out);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot encode " + record.getSchema().getFullName(), e);
        }
    }

    /**
     * A decoder for {@code type}. Not thread-safe (it reuses buffers); one per reader.
     *
     * @param <T> the generated record class
     */
    public static <T extends SpecificRecordBase> Decoder<T> decoder(Class<T> type) {
        return new Decoder<>(type, true);
    }

    /**
     * A decoder for {@code type} that always takes Avro's path, never the {@link FlatRecordReader}:
     * what the fast path is checked against.
     */
    static <T extends SpecificRecordBase> Decoder<T> avroDecoder(Class<T> type) {
        return new Decoder<>(type, false);
    }

    /**
     * Decodes single-object encoded records of one type; failures carry a one-line reason.
     *
     * <p>Lengths are checked before anything is allocated: Avro allocates a string, bytes or array
     * of the length a record's prefix claims before it reads the content, so a 30-byte record
     * claiming a 2 GB string would exhaust the heap. Avro's own limits
     * ({@code org.apache.avro.limits.*} system properties) default to about 2 GB and are read once
     * per JVM, so the decoder first walks the record against its writer schema without allocating
     * and refuses it when any length or count runs past the record's end. What the real decode
     * then allocates is bounded by the record's size.
     *
     * <p>Records of a flat type (clicks, exposures) written with the job's own schema are first
     * offered to a {@link FlatRecordReader}, which decodes them in one pass to the same record;
     * whatever it declines takes the path above.
     */
    public static final class Decoder<T extends SpecificRecordBase> {
        private final BinaryMessageDecoder<T> decoder;
        /** The one-pass path for the current schema; null for types it does not handle. */
        private final FlatRecordReader<T> flat;

        private final String typeName;
        /** The writer schemas the decoder knows, by CRC-64-AVRO fingerprint. */
        private final Map<Long, org.apache.avro.Schema> writers = new HashMap<>();

        private BinaryDecoder walker;
        /** Whether the record {@link #decode} returned last came through the one-pass reader. */
        private boolean lastFlat;

        private Decoder(Class<T> type, boolean flatPath) {
            this.flat = flatPath ? FlatRecordReader.of(type) : null;
            SpecificData model = SpecificData.getForClass(type);
            org.apache.avro.Schema schema = model.getSchema(type);
            this.decoder = new BinaryMessageDecoder<>(model, schema);
            this.typeName = schema.getName();
            writers.put(SchemaNormalization.parsingFingerprint64(schema), schema);
            // Producers upgrade after the job (BACKWARD compatibility): records they still write
            // with an older released schema are resolved to the current one.
            for (org.apache.avro.Schema writer : ReleasedSchemas.of(schema.getFullName())) {
                addWriterSchema(writer);
            }
        }

        /**
         * Whether the record the last {@link #decode} returned is known to be within
         * {@link io.haitaopulse.io.EventLimits}: the one-pass reader declines every record with a
         * longer string, so a record it decoded needs no second look at its strings.
         */
        public boolean lastWithinLimits() {
            return lastFlat;
        }

        /** Teaches the decoder an older or newer writer schema of the same record. */
        public void addWriterSchema(org.apache.avro.Schema writer) {
            decoder.addSchema(writer);
            writers.put(SchemaNormalization.parsingFingerprint64(writer), writer);
        }

        /** Decodes {@code bytes}; throws {@link InvalidWireException} with the reason. */
        public T decode(byte[] bytes) throws InvalidWireException {
            if (bytes == null || bytes.length == 0) {
                throw new InvalidWireException("empty record: expected an Avro single-object encoded " + typeName);
            }
            if (flat != null) {
                T record = flat.read(bytes);
                if (record != null) {
                    lastFlat = true;
                    return record;
                }
            }
            lastFlat = false;
            checkLengths(bytes);
            try {
                return decoder.decode(bytes);
            } catch (BadHeaderException e) {
                throw new InvalidWireException("not Avro single-object encoding (bad header): expected " + typeName);
            } catch (MissingSchemaException e) {
                throw new InvalidWireException("written with a schema this job does not know (fingerprint not "
                        + typeName + " of any released version; a producer ahead of the job? upgrade the job): "
                        + e.getMessage());
            } catch (IOException | RuntimeException e) {
                // Avro reports truncated and corrupt bodies as EOFException, AvroRuntimeException,
                // or an array/string length it cannot allocate; all mean the same to a producer.
                throw new InvalidWireException("corrupt Avro " + typeName + " body: " + oneLine(e));
            }
        }

        /**
         * Walks the body with its writer schema, skipping every value (skipping allocates
         * nothing), and refuses a body whose lengths and counts do not fit in it. Records with a
         * bad header or an unknown schema are left to the decoder, which says so.
         */
        private void checkLengths(byte[] bytes) throws InvalidWireException {
            if (!hasHeader(bytes)) {
                return;
            }
            org.apache.avro.Schema writer = writers.get(fingerprint(bytes));
            if (writer == null) {
                return;
            }
            walker = DecoderFactory.get().binaryDecoder(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES, walker);
            try {
                GenericDatumReader.skip(writer, walker);
            } catch (EOFException e) {
                throw new InvalidWireException(
                        "corrupt Avro " + typeName + " body: truncated, or a length or count larger than the "
                                + (bytes.length - HEADER_BYTES) + "-byte body");
            } catch (IOException | RuntimeException e) {
                throw new InvalidWireException("corrupt Avro " + typeName + " body: " + oneLine(e));
            }
        }
    }

    /** A record that is not a valid encoding of the topic's type. */
    public static final class InvalidWireException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidWireException(String message) {
            super(message);
        }
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null
                ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        // A library's message may quote the input; a reason stays short.
        return (m.length() > 300 ? m.substring(0, 300) + "…" : m).replaceAll("\\s+", " ");
    }
}
