package io.haitaopulse.live;

import java.io.IOException;
import java.io.Serializable;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.postgresql.PGConnection;

/**
 * Writes one output table to PostgreSQL as idempotent upserts on its primary key ({@link PgTable}).
 *
 * <p>Rows are buffered by key — a window re-fired by allowed lateness replaces its earlier row in
 * the buffer, so each key is written once per flush — and flushed in one transaction when the
 * buffer reaches {@code batchSize}, when {@code batchInterval} has passed since the oldest buffered
 * row, and <em>always before a checkpoint barrier</em> ({@link SinkWriter#flush}). A checkpoint
 * therefore completes only after its rows are committed; after a failure the job replays from the
 * last checkpoint and the upserts overwrite the same keys with the same values: nothing is lost and
 * nothing is counted twice. Statements are either multi-row {@code INSERT … ON CONFLICT} or
 * {@code COPY} into a temporary table merged with one {@code INSERT … SELECT … ON CONFLICT}
 * (measured against each other in the benchmarks).
 *
 * @param <T> the row type
 */
public final class PostgresUpsertSink<T extends SpecificRecordBase> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    /** How a batch reaches the database. */
    public enum Mode {
        /** {@code INSERT … VALUES (…), (…) … ON CONFLICT}: a few hundred rows per statement. */
        MULTI_ROW,
        /** {@code COPY … FROM STDIN (FORMAT csv)} into a temporary table, then one merge. */
        COPY
    }

    /**
     * Where and how to write. {@code password} may be null (trust or peer authentication). A
     * failed flush is retried at least {@code maxRetries} times and for at least
     * {@code maxRetryMillis}, with back-off, before the job fails over.
     */
    public record Settings(
            String url,
            String user,
            String password,
            int batchSize,
            long batchIntervalMs,
            Mode mode,
            int maxRetries,
            long maxRetryMillis)
            implements Serializable {}

    private final PgTable<T> table;
    private final Settings settings;

    public PostgresUpsertSink(PgTable<T> table, Settings settings) {
        this.table = table;
        this.settings = settings;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return new Writer<>(table, settings, context);
    }

    /** The per-subtask writer; not thread-safe (Flink calls it from the task's mailbox thread). */
    static final class Writer<T extends SpecificRecordBase> implements SinkWriter<T> {
        /** PostgreSQL's limit is 65,535 bind parameters per statement; stay well below. */
        private static final int MAX_PARAMS = 30_000;

        private final PgTable<T> table;
        private final Settings settings;
        private final ProcessingTimeService time;
        private final boolean copyRows;
        private final Counter rowsOut;
        private final Map<String, T> buffer = new LinkedHashMap<>();
        private final int rowsPerStatement;
        private Connection connection;
        private boolean timerPending;

        Writer(PgTable<T> table, Settings settings, WriterInitContext context) {
            this.table = table;
            this.settings = settings;
            this.time = context.getProcessingTimeService();
            this.copyRows = context.isObjectReuseEnabled();
            this.rowsOut = context.metricGroup().counter(io.haitaopulse.io.Ingest.Metrics.ROWS_WRITTEN);
            this.rowsPerStatement =
                    Math.max(1, Math.min(500, MAX_PARAMS / table.columnNames().size()));
        }

        @Override
        public void write(T row, Context context) throws IOException {
            T kept = copyRows ? SpecificData.get().deepCopy(row.getSchema(), row) : row;
            String key = table.keyOf(kept);
            buffer.remove(key);
            buffer.put(key, kept);
            if (buffer.size() >= settings.batchSize()) {
                flushBuffer();
            } else if (!timerPending && settings.batchIntervalMs() > 0) {
                timerPending = true;
                time.registerTimer(time.getCurrentProcessingTime() + settings.batchIntervalMs(), t -> {
                    timerPending = false;
                    flushBuffer();
                });
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            flushBuffer();
        }

        private void flushBuffer() throws IOException {
            if (buffer.isEmpty()) {
                return;
            }
            List<T> rows = new ArrayList<>(buffer.values());
            SQLException last = null;
            // While the database is away the writer blocks here, so the job backs up behind it
            // (backpressure) instead of failing over and replaying; only a longer outage fails it.
            long giveUpAt = System.nanoTime() + settings.maxRetryMillis() * 1_000_000L;
            int attempt = 0;
            for (; attempt <= settings.maxRetries() || System.nanoTime() < giveUpAt; attempt++) {
                try {
                    writeBatch(rows);
                    buffer.clear();
                    rowsOut.inc(rows.size());
                    return;
                } catch (SQLException e) {
                    last = e;
                    closeQuietly();
                    backOff(attempt);
                }
            }
            throw new IOException(
                    "writing " + rows.size() + " rows to PostgreSQL table " + table.name() + " failed after " + attempt
                            + " attempts: " + last.getMessage(),
                    last);
        }

        private void writeBatch(List<T> rows) throws SQLException {
            Connection c = connection();
            try {
                if (settings.mode() == Mode.COPY) {
                    copy(c, rows);
                } else {
                    insert(c, rows);
                }
                c.commit();
            } catch (SQLException e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }

        private void insert(Connection c, List<T> rows) throws SQLException {
            int full = rows.size() / rowsPerStatement;
            if (full > 0) {
                try (PreparedStatement st = c.prepareStatement(table.upsertSql(rowsPerStatement))) {
                    for (int s = 0; s < full; s++) {
                        int p = 1;
                        for (int r = s * rowsPerStatement; r < (s + 1) * rowsPerStatement; r++) {
                            p = table.bind(st, p, rows.get(r));
                        }
                        st.executeUpdate();
                    }
                }
            }
            int rest = rows.size() - full * rowsPerStatement;
            if (rest > 0) {
                try (PreparedStatement st = c.prepareStatement(table.upsertSql(rest))) {
                    int p = 1;
                    for (int r = full * rowsPerStatement; r < rows.size(); r++) {
                        p = table.bind(st, p, rows.get(r));
                    }
                    st.executeUpdate();
                }
            }
        }

        private void copy(Connection c, List<T> rows) throws SQLException {
            String stage = "pulse_stage_" + table.name();
            String cols = String.join(", ", table.columnNames());
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TEMP TABLE IF NOT EXISTS " + stage + " (LIKE " + table.name()
                        + " INCLUDING DEFAULTS) ON COMMIT DELETE ROWS");
            }
            StringBuilder csv = new StringBuilder(rows.size() * 128);
            for (T row : rows) {
                PgCsv.appendRow(csv, table, row);
            }
            try {
                c.unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyIn(
                                "COPY " + stage + " (" + cols + ") FROM STDIN (FORMAT csv)",
                                new StringReader(csv.toString()));
            } catch (IOException e) {
                throw new SQLException("COPY into " + stage + " failed: " + e.getMessage(), e);
            }
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO " + table.name() + " (" + cols + ") SELECT " + cols + " FROM " + stage
                        + table.onConflict());
            }
        }

        private Connection connection() throws SQLException {
            if (connection == null || connection.isClosed()) {
                connection = DriverManager.getConnection(settings.url(), settings.user(), settings.password());
                connection.setAutoCommit(false);
            }
            return connection;
        }

        private static void backOff(int attempt) throws IOException {
            try {
                // A restarting database or a network blip: wait 0.2 s, 0.4 s, … up to 5 s.
                Thread.sleep(Math.min(5_000L, 200L << Math.min(attempt, 5)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while retrying a PostgreSQL write", e);
            }
        }

        private void closeQuietly() {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // The connection is being replaced because it failed; its close may fail too.
                }
                connection = null;
            }
        }

        @Override
        public void close() {
            closeQuietly();
        }
    }
}
