package io.haitaopulse.io;

import io.haitaopulse.schema.internal.Ingested;
import java.util.List;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * How far the input reaches in event time, told downstream at the end of input: when the final
 * watermark ({@link Long#MAX_VALUE}) arrives, this operator first emits one record, the largest
 * watermark any input generated ({@code max event time − maxDelay − 1}, as {@link PulseWatermarks}
 * computes it) over the events it saw, and then forwards the final watermark.
 *
 * <p>Why: the last finite watermark an operator sees before the end of input is that of whichever
 * input finishes last in wall-clock time, which a restore can change (an input restored from an
 * early checkpoint may be the last to finish). Rows emitted "while event time advances" then
 * depend on that path. Broadcast to every subtask of a consumer, the largest of these records is a
 * function of the input alone. The value is checkpointed (union list state, the largest wins), so
 * a restored run reports the same extent as an uninterrupted one.
 */
public final class InputExtent extends AbstractStreamOperator<Long> implements OneInputStreamOperator<Ingested, Long> {

    private static final long serialVersionUID = 1L;

    /** Broadcast state of a consumer: the extent under one key, once the end of input told it. */
    public static final MapStateDescriptor<String, Long> STATE =
            new MapStateDescriptor<>("input-extent", Types.STRING, Types.LONG);

    private static final String KEY = "watermark";

    private final long maxDelay;
    private transient ListState<Long> state;
    private transient long maxTs;

    /**
     * The extent of {@code events} (routed, chained to them as {@code uid}), ready to connect to
     * the keyed operators that need it; they keep it with {@link #record} and read it with {@link #of}.
     */
    public static BroadcastStream<Long> broadcast(DataStream<Ingested> events, long maxDelayMillis, String uid) {
        return events.transform(uid, Types.LONG, new InputExtent(maxDelayMillis))
                .uid(uid)
                .setParallelism(events.getParallelism())
                .broadcast(STATE);
    }

    /** Keeps the largest extent told (one per subtask of this operator arrives). */
    public static void record(BroadcastState<String, Long> state, long extent) throws Exception {
        Long known = state.get(KEY);
        state.put(KEY, known == null ? extent : Math.max(known, extent));
    }

    /**
     * Whether the end of input may end rows at {@code fireTime}: nothing has been told (not the
     * end, or no events) or event time never reached it. Rows at or before the extent are written
     * as an uninterrupted run would have written them while its watermark advanced.
     */
    public static boolean beyond(ReadOnlyBroadcastState<String, Long> state, long fireTime) throws Exception {
        Long extent = state.get(KEY);
        return extent == null || fireTime > extent;
    }

    /** Reports the extent of watermarks generated with bounded disorder {@code maxDelayMillis}. */
    public InputExtent(long maxDelayMillis) {
        this.maxDelay = maxDelayMillis;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        state = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("input-extent", Types.LONG));
        maxTs = Long.MIN_VALUE;
        for (Long ts : state.get()) {
            maxTs = Math.max(maxTs, ts);
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        state.update(List.of(maxTs));
    }

    @Override
    public void processElement(StreamRecord<Ingested> element) {
        maxTs = Math.max(maxTs, EventTime.ofBody(element.getValue().getBody()));
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() == Long.MAX_VALUE && maxTs != Long.MIN_VALUE) {
            output.collect(new StreamRecord<>(maxTs - maxDelay - 1));
        }
        super.processWatermark(mark);
    }
}
