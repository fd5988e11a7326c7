package io.haitaopulse.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Ends of a benchmark graph. Timed runs count rows (an accumulator) and discard them, so sinks
 * cost the same for every case; the same-rows check collects them in this JVM instead.
 */
public final class Outputs {

    /** Accumulator: rows that reached a sink. */
    public static final String ROWS = "bench.rows";

    private static final Map<String, Queue<Object>> COLLECTED = new ConcurrentHashMap<>();

    private Outputs() {}

    /** Counts and discards {@code rows}. */
    public static <T> void discard(DataStream<T> rows, String name) {
        rows.map(new CountRows<T>(), rows.getType())
                .name("count-" + name)
                .sinkTo(new DiscardingSink<>())
                .name("discard-" + name);
    }

    /** Collects {@code rows} mapped to hot rows under {@code id}, readable with {@link #take}. */
    public static void collect(DataStream<HotRow> rows, String id) {
        COLLECTED.putIfAbsent(id, new ConcurrentLinkedQueue<>());
        rows.sinkTo(new CollectingSink(id)).name("collect-" + id);
    }

    /** The rows collected under {@code id}, forgetting them. */
    public static List<HotRow> take(String id) {
        Queue<Object> q = COLLECTED.remove(id);
        List<HotRow> out = new ArrayList<>();
        if (q != null) {
            q.forEach(o -> out.add((HotRow) o));
        }
        return out;
    }

    /** The type of {@link HotRow} streams (a Flink POJO would need setters; a record is fine as a generic-free type). */
    static TypeInformation<HotRow> hotRowType() {
        return TypeInformation.of(HotRow.class);
    }

    private static final class CountRows<T> extends RichMapFunction<T, T> {
        private static final long serialVersionUID = 1L;
        private transient LongCounter rows;

        @Override
        public void open(OpenContext openContext) {
            rows = getRuntimeContext().getLongCounter(ROWS);
        }

        @Override
        public T map(T value) {
            rows.add(1L);
            return value;
        }
    }

    private static final class CollectingSink implements Sink<HotRow> {
        private static final long serialVersionUID = 1L;
        private final String id;

        CollectingSink(String id) {
            this.id = id;
        }

        @Override
        public SinkWriter<HotRow> createWriter(WriterInitContext context) {
            Queue<Object> q = COLLECTED.get(id);
            return new SinkWriter<>() {
                @Override
                public void write(HotRow element, Context context) {
                    q.add(element);
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
