package io.haitaopulse.bench;

import io.haitaopulse.io.OutputTable;
import io.haitaopulse.live.PgTable;
import io.haitaopulse.live.PostgresUpsertSink;
import io.haitaopulse.schema.HotItem;
import io.haitaopulse.stack.LocalPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Measures the two write modes of {@link PostgresUpsertSink} in one process against one embedded
 * PostgreSQL: N hot_items rows (fresh keys, then the same keys again as updates) through a Flink
 * job at parallelism 1, each mode twice (the first round warms up the JIT); prints rows/s per mode
 * of the second. Runs on the bench module's classpath, after {@code mvn -o package -DskipTests}:
 * {@code java -cp bench/target/haitao-pulse-bench.jar:$(cat bench/target/classpath.txt) io.haitaopulse.bench.PgWriteBench 300000}
 */
public final class PgWriteBench {

    private PgWriteBench() {}

    /** Runs the measurement; the one optional argument is the number of rows per run [300000]. */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        Path dir = Files.createTempDirectory("pg-bench");
        try (LocalPostgres pg = LocalPostgres.start(dir, 0)) {
            for (int round = 0; round < 2; round++) {
                for (PostgresUpsertSink.Mode mode : PostgresUpsertSink.Mode.values()) {
                    String table = new PgTable<>(OutputTable.HOT_ITEMS).ddl();
                    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), LocalPostgres.USER, null);
                            Statement st = c.createStatement()) {
                        st.execute("DROP TABLE IF EXISTS hot_items");
                        st.execute(table);
                    }
                    PostgresUpsertSink.Settings s = new PostgresUpsertSink.Settings(
                            pg.jdbcUrl(), LocalPostgres.USER, null, 5_000, 0, mode, 0, 0L);
                    double insert = run(n, s, 0);
                    double update = run(n, s, 1);
                    if (round == 1) {
                        System.out.printf(
                                "%-9s insert %,9.0f rows/s   upsert-over-existing %,9.0f rows/s%n",
                                mode, insert, update);
                    }
                }
            }
        }
    }

    private static double run(int n, PostgresUpsertSink.Settings s, long salt) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromSequence(0, n - 1)
                .map(new ToRow(salt))
                .returns(new AvroTypeInfo<>(HotItem.class))
                .sinkTo(new PostgresUpsertSink<>(new PgTable<>(OutputTable.HOT_ITEMS), s));
        long t0 = System.nanoTime();
        env.execute("pg write bench");
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private static final class ToRow implements MapFunction<Long, HotItem> {
        private static final long serialVersionUID = 1L;
        private final long salt;

        ToRow(long salt) {
            this.salt = salt;
        }

        @Override
        public HotItem map(Long i) {
            long end = (i / 100) * 300_000L;
            return new HotItem(
                    Instant.ofEpochMilli(end - 3_600_000L),
                    Instant.ofEpochMilli(end),
                    "all",
                    (int) (i % 100) + 1,
                    i * 7 + salt,
                    1000 - i % 100 + salt);
        }
    }
}
