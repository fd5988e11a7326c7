package io.haitaopulse.common;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A {@link DistinctUsers} written and read by hand, for the hand-written serializers of records
 * that carry one across a network exchange (such as the trends job's pane activity). What
 * {@link #read} gives back has the same public fields as what Flink's POJO serializer gives back
 * for the same count: {@link DistinctUsers#table} and {@link DistinctUsers#sketch} each null or an
 * array of the same length and content, and the same {@code hasZero}, {@code size}, {@code limit}
 * and {@code lgK}.
 *
 * <p>Only the table's occupied slots are written (slot and hash), as a table is at most half full
 * and small counts are the common case, and the sketch's image only up to its last non-zero byte,
 * as an image is allocated at its largest size and a sketch that has just left the exact mode uses
 * a small part of it; the reader restores the zeros.
 *
 * <p>The encoding has no version and no schema evolution: both ends of an exchange run the same
 * code. It is never to be used for state, which keeps Flink's POJO serializer of {@link
 * DistinctUsers}, whose snapshot savepoints are restored by.
 */
public final class DistinctUsersCodec {

    private static final int HAS_ZERO = 1;
    private static final int HAS_TABLE = 2;
    private static final int HAS_SKETCH = 4;

    private DistinctUsersCodec() {}

    /** Writes {@code d}, which must not be null. */
    public static void write(DistinctUsers d, DataOutputView out) throws IOException {
        long[] table = d.table;
        byte[] sketch = d.sketch;
        out.writeByte((d.hasZero ? HAS_ZERO : 0) | (table != null ? HAS_TABLE : 0) | (sketch != null ? HAS_SKETCH : 0));
        out.writeInt(d.size);
        out.writeInt(d.limit);
        out.writeInt(d.lgK);
        if (table != null) {
            int occupied = 0;
            for (long h : table) {
                if (h != 0) {
                    occupied++;
                }
            }
            out.writeInt(table.length);
            out.writeInt(occupied);
            for (int i = 0; i < table.length; i++) {
                if (table[i] != 0) {
                    out.writeInt(i);
                    out.writeLong(table[i]);
                }
            }
        }
        if (sketch != null) {
            int used = sketch.length;
            while (used > 0 && sketch[used - 1] == 0) {
                used--;
            }
            out.writeInt(sketch.length);
            out.writeInt(used);
            out.write(sketch, 0, used);
        }
    }

    /** Reads what {@link #write} wrote: a new count with arrays of its own. */
    public static DistinctUsers read(DataInputView in) throws IOException {
        int flags = in.readUnsignedByte();
        if ((flags & ~(HAS_ZERO | HAS_TABLE | HAS_SKETCH)) != 0) {
            throw new IOException("not a serialized DistinctUsers: flags " + flags);
        }
        int size = in.readInt();
        int limit = in.readInt();
        int lgK = in.readInt();
        long[] table = null;
        if ((flags & HAS_TABLE) != 0) {
            int length = in.readInt();
            int occupied = in.readInt();
            if (length < 0 || occupied < 0 || occupied > length) {
                throw new IOException(
                        "not a serialized DistinctUsers: table of " + length + " slots, " + occupied + " occupied");
            }
            table = new long[length];
            for (int k = 0; k < occupied; k++) {
                int slot = in.readInt();
                if (slot < 0 || slot >= length) {
                    throw new IOException("not a serialized DistinctUsers: slot " + slot + " of " + length);
                }
                table[slot] = in.readLong();
            }
        }
        byte[] sketch = null;
        if ((flags & HAS_SKETCH) != 0) {
            int length = in.readInt();
            int used = in.readInt();
            if (length < 0 || used < 0 || used > length) {
                throw new IOException(
                        "not a serialized DistinctUsers: sketch of " + length + " bytes, " + used + " written");
            }
            sketch = new byte[length];
            in.readFully(sketch, 0, used);
        }
        return new DistinctUsers(table, (flags & HAS_ZERO) != 0, size, limit, lgK, sketch);
    }

    /**
     * A deep copy of {@code d} (not null), as Flink's POJO serializer copies one: the same public
     * fields, arrays of its own, no cached sketch wrapper.
     */
    public static DistinctUsers copy(DistinctUsers d) {
        return new DistinctUsers(
                d.table == null ? null : d.table.clone(),
                d.hasZero,
                d.size,
                d.limit,
                d.lgK,
                d.sketch == null ? null : d.sketch.clone());
    }
}
