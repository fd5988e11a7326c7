package io.haitaopulse.io;

import io.haitaopulse.schema.internal.Ingested;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
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
 * <p>Accumulators are held per bucket and emitted bucket by bucket, oldest first, each bucket's in
 * the iteration order of a {@link HashMap} of their keys, so equal keys and inputs give the same
 * output order. An emission visits only the buckets it completes: the watermark trails the events,
 * so a single map of every bucket had each emission walk the later buckets' accumulators too
 * (4 % of the hot-items job's CPU, more at the demo's time compression).
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

    /** Emptied maps kept for reuse: as many buckets as are usually open at once. */
    private static final int MAX_SPARE = 4;

    private final long bucketLength;
    /** The accumulators of each bucket held, by bucket start. */
    private transient TreeMap<Long, Map<K, V>> buckets;
    /** The bucket folded into last, and its map: consecutive events nearly always share a bucket. */
    private transient long lastBucket;

    private transient Map<K, V> lastAccumulators;
    /**
     * Maps of emitted buckets, emptied, for the next buckets: a new map per bucket grew from 16
     * slots to the bucket's size by rehashing every time, which cost more than the walk it saved.
     */
    private transient ArrayDeque<Map<K, V>> spare;

    private transient Function<K, V> create;
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
     * Emits the accumulators of one completed bucket, in the order given: by default each as
     * {@link #output}, one record each. A subclass may combine several accumulators into one record
     * (through {@link #collect}) when its consumer handles them together.
     */
    protected void emitBucket(Collection<V> accumulators) {
        for (V accumulator : accumulators) {
            collect(output(accumulator));
        }
    }

    /** Sends {@code record} downstream. */
    protected final void collect(OUT record) {
        output.collect(reuse.replace(record));
    }

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
        buckets = new TreeMap<>();
        lastBucket = Long.MIN_VALUE;
        lastAccumulators = null;
        spare = new ArrayDeque<>();
        create = this::create;
        reuse = new StreamRecord<>(null);
        watermark = Long.MIN_VALUE;
        forwarded = Long.MIN_VALUE;
    }

    /** The accumulator of {@code key}, created when missing. */
    protected final V accumulator(K key) {
        long bucket = key.bucketStart();
        if (bucket != lastBucket || lastAccumulators == null) {
            lastAccumulators = buckets.computeIfAbsent(bucket, b -> spare.isEmpty() ? new HashMap<>() : spare.pop());
            lastBucket = bucket;
        }
        return lastAccumulators.computeIfAbsent(key, create);
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
        emit(watermark);
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

    /**
     * Emits and forgets every accumulator whose bucket is complete at watermark {@code wm}: the
     * watermark has reached the bucket's last millisecond.
     */
    private void emit(long wm) {
        while (!buckets.isEmpty()) {
            Map.Entry<Long, Map<K, V>> first = buckets.firstEntry();
            if (wm != Long.MAX_VALUE && first.getKey() + bucketLength - 1 > wm) {
                return;
            }
            buckets.pollFirstEntry();
            if (first.getValue() == lastAccumulators) {
                lastAccumulators = null;
            }
            Map<K, V> emitted = first.getValue();
            emitBucket(emitted.values());
            emitted.clear();
            if (spare.size() < MAX_SPARE) {
                spare.push(emitted);
            }
        }
    }
}
