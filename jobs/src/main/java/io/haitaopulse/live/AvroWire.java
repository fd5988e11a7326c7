package io.haitaopulse.live;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

    private AvroWire() {}

    /** The single-object encoding of {@code record}. */
    public static byte[] encode(SpecificRecordBase record) {
        try {
            ByteBuffer buf = ENCODERS.computeIfAbsent(record.getClass(),
                    c -> new BinaryMessageEncoder<>(SpecificData.getForClass(c), record.getSchema())).encode(record);
            byte[] out = new byte[buf.remaining()];
            buf.get(out);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + record.getSchema().getFullName(), e);
        }
    }

    /**
     * A decoder for {@code type}. Not thread-safe (it reuses buffers); one per reader.
     *
     * @param <T> the generated record class
     */
    public static <T extends SpecificRecordBase> Decoder<T> decoder(Class<T> type) {
        return new Decoder<>(type);
    }

    /** Decodes single-object encoded records of one type; failures carry a one-line reason. */
    public static final class Decoder<T extends SpecificRecordBase> {
        private final BinaryMessageDecoder<T> decoder;
        private final String typeName;

        private Decoder(Class<T> type) {
            SpecificData model = SpecificData.getForClass(type);
            org.apache.avro.Schema schema = model.getSchema(type);
            this.decoder = new BinaryMessageDecoder<>(model, schema);
            this.typeName = schema.getName();
            // Producers upgrade after the job (BACKWARD compatibility): records they still write
            // with an older released schema are resolved to the current one.
            for (org.apache.avro.Schema writer : ReleasedSchemas.of(schema.getFullName())) {
                decoder.addSchema(writer);
            }
        }

        /** Teaches the decoder an older or newer writer schema of the same record. */
        public void addWriterSchema(org.apache.avro.Schema writer) {
            decoder.addSchema(writer);
        }

        /** Decodes {@code bytes}; throws {@link InvalidWireException} with the reason. */
        public T decode(byte[] bytes) throws InvalidWireException {
            if (bytes == null || bytes.length == 0) {
                throw new InvalidWireException("empty record: expected an Avro single-object encoded " + typeName);
            }
            try {
                return decoder.decode(bytes);
            } catch (BadHeaderException e) {
                throw new InvalidWireException("not Avro single-object encoding (bad header): expected " + typeName);
            } catch (MissingSchemaException e) {
                throw new InvalidWireException("written with a schema this job does not know (fingerprint not "
                        + typeName + " of any released version; a producer ahead of the job? upgrade the job): " + e.getMessage());
            } catch (IOException | RuntimeException e) {
                // Avro reports truncated and corrupt bodies as EOFException, AvroRuntimeException,
                // or an array/string length it cannot allocate; all mean the same to a producer.
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
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
        return m.replaceAll("\\s+", " ");
    }
}
