package io.haitaopulse.io;

import io.haitaopulse.schema.internal.Ingested;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Pre-aggregation inside the source chain, chained right behind a job's lateness routing and
 * before a keyed exchange: a subclass folds each routed event into accumulators keyed by group
 * and time bucket ({@link #accumulator}), and an accumulator is emitted once the watermark has
 * reached the last millisecond of its bucket, before that watermark is forwarded (so it is never
 * late downstream). Before every checkpoint barrier and at end of input everything held is
 * emitted, so the operator keeps no Flink state and a checkpoint never contains half an
 * accumulator. Consumers downstream combine the accumulators of the same group and bucket, which
 * is what makes emitting one early always correct.
 *
 * <p>Accumulators are emitted in the iteration order of a {@link HashMap} of their keys, so equal
 * keys and inputs give the same output order.
 *
 * @param <K> key of one accumulator: group and bucket
 * @param <V> accumulator held per key
 * @param <OUT> the record an accumulator is emitted as
 */
public abstract class PreAggregator<K extends PreAggregator.Bucketed, V, OUT> extends AbstractStreamOperator<OUT>
        implements OneInputStreamOperator<Ingested, OUT> {

    private static final long serialVersionUID = 1L;

    /** A key whose bucket starts at {@link #bucketStart} and spans the operator's bucket length. */
    public interface Bucketed {
        long bucketStart();
    }

    private final long bucketLength;
    private transient Map<K, V> accumulators;
    private transient Function<K, V> create;
    private transient long minBucket;
    private transient StreamRecord<OUT> reuse;
    private transient long watermark;
    private transient long forwarded;

    /** Pre-aggregates in buckets of {@code bucketLength} ms. */
    protected PreAggregator(long bucketLength) {
        this.bucketLength = bucketLength;
    }

    /** A new, empty accumulator for {@code key}. */
    protected abstract V create(K key);

    /** Folds one routed event, judged by the routing against {@code judgedWatermark}, into its accumulators. */
    protected abstract void fold(Ingested event, long judgedWatermark);

    /** The record {@code accumulator} is emitted as. */
    protected abstract OUT output(V accumulator);

    /**
     * The watermark to pass downstream for {@code wm}; forwarding stops while it does not grow.
     * Sources advance their watermark with nearly every event, and each one crosses the shuffle
     * and wakes every downstream timer service; a subclass whose consumers only act at certain
     * times may forward a lower watermark that fires exactly the same timers.
     */
    protected long forwardedWatermark(long wm) {
        return wm;
    }

    @Override
    public void open() throws Exception {
        super.open();
        accumulators = new HashMap<>();
        create = this::create;
        minBucket = Long.MAX_VALUE;
        reuse = new StreamRecord<>(null);
        watermark = Long.MIN_VALUE;
        forwarded = Long.MIN_VALUE;
    }

    /** The accumulator of {@code key}, created when missing. */
    protected final V accumulator(K key) {
        minBucket = Math.min(minBucket, key.bucketStart());
        return accumulators.computeIfAbsent(key, create);
    }

    @Override
    public final void processElement(StreamRecord<Ingested> element) {
        Ingested event = element.getValue();
        // Chained right behind the lateness routing: the same watermark it judged the event by.
        fold(event, Ingest.judgingWatermark(event, watermark));
    }

    @Override
    public final void processWatermark(Watermark mark) throws Exception {
        long wm = mark.getTimestamp();
        watermark = Math.max(watermark, wm);
        // A bucket is complete when the watermark has reached its last millisecond.
        if (minBucket != Long.MAX_VALUE && minBucket + bucketLength - 1 <= watermark) {
            emit(watermark);
        }
        long forward = forwardedWatermark(watermark);
        if (forward > forwarded) {
            forwarded = forward;
            super.processWatermark(forward == wm ? mark : new Watermark(forward));
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        emit(Long.MAX_VALUE);
    }

    @Override
    public void finish() throws Exception {
        emit(Long.MAX_VALUE);
        super.finish();
    }

    /** Emits and forgets every accumulator whose bucket ends at or before {@code wm + 1}. */
    private void emit(long wm) {
        long nextMin = Long.MAX_VALUE;
        for (Iterator<Map.Entry<K, V>> it = accumulators.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<K, V> e = it.next();
            long start = e.getKey().bucketStart();
            if (wm == Long.MAX_VALUE || start + bucketLength - 1 <= wm) {
                output.collect(reuse.replace(output(e.getValue())));
                it.remove();
            } else {
                nextMin = Math.min(nextMin, start);
            }
        }
        minBucket = nextMin;
    }
}
