package io.haitaopulse.live;

import org.apache.avro.specific.SpecificRecordBase;

/** Renders rows as PostgreSQL {@code COPY … (FORMAT csv)} lines with the values {@link PgTable} binds. */
final class PgCsv {

    private PgCsv() {}

    static <T extends SpecificRecordBase> void appendRow(StringBuilder out, PgTable<T> table, T row) {
        boolean first = true;
        for (PgTable.Column c : table.columns()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            appendValue(out, PgTable.sqlValue(c, row.get(c.pos())));
        }
        if (!table.table().upsert()) {
            out.append(',');
            quoted(out, PgTable.rowId(row));
        }
        out.append('\n');
    }

    private static void appendValue(StringBuilder out, Object v) {
        if (v == null) {
            return; // an unquoted empty field is NULL in CSV COPY
        }
        if (v instanceof Object[] array) {
            StringBuilder lit = new StringBuilder("{");
            for (int i = 0; i < array.length; i++) {
                if (i > 0) {
                    lit.append(',');
                }
                if (array[i] instanceof String s) {
                    lit.append('"')
                            .append(s.replace("\\", "\\\\").replace("\"", "\\\""))
                            .append('"');
                } else {
                    lit.append(array[i]);
                }
            }
            quoted(out, lit.append('}').toString());
        } else if (v instanceof String s) {
            quoted(out, s);
        } else {
            out.append(v);
        }
    }

    private static void quoted(StringBuilder out, String s) {
        out.append('"').append(s.replace("\"", "\"\"")).append('"');
    }
}
