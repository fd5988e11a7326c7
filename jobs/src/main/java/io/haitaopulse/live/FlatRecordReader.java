package io.haitaopulse.live;

import io.haitaopulse.io.EventLimits;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SystemLimitException;
import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Decodes single-object encoded records written with exactly the reader's own schema, in one pass
 * over the bytes, for flat record types: fields of type string, int, long, enum, long
 * {@code timestamp-millis}, and unions of null with one of these. Clicks and exposures, nearly every
 * event a job reads, are such records; Avro's own path first walks a record against its writer
 * schema to bound its lengths, then decodes it through a stream, a resolving decoder and boxed
 * field setters, which together cost more than the rest of the source.
 *
 * <p>The contract is agreement: {@link #read} returns either null, when the record is anything but
 * a plain, valid encoding with the reader's schema (another fingerprint, a bad header, a length or
 * count past the end, an index out of range, a varint in its longest form, a string of more than
 * {@link EventLimits#MAX_STRING_CHARS} bytes or beyond Avro's configured limit), or the record
 * Avro's {@code BinaryMessageDecoder} returns for the same bytes,
 * field for field: strings through the same UTF-8 decoding (malformed bytes replaced), enums by
 * their symbols, timestamps as {@link Instant#ofEpochMilli}, bytes after the record ignored. A null
 * sends the record down Avro's path, which decodes it or says why it cannot, as before. Nothing is
 * allocated before its length is known to fit in the record.
 *
 * <p>Thread-safe: it holds no mutable state.
 *
 * @param <T> the generated record class
 */
final class FlatRecordReader<T extends SpecificRecordBase> {

    private static final int STRING = 0;
    private static final int INT = 1;
    private static final int LONG = 2;
    private static final int ENUM = 3;
    private static final int TIMESTAMP_MILLIS = 4;

    /** How one field is read: its kind, the union branch that is null (-1 when not a union), enum constants. */
    private record Field(int kind, int nullBranch, Object[] symbols) {}

    private final long fingerprint;
    private final Constructor<T> constructor;
    private final Field[] fields;

    private FlatRecordReader(long fingerprint, Constructor<T> constructor, Field[] fields) {
        this.fingerprint = fingerprint;
        this.constructor = constructor;
        this.fields = fields;
    }

    /**
     * A reader for {@code type}, or null when its schema has a field this reader does not handle
     * (arrays, maps, nested records, bytes, floating point, other logical types, strings not read
     * as {@link String}): such types always take Avro's path.
     */
    static <T extends SpecificRecordBase> FlatRecordReader<T> of(Class<T> type) {
        SpecificData model = SpecificData.getForClass(type);
        Schema schema = model.getSchema(type);
        List<Schema.Field> schemaFields = schema.getFields();
        Field[] fields = new Field[schemaFields.size()];
        for (int i = 0; i < fields.length; i++) {
            Schema s = schemaFields.get(i).schema();
            int nullBranch = -1;
            if (s.getType() == Schema.Type.UNION) {
                List<Schema> branches = s.getTypes();
                if (branches.size() != 2) {
                    return null;
                }
                nullBranch = branches.get(0).getType() == Schema.Type.NULL
                        ? 0
                        : branches.get(1).getType() == Schema.Type.NULL ? 1 : -1;
                if (nullBranch < 0) {
                    return null;
                }
                s = branches.get(1 - nullBranch);
            }
            Field f = field(model, s, nullBranch);
            if (f == null) {
                return null;
            }
            fields[i] = f;
        }
        try {
            return new FlatRecordReader<>(
                    SchemaNormalization.parsingFingerprint64(schema), type.getConstructor(), fields);
        } catch (NoSuchMethodException e) {
            // Generated classes always have one; anything else keeps Avro's path.
            return null;
        }
    }

    private static Field field(SpecificData model, Schema s, int nullBranch) {
        LogicalType logical = s.getLogicalType();
        switch (s.getType()) {
            case STRING:
                return GenericData.StringType.String.name().equals(s.getProp(GenericData.STRING_PROP))
                        ? new Field(STRING, nullBranch, null)
                        : null;
            case INT:
                return logical == null ? new Field(INT, nullBranch, null) : null;
            case LONG:
                if (logical == null) {
                    return new Field(LONG, nullBranch, null);
                }
                return logical instanceof LogicalTypes.TimestampMillis
                                && model.getConversionByClass(Instant.class, logical) != null
                        ? new Field(TIMESTAMP_MILLIS, nullBranch, null)
                        : null;
            case ENUM:
                Class<?> enumClass = model.getClass(s);
                if (enumClass == null || !enumClass.isEnum()) {
                    return null;
                }
                List<String> names = s.getEnumSymbols();
                Object[] symbols = new Object[names.size()];
                for (int k = 0; k < symbols.length; k++) {
                    symbols[k] = model.createEnum(names.get(k), s);
                }
                return new Field(ENUM, nullBranch, symbols);
            default:
                return null;
        }
    }

    /** The record in {@code bytes}, or null when it must take Avro's path (see the class comment). */
    T read(byte[] bytes) {
        if (!AvroWire.hasHeader(bytes) || AvroWire.fingerprint(bytes) != fingerprint) {
            return null;
        }
        Object[] values = new Object[fields.length];
        int pos = AvroWire.HEADER_BYTES;
        int end = bytes.length;
        for (int i = 0; i < fields.length; i++) {
            Field f = fields[i];
            if (f.nullBranch >= 0) {
                long branch = varint(bytes, pos, end);
                if (branch < 0) {
                    return null;
                }
                pos += (int) (branch >>> 32);
                int index = zigzag((int) branch);
                if (index == f.nullBranch) {
                    continue;
                } else if (index != 1 - f.nullBranch) {
                    return null;
                }
            }
            if (f.kind == STRING) {
                long length = varint(bytes, pos, end);
                if (length < 0) {
                    return null;
                }
                pos += (int) (length >>> 32);
                int n = zigzag((int) length);
                // A string of at most MAX_STRING_CHARS bytes has at most as many characters, so
                // every record returned is within the event limits (EventLimits) by construction;
                // a longer one, maybe still within them, is Avro's path's to decode and judge.
                if (n < 0 || n > end - pos || n > EventLimits.MAX_STRING_CHARS || !withinStringLimit(n)) {
                    return null;
                }
                values[i] = n == 0 ? "" : new String(bytes, pos, n, StandardCharsets.UTF_8);
                pos += n;
            } else if (f.kind == INT || f.kind == ENUM) {
                long v = varint(bytes, pos, end);
                if (v < 0) {
                    return null;
                }
                pos += (int) (v >>> 32);
                int value = zigzag((int) v);
                if (f.kind == INT) {
                    values[i] = value;
                } else if (value >= 0 && value < f.symbols.length) {
                    values[i] = f.symbols[value];
                } else {
                    return null;
                }
            } else {
                // LONG, TIMESTAMP_MILLIS: up to 9 bytes, 63 bits, read by a loop of its own.
                int start = pos;
                long raw = 0;
                int shift = 0;
                while (true) {
                    if (pos >= end || pos - start == 9) {
                        return null;
                    }
                    byte b = bytes[pos++];
                    raw |= (long) (b & 0x7F) << shift;
                    if (b >= 0) {
                        break;
                    }
                    shift += 7;
                }
                long value = (raw >>> 1) ^ -(raw & 1);
                values[i] = f.kind == LONG ? (Object) value : Instant.ofEpochMilli(value);
            }
        }
        T record;
        try {
            record = constructor.newInstance();
        } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
            return null;
        }
        for (int i = 0; i < values.length; i++) {
            record.put(i, values[i]);
        }
        return record;
    }

    /**
     * A varint of at most 4 bytes (28 bits) at {@code pos}: its length in bytes in the high 32 bits
     * and its raw (still zigzag) value in the low 32, or -1 when it is longer or runs past
     * {@code end}. Union and enum indexes and string lengths below 2^27 fit; Avro's 5-byte form of
     * an int drops high bits, and a record that uses it, or holds a longer string, takes Avro's path.
     */
    private static long varint(byte[] bytes, int pos, int end) {
        int value = 0;
        for (int k = 0; k < 4; k++) {
            if (pos + k >= end) {
                return -1;
            }
            byte b = bytes[pos + k];
            value |= (b & 0x7F) << (7 * k);
            if (b >= 0) {
                return (long) (k + 1) << 32 | (value & 0xFFFF_FFFFL);
            }
        }
        return -1;
    }

    private static int zigzag(int raw) {
        return (raw >>> 1) ^ -(raw & 1);
    }

    /** Avro's configured string limit ({@code org.apache.avro.limits.string.maxLength}) allows {@code n}. */
    private static boolean withinStringLimit(int n) {
        try {
            SystemLimitException.checkMaxStringLength(n);
            return true;
        } catch (SystemLimitException e) {
            return false;
        }
    }
}
