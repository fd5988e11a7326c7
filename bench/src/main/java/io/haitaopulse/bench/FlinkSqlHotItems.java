package io.haitaopulse.bench;

import io.haitaopulse.common.PulseOptions;
import io.haitaopulse.live.Topics;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.internal.Ingested;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
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
 */
public final class FlinkSqlHotItems implements BenchCase {

    static final TypeInformation<Row> CLICK_ROW = Types.ROW_NAMED(
            new String[] {"user_id", "item_id", "category_id", "action"},
            Types.STRING,
            Types.LONG,
            Types.LONG,
            Types.STRING);

    @Override
    public String name() {
        return "hot_items_flink_sql";
    }

    @Override
    public String description() {
        return "Flink SQL: HOP window TVF COUNT + ROW_NUMBER window Top-N (all and per category)";
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

    @Override
    public void build(Inputs in, String collectId) {
        Configuration conf = in.jobConf();
        StreamTableEnvironment tEnv = clicksTable(in);
        Table result = tEnv.sqlQuery(
                query(conf.get(PulseOptions.WINDOW), conf.get(PulseOptions.SLIDE), conf.get(PulseOptions.TOP)));
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
