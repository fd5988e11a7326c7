package io.haitaopulse.bench;

import io.haitaopulse.common.PulseOptions;
import io.haitaopulse.live.Topics;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.internal.Ingested;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;

/**
 * The same hot items in Flink SQL, as its documentation recommends: a HOP window table-valued
 * function with a windowed {@code COUNT(*)} (which Flink plans as a sliced, pane-sharing window
 * aggregate with local/global two-phase aggregation), then a window Top-N with {@code ROW_NUMBER()}
 * per window and per (window, category). The clicks arrive from the same source as every case,
 * as rows with a rowtime taken from the source's timestamps and the source's own watermarks.
 *
 * <p>Two cases run this query: {@link #asDocumented()} with Flink's defaults, and {@link #tuned()}
 * with the table options of Flink's performance-tuning guide set ({@link #TUNED_OPTIONS}). The
 * benchmark compares against the faster of the two.
 */
public final class FlinkSqlHotItems implements BenchCase {

    /** Name of the case with Flink's default table options. */
    public static final String NAME = "hot_items_flink_sql";

    /** Name of the case with {@link #TUNED_OPTIONS}. */
    public static final String TUNED_NAME = "hot_items_flink_sql_tuned";

    /**
     * The options a Flink SQL user sets for a windowed aggregation, after Flink's performance-tuning
     * guide: mini-batch (5 s, 5,000 rows) and local/global two-phase aggregation. For this query in
     * Flink 2.2 they add one operator, a row-time {@code MiniBatchAssigner} that forwards only the
     * watermarks crossing a 5 s boundary of event time: window aggregation already buffers its
     * input in managed memory, and already runs in two phases by default ({@code AUTO}).
     * docs/development/benchmarks.md shows both plans.
     */
    public static final Map<String, String> TUNED_OPTIONS = tunedOptions();

    private final String name;
    private final Map<String, String> options;

    private FlinkSqlHotItems(String name, Map<String, String> options) {
        this.name = name;
        this.options = options;
    }

    /** The query with Flink's default table options. */
    public static FlinkSqlHotItems asDocumented() {
        return new FlinkSqlHotItems(NAME, Map.of());
    }

    /** The same query with {@link #TUNED_OPTIONS}. */
    public static FlinkSqlHotItems tuned() {
        return new FlinkSqlHotItems(TUNED_NAME, TUNED_OPTIONS);
    }

    private static Map<String, String> tunedOptions() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("table.exec.mini-batch.enabled", "true");
        m.put("table.exec.mini-batch.allow-latency", "5 s");
        m.put("table.exec.mini-batch.size", "5000");
        m.put("table.optimizer.agg-phase-strategy", "TWO_PHASE");
        return Collections.unmodifiableMap(m);
    }

    static final TypeInformation<Row> CLICK_ROW = Types.ROW_NAMED(
            new String[] {"user_id", "item_id", "category_id", "action"},
            Types.STRING,
            Types.LONG,
            Types.LONG,
            Types.STRING);

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        String what = "Flink SQL: HOP window TVF COUNT + ROW_NUMBER window Top-N (all and per category)";
        return options.isEmpty() ? what : what + ", with " + options;
    }

    @Override
    public List<Topics.Input<?>> inputs() {
        return List.of(Topics.CLICKS);
    }

    /** The clicks of {@code in} as a table {@code clicks} with a rowtime attribute and the source's watermarks. */
    static StreamTableEnvironment clicksTable(Inputs in) {
        StreamTableEnvironment tEnv = StreamTableEnvironment.create(in.env());
        // Windows align to the epoch in UTC, as the Pulse jobs' do.
        tEnv.getConfig().setLocalTimeZone(ZoneOffset.UTC);
        DataStream<Row> rows = in.source(Topics.CLICKS)
                .flatMap(
                        (Ingested e, Collector<Row> out) -> {
                            if (e.getBody() instanceof Click c) {
                                out.collect(Row.of(
                                        c.getUserId(),
                                        c.getItemId(),
                                        c.getCategoryId(),
                                        c.getAction().name()));
                            }
                        },
                        CLICK_ROW)
                .name("click-rows");
        Table clicks = tEnv.fromDataStream(
                rows,
                Schema.newBuilder()
                        .columnByMetadata("rowtime", "TIMESTAMP_LTZ(3)")
                        .watermark("rowtime", "SOURCE_WATERMARK()")
                        .build());
        tEnv.createTemporaryView("clicks", clicks);
        return tEnv;
    }

    /** The query; public so that the report and docs/development/benchmarks.md show exactly what ran. */
    public static String query(Duration window, Duration slide, int top) {
        String hop = "TABLE(HOP(TABLE clicks, DESCRIPTOR(rowtime), INTERVAL '" + slide.toSeconds()
                + "' SECOND(9), INTERVAL '" + window.toSeconds() + "' SECOND(9)))";
        return "WITH counts AS (\n"
                + "  SELECT window_start, window_end, category_id, item_id, COUNT(*) AS view_count\n"
                + "  FROM " + hop + "\n"
                + "  WHERE action = 'VIEW'\n"
                + "  GROUP BY window_start, window_end, category_id, item_id)\n"
                + "SELECT window_end, 'all' AS `scope`, rn, item_id, view_count FROM (\n"
                + "  SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY view_count DESC, item_id ASC) AS rn\n"
                + "  FROM counts) WHERE rn <= " + top + "\n"
                + "UNION ALL\n"
                + "SELECT window_end, CAST(category_id AS STRING) AS `scope`, rn, item_id, view_count FROM (\n"
                + "  SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end, category_id ORDER BY view_count DESC, item_id ASC) AS rn\n"
                + "  FROM counts) WHERE rn <= " + top;
    }

    /** The clicks table of {@code in} with this case's table options set. */
    private StreamTableEnvironment tableEnvironment(Inputs in) {
        StreamTableEnvironment tEnv = clicksTable(in);
        options.forEach((k, v) -> tEnv.getConfig().set(k, v));
        return tEnv;
    }

    private static String query(Configuration conf) {
        return query(conf.get(PulseOptions.WINDOW), conf.get(PulseOptions.SLIDE), conf.get(PulseOptions.TOP));
    }

    /** The optimized execution plan of this case's query over {@code in} ({@code EXPLAIN}'s last section). */
    String executionPlan(Inputs in) {
        String explained = tableEnvironment(in).explainSql(query(in.jobConf()));
        String marker = "== Optimized Execution Plan ==";
        int at = explained.indexOf(marker);
        if (at < 0) {
            throw new IllegalStateException("EXPLAIN printed no execution plan: " + explained);
        }
        return explained.substring(at + marker.length()).strip();
    }

    @Override
    public void build(Inputs in, String collectId) {
        StreamTableEnvironment tEnv = tableEnvironment(in);
        Table result = tEnv.sqlQuery(query(in.jobConf()));
        DataStream<HotRow> rows = tEnv.toDataStream(result)
                .map(
                        r -> new HotRow(
                                ((LocalDateTime) r.getField(0))
                                        .toInstant(ZoneOffset.UTC)
                                        .toEpochMilli(),
                                (String) r.getField(1),
                                ((Long) r.getField(2)).intValue(),
                                (Long) r.getField(3),
                                (Long) r.getField(4)),
                        Outputs.hotRowType())
                .name("sql-to-hot-rows");
        if (collectId != null) {
            Outputs.collect(rows, collectId);
        } else {
            Outputs.discard(rows, "hot_items");
        }
    }
}
