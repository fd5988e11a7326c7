package io.haitaopulse.live;

import io.haitaopulse.io.JsonRows;
import io.haitaopulse.io.OutputTable;
import java.io.Serializable;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * How an {@link OutputTable} is stored in PostgreSQL, derived from its Avro schema so that the
 * DDL under {@code deploy/sql/} and the statements the sink runs can never drift apart (a test
 * compares the checked-in DDL with {@link #ddl()}).
 *
 * <p>Columns are the record's fields with the same names and values as the replay's JSON rows:
 * times stay epoch milliseconds ({@code BIGINT}), enums are text, arrays of strings or longs are
 * SQL arrays, nested records (the event of a late event) are {@code JSONB} in the replay's JSON
 * form, and a non-finite double is {@code NULL} as in JSON. Upsert tables have their key as primary
 * key. Append tables (dead letters, late events) get a {@code row_id}: the SHA-256 of the row's
 * Avro encoding, so a row written again after a restart is recognised and not stored twice.
 *
 * @param <T> the row type
 */
public final class PgTable<T extends SpecificRecordBase> implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The column added to append tables. */
    public static final String ROW_ID = "row_id";

    private final OutputTable<T> table;
    private final List<Column> columns;
    private final List<String> primaryKey;

    /** One column: its field position, SQL type and nullability. */
    record Column(String name, int pos, Kind kind, boolean nullable) implements Serializable {
        String sqlType() {
            return kind.sql;
        }
    }

    /** The SQL shape of an Avro field. */
    enum Kind {
        BIGINT("BIGINT", Types.BIGINT),
        INTEGER("INTEGER", Types.INTEGER),
        DOUBLE("DOUBLE PRECISION", Types.DOUBLE),
        BOOLEAN("BOOLEAN", Types.BOOLEAN),
        TEXT("TEXT", Types.VARCHAR),
        TEXT_ARRAY("TEXT[]", Types.ARRAY),
        BIGINT_ARRAY("BIGINT[]", Types.ARRAY),
        JSONB("JSONB", Types.OTHER);

        final String sql;
        final int jdbcType;

        Kind(String sql, int jdbcType) {
            this.sql = sql;
            this.jdbcType = jdbcType;
        }
    }

    public PgTable(OutputTable<T> table) {
        this.table = table;
        Schema schema = SpecificData.get().getSchema(table.type());
        List<Column> cols = new ArrayList<>();
        for (Schema.Field f : schema.getFields()) {
            Schema s = f.schema();
            boolean nullable = false;
            if (s.getType() == Schema.Type.UNION
                    && s.getTypes().size() == 2
                    && s.getTypes().get(0).getType() == Schema.Type.NULL) {
                nullable = true;
                s = s.getTypes().get(1);
            }
            Kind kind = kindOf(s, f.name());
            // Doubles become NULL when not finite, exactly as in the JSON rows; those of a reference
            // table are input fields, finite by the input contract (a campaign's holdout_pct is in 0..1).
            cols.add(new Column(
                    f.name(),
                    f.pos(),
                    kind,
                    nullable || kind == Kind.DOUBLE && !table.keyFields().contains(f.name()) && !table.reference()));
        }
        this.columns = List.copyOf(cols);
        this.primaryKey = table.upsert() ? table.keyFields() : List.of(ROW_ID);
    }

    private static Kind kindOf(Schema s, String field) {
        return switch (s.getType()) {
            case LONG -> Kind.BIGINT;
            case INT -> Kind.INTEGER;
            case DOUBLE, FLOAT -> Kind.DOUBLE;
            case BOOLEAN -> Kind.BOOLEAN;
            case STRING, ENUM -> Kind.TEXT;
            case ARRAY ->
                switch (s.getElementType().getType()) {
                    case STRING, ENUM -> Kind.TEXT_ARRAY;
                    case LONG, INT -> Kind.BIGINT_ARRAY;
                    default -> Kind.JSONB;
                };
            case RECORD, UNION, MAP -> Kind.JSONB;
            default ->
                throw new IllegalArgumentException("no PostgreSQL column type for field '" + field + "' (" + s + ")");
        };
    }

    public String name() {
        return table.name();
    }

    public OutputTable<T> table() {
        return table;
    }

    List<Column> columns() {
        return columns;
    }

    /** Column names in statement order: the fields, then {@code row_id} for append tables. */
    public List<String> columnNames() {
        List<String> names = columns.stream().map(Column::name).collect(Collectors.toCollection(ArrayList::new));
        if (!table.upsert()) {
            names.add(ROW_ID);
        }
        return names;
    }

    public List<String> primaryKey() {
        return primaryKey;
    }

    /** The content of {@code deploy/sql/001_tables.sql}: every table's DDL. */
    public static String allDdl() {
        StringBuilder b = new StringBuilder("-- Tables of Haitao Pulse, one per output table of CONTRACTS §3.\n"
                + "-- Generated from the Avro schemas by PgTable.allDdl(); PgTableTest fails when this file differs.\n"
                + "-- Times are epoch milliseconds, as in the replay files. Idempotent.\n");
        for (OutputTable<?> t : OutputTable.all()) {
            b.append('\n').append(new PgTable<>(t).ddl());
        }
        return b.toString();
    }

    /** {@code CREATE TABLE IF NOT EXISTS} for this table. */
    public String ddl() {
        StringBuilder b =
                new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(name()).append(" (\n");
        for (Column c : columns) {
            b.append("    ")
                    .append(c.name())
                    .append(' ')
                    .append(c.sqlType())
                    .append(c.nullable() ? "" : " NOT NULL")
                    .append(",\n");
        }
        if (!table.upsert()) {
            b.append("    ").append(ROW_ID).append(" TEXT NOT NULL,\n");
        }
        b.append("    PRIMARY KEY (").append(String.join(", ", primaryKey)).append(")\n);\n");
        // A database created by an earlier release has the table without the columns added since:
        // add them (all nullable by the schema policy), so an upgrade needs no hand-written ALTER.
        List<Column> added = addedColumns();
        if (!added.isEmpty()) {
            b.append("ALTER TABLE ").append(name());
            for (int i = 0; i < added.size(); i++) {
                Column c = added.get(i);
                b.append(i == 0 ? "\n    " : ",\n    ")
                        .append("ADD COLUMN IF NOT EXISTS ")
                        .append(c.name())
                        .append(' ')
                        .append(c.sqlType());
            }
            b.append(";\n");
        }
        return b.toString();
    }

    /** Columns the table did not have in the first release that had it, in schema order. */
    List<Column> addedColumns() {
        List<Schema> released =
                ReleasedSchemas.of(SpecificData.get().getSchema(table.type()).getFullName());
        if (released.isEmpty()) {
            return List.of();
        }
        Schema first = released.get(0);
        return columns.stream().filter(c -> first.getField(c.name()) == null).toList();
    }

    /**
     * The upsert of {@code rows} rows in one statement: {@code INSERT … VALUES (…), (…) ON CONFLICT
     * (key) DO UPDATE} (append tables: {@code DO NOTHING}). The caller must not repeat a key within
     * one statement; PostgreSQL rejects that.
     */
    public String upsertSql(int rows) {
        StringBuilder b = new StringBuilder("INSERT INTO ")
                .append(name())
                .append(" (")
                .append(String.join(", ", columnNames()))
                .append(") VALUES ");
        String tuple = columnNames().stream()
                .map(n -> isJson(n) ? "?::jsonb" : "?")
                .collect(Collectors.joining(", ", "(", ")"));
        for (int i = 0; i < rows; i++) {
            b.append(i == 0 ? "" : ", ").append(tuple);
        }
        return b.append(onConflict()).toString();
    }

    /** The tail that makes an insert idempotent. */
    public String onConflict() {
        StringBuilder b = new StringBuilder(" ON CONFLICT (")
                .append(String.join(", ", primaryKey))
                .append(") DO ");
        if (!table.upsert()) {
            return b.append("NOTHING").toString();
        }
        List<String> set = new ArrayList<>();
        for (String n : columnNames()) {
            if (!primaryKey.contains(n)) {
                set.add(n + " = EXCLUDED." + n);
            }
        }
        return set.isEmpty()
                ? b.append("NOTHING").toString()
                : b.append("UPDATE SET ").append(String.join(", ", set)).toString();
    }

    private boolean isJson(String column) {
        return columns.stream().anyMatch(c -> c.name().equals(column) && c.kind() == Kind.JSONB);
    }

    /** The primary key of {@code row} as a string, for de-duplicating a batch (last write wins). */
    public String keyOf(T row) {
        if (!table.upsert()) {
            return rowId(row);
        }
        StringBuilder b = new StringBuilder();
        for (String k : primaryKey) {
            Object v = row.get(row.getSchema().getField(k).pos());
            b.append(keyText(v)).append('\u0000');
        }
        return b.toString();
    }

    /** A key field's value as text: times as epoch milliseconds, as in the replay files. */
    public static String keyText(Object value) {
        return value instanceof Instant i ? Long.toString(i.toEpochMilli()) : String.valueOf(value);
    }

    /** The content digest that identifies a row of an append table. */
    public static String rowId(SpecificRecordBase row) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(AvroWire.encode(row));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }

    /** Binds {@code row} to the parameters starting at {@code first} (1-based); returns the next free index. */
    public int bind(PreparedStatement st, int first, T row) throws SQLException {
        int i = first;
        for (Column c : columns) {
            Object v = sqlValue(c, row.get(c.pos()));
            if (v == null) {
                st.setNull(i++, c.kind().jdbcType);
            } else if (v instanceof Object[] array) {
                st.setArray(
                        i++, st.getConnection().createArrayOf(c.kind() == Kind.TEXT_ARRAY ? "text" : "bigint", array));
            } else if (c.kind() == Kind.JSONB) {
                st.setString(i++, (String) v);
            } else {
                st.setObject(i++, v);
            }
        }
        if (!table.upsert()) {
            st.setString(i++, rowId(row));
        }
        return i;
    }

    /** The value of one column as the JDBC object the sink binds; {@code null} for SQL NULL. */
    static Object sqlValue(Column c, Object v) {
        if (v == null) {
            return null;
        }
        return switch (c.kind()) {
            case BIGINT -> v instanceof Instant i ? i.toEpochMilli() : ((Number) v).longValue();
            case INTEGER -> ((Number) v).intValue();
            case DOUBLE -> {
                double d = ((Number) v).doubleValue();
                yield Double.isFinite(d) ? d : null;
            }
            case BOOLEAN -> v;
            case TEXT -> v.toString();
            case TEXT_ARRAY ->
                ((Collection<?>) v).stream().map(Object::toString).toArray(String[]::new);
            case BIGINT_ARRAY ->
                ((Collection<?>) v).stream().map(x -> ((Number) x).longValue()).toArray(Long[]::new);
            case JSONB -> v instanceof IndexedRecord r ? JsonRows.toJson(r) : jsonOf(v);
        };
    }

    private static String jsonOf(Object v) {
        throw new IllegalArgumentException("no JSON form for " + v.getClass());
    }
}
