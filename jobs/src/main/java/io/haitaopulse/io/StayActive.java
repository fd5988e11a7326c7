package io.haitaopulse.io;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Passes records and watermarks through and keeps the stream {@link WatermarkStatus#ACTIVE} for
 * every operator after it, whatever the inputs before it say. Chained right behind the exchange
 * that gathers every input ({@link Ingest#gather}), where lateness is judged.
 *
 * <p>Why: Flink leaves an idle channel out of an operator's watermark, and when it becomes active
 * again behind that watermark it stays out until it catches up. Each subtask of the gathering
 * exchange sees every input and so the same watermarks, but idleness reaches the operators after
 * it one subtask at a time; a subtask that had gone idle and resumes behind its peers would then
 * deliver counts of events it judged on time to a keyed operator that has already passed them
 * (observed under CPU load: 116 to 360 pane counts dropped at the Top-N). Without idleness after
 * the gathering, every keyed operator after it is at or behind the slowest gathering subtask, so
 * what that subtask judged on time is on time everywhere after it. Idleness keeps its purpose
 * before the gathering: a silent input still stops holding event time back.
 *
 * @param <T> the record type
 */
public final class StayActive<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {

    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(StreamRecord<T> element) {
        output.collect(element);
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus watermarkStatus) {
        // Dropped on purpose: see the class comment.
    }
}
