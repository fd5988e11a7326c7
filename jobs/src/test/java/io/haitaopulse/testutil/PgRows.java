package io.haitaopulse.testutil;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haitaopulse.io.OutputTable;
import io.haitaopulse.live.PgTable;
import io.haitaopulse.stack.LocalPostgres;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a PostgreSQL output table back as the JSON rows the replay would have written for it
 * (same field names, order and number forms), so tests compare the two paths row for row.
 */
public final class PgRows {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PgRows() {}

    /** The number of rows in {@code table}; 0 while the table does not exist yet. */
    public static long count(String url, OutputTable<?> table) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, LocalPostgres.USER, null);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table.name())) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return 0;
            }
            throw e;
        }
    }

    /** The rows of {@code table}, each as a replay-style JSON object ({@code row_id} left out). */
    public static List<JsonNode> read(String url, OutputTable<?> table) throws Exception {
        List<String> columns = new ArrayList<>(new PgTable<>(table).columnNames());
        columns.remove(PgTable.ROW_ID);
        List<JsonNode> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, LocalPostgres.USER, null);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT " + String.join(", ", columns) + " FROM " + table.name())) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                for (int i = 1; i <= columns.size(); i++) {
                    String name = columns.get(i - 1);
                    Object v = rs.getObject(i);
                    if (v == null) {
                        o.putNull(name);
                    } else if (md.getColumnType(i) == Types.ARRAY) {
                        ArrayNode a = o.putArray(name);
                        for (Object x : (Object[]) ((Array) v).getArray()) {
                            a.addPOJO(x);
                        }
                    } else if ("jsonb".equals(md.getColumnTypeName(i))) {
                        o.set(name, JSON.readTree(v.toString()));
                    } else {
                        o.putPOJO(name, v);
                    }
                }
                // Through text and back, so numbers take the node types a replay file parses into.
                rows.add(JSON.readTree(JSON.writeValueAsString(o)));
            }
        }
        return rows;
    }
}
