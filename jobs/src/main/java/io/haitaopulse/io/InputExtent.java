package io.haitaopulse.io;

import io.haitaopulse.schema.internal.Ingested;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
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

    private final long maxDelay;
    private transient ListState<Long> state;
    private transient long maxTs;

    /** Reports the extent of watermarks generated with bounded disorder {@code maxDelayMillis}. */
    public InputExtent(long maxDelayMillis) {
        this.maxDelay = maxDelayMillis;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        state = context.getOperatorStateStore().getUnionListState(new ListStateDescriptor<>("input-extent", Types.LONG));
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
