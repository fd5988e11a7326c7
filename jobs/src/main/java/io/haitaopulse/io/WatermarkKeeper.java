package io.haitaopulse.io;

import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Makes event time survive a restore. Flink checkpoints offsets and state but not watermarks:
 * after a failure every operator starts again with no watermark, so an event replayed from the
 * checkpoint's offsets could be judged on time where it was late the first time, and a keyed
 * operator could re-open a window it had already emitted as final. Chained right behind each
 * source, this operator checkpoints the watermark it has forwarded and, after a restore, emits it
 * again before any record; it never lets the watermark go back. Every decision that depends on
 * the watermark is then the same as in an uninterrupted run.
 *
 * <p>Exact while each reader keeps its splits (same parallelism). After rescaling, readers get
 * other partitions, so every subtask restores the smallest watermark of the old subtasks: that
 * never makes an event late that was not, but may let a window see an event it had been final for.
 *
 * @param <T> the record type, passed through unchanged
 */
public final class WatermarkKeeper<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {

    private static final long serialVersionUID = 1L;

    private transient ListState<Tuple3<Integer, Integer, Long>> state;
    private transient long forwarded;

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        state = context.getOperatorStateStore()
                .getUnionListState(
                        new ListStateDescriptor<>("pulse-watermark", Types.TUPLE(Types.INT, Types.INT, Types.LONG)));
        forwarded = Long.MIN_VALUE;
        if (!context.isRestored()) {
            return;
        }
        int me = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        long own = Long.MIN_VALUE;
        long smallest = Long.MAX_VALUE;
        boolean sameParallelism = false;
        for (Tuple3<Integer, Integer, Long> e : state.get()) {
            smallest = Math.min(smallest, e.f2);
            if (e.f1 == parallelism) {
                sameParallelism = true;
                if (e.f0 == me) {
                    own = e.f2;
                }
            }
        }
        forwarded = sameParallelism ? own : smallest == Long.MAX_VALUE ? Long.MIN_VALUE : smallest;
    }

    @Override
    public void open() throws Exception {
        super.open();
        getMetricGroup()
                .gauge(
                        Ingest.Metrics.EVENT_TIME_LAG,
                        () -> forwarded == Long.MIN_VALUE || forwarded == Long.MAX_VALUE
                                ? null
                                : getProcessingTimeService().getCurrentProcessingTime() - forwarded);
        if (forwarded != Long.MIN_VALUE) {
            super.processWatermark(new Watermark(forwarded));
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        state.update(List.of(Tuple3.of(
                getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks(),
                forwarded)));
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        output.collect(element);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() > forwarded) {
            forwarded = mark.getTimestamp();
            super.processWatermark(mark);
        }
    }
}
