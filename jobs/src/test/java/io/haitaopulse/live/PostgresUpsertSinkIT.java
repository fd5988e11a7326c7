package io.haitaopulse.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.io.OutputTable;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.DeadLetter;
import io.haitaopulse.schema.HotItem;
import io.haitaopulse.schema.LateEvent;
import io.haitaopulse.schema.SourcingShortlist;
import io.haitaopulse.stack.LocalPostgres;
import io.haitaopulse.testutil.LiveStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The PostgreSQL sink against a real PostgreSQL: every column kind lands with the value the replay
 * JSON would show, a re-fired key keeps its last version, an append table stores a row once
 * however often it is written, and writing everything a second time (a replay after a restart)
 * changes nothing. Both write modes must give the same table.
 */
class PostgresUpsertSinkIT {

    private static final Instant T0 = Instant.ofEpochMilli(1_700_000_000_000L);

    @ParameterizedTest
    @EnumSource(PostgresUpsertSink.Mode.class)
    void writesExactRowsIdempotently(PostgresUpsertSink.Mode mode) throws Exception {
        String url = LiveStack.freshDatabase("sink_" + mode.name().toLowerCase());
        PostgresUpsertSink.Settings pg =
                new PostgresUpsertSink.Settings(url, LocalPostgres.USER, null, 3, 0L, mode, 0, 0L);
        StringBuilder ddl = new StringBuilder();
        for (OutputTable<?> t : List.of(
                OutputTable.HOT_ITEMS,
                OutputTable.SOURCING_SHORTLIST,
                OutputTable.DEAD_LETTERS,
                OutputTable.LATE_EVENTS)) {
            ddl.append(new PgTable<>(t).ddl());
        }
        LiveSetup.execute(pg, ddl.toString());

        List<HotItem> hot = List.of(
                new HotItem(T0, T0.plusSeconds(3600), "all", 1, 11L, 5L),
                new HotItem(T0, T0.plusSeconds(3600), "all", 2, 12L, 4L),
                new HotItem(T0, T0.plusSeconds(3600), "7", 1, 11L, 5L),
                new HotItem(T0, T0.plusSeconds(3600), "all", 2, 13L, 6L), // re-fired: replaces item 12
                new HotItem(T0, T0.plusSeconds(3900), "all", 1, 14L, 1L));
        List<SourcingShortlist> shortlist = List.of(
                new SourcingShortlist(
                        T0,
                        3L,
                        1,
                        30L,
                        2.5,
                        1.25,
                        0.05,
                        4.5,
                        0.01,
                        0.0,
                        40L,
                        List.of("forecast 1.3 units/day", "say \"hi\", {braces} \\ back")),
                new SourcingShortlist(T0, 3L, 2, 31L, Double.NaN, 0.0, 0.0, null, 0.0, 0.0, 0L, List.of()));
        DeadLetter bad = new DeadLetter("clicks", "{oops", "not valid JSON", T0);
        List<DeadLetter> dead = List.of(bad, bad, new DeadLetter("clicks", "base64:AAE=", "not valid UTF-8", T0));
        Click click = new Click("e1", "u1", 5L, 6L, ClickAction.VIEW, T0, null, null, null, null, "r\u00e9gion", null);
        List<LateEvent> late = List.of(new LateEvent(click, "late: window final", T0.plusSeconds(10)));

        for (int run = 0; run < 2; run++) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1);
            sink(env, OutputTable.HOT_ITEMS, hot, pg);
            sink(env, OutputTable.SOURCING_SHORTLIST, shortlist, pg);
            sink(env, OutputTable.DEAD_LETTERS, dead, pg);
            sink(env, OutputTable.LATE_EVENTS, late, pg);
            env.execute("postgres sink test " + mode + " run " + run);

            assertThat(
                            rows(
                                    url,
                                    "SELECT window_start, window_end, scope, rank, item_id, views FROM hot_items ORDER BY window_end, scope, rank"))
                    .containsExactly(
                            "1700000000000|1700003600000|7|1|11|5",
                            "1700000000000|1700003600000|all|1|11|5",
                            "1700000000000|1700003600000|all|2|13|6",
                            "1700000000000|1700003900000|all|1|14|1");
            assertThat(rows(
                            url,
                            "SELECT rank, item_id, score, forecast_daily_units, avg_rating, recommended_order_units, "
                                    + "array_length(reasons, 1), reasons[2] FROM sourcing_shortlist ORDER BY rank"))
                    .containsExactly(
                            "1|30|2.5|1.25|4.5|40|2|say \"hi\", {braces} \\ back", "2|31|null|0|null|0|null|null");
            assertThat(rows(url, "SELECT source, raw, reason, ts_ingest FROM dead_letters ORDER BY raw"))
                    .containsExactly(
                            "clicks|base64:AAE=|not valid UTF-8|1700000000000",
                            "clicks|{oops|not valid JSON|1700000000000");
            assertThat(
                            rows(
                                    url,
                                    "SELECT event->>'type', event->>'item_id', event->>'region', event->>'channel', reason, watermark FROM late_events"))
                    .containsExactly("click|5|r\u00e9gion|null|late: window final|1700000010000");
        }
    }

    private static <T extends SpecificRecordBase> void sink(
            StreamExecutionEnvironment env, OutputTable<T> table, List<T> rows, PostgresUpsertSink.Settings pg) {
        env.fromData(rows, new AvroTypeInfo<>(table.type())).sinkTo(new PostgresUpsertSink<>(new PgTable<>(table), pg));
    }

    static List<String> rows(String url, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, LocalPostgres.USER, null);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    b.append(i == 1 ? "" : "|").append(rs.getString(i));
                }
                out.add(b.toString());
            }
        }
        return out;
    }
}
