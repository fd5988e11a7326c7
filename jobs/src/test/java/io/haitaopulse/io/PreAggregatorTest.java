package io.haitaopulse.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.internal.Ingested;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The flush contract of every pre-aggregator: an accumulator leaves right before the watermark
 * that reaches its bucket's last millisecond, everything leaves before a checkpoint barrier and at
 * end of input, and watermarks are forwarded only while the forwarded value grows. Buckets here are
 * 10 ms long; the test operator counts clicks per item and bucket.
 */
class PreAggregatorTest {

    private static final long BUCKET = 10L;

    /** Counts clicks per (item, bucket) and records the watermark each click was judged against. */
    static final class CountPerItem extends PreAggregator<CountPerItem.Key, long[], String> {
        private static final long serialVersionUID = 1L;
        final List<Long> judged = new ArrayList<>();
        private final boolean evenWatermarksOnly;

        CountPerItem(boolean evenWatermarksOnly) {
            super(BUCKET);
            this.evenWatermarksOnly = evenWatermarksOnly;
        }

        record Key(long item, long start) implements PreAggregator.Bucketed {
            @Override
            public long bucketStart() {
                return start;
            }
        }

        @Override
        protected long[] create(Key key) {
            return new long[] {key.item, key.start, 0};
        }

        @Override
        protected void fold(Ingested event, long judgedWatermark) {
            judged.add(judgedWatermark);
            Click c = (Click) event.getBody();
            long ts = c.getTs().toEpochMilli();
            accumulator(new Key(c.getItemId(), ts - ts % BUCKET))[2]++;
        }

        @Override
        protected String output(long[] a) {
            return "item " + a[0] + " bucket " + a[1] + " count " + a[2];
        }

        @Override
        protected long forwardedWatermark(long wm) {
            return evenWatermarksOnly ? wm - Math.floorMod(wm, 2) : wm;
        }
    }

    private static StreamRecord<Ingested> click(long item, long ts, long sourceWatermark) {
        return new StreamRecord<>(
                new Ingested(
                        new Click(
                                "e",
                                "u",
                                item,
                                1L,
                                ClickAction.VIEW,
                                Instant.ofEpochMilli(ts),
                                null,
                                null,
                                null,
                                null,
                                null,
                                null),
                        sourceWatermark),
                ts);
    }

    private static OneInputStreamOperatorTestHarness<Ingested, String> harness(CountPerItem op) throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(op);
        h.open();
        return h;
    }

    /** Output in order, watermarks as "wm t"; cleared after reading. */
    private static List<String> drain(OneInputStreamOperatorTestHarness<Ingested, String> h) {
        List<String> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            out.add(
                    o instanceof Watermark w
                            ? "wm " + w.getTimestamp()
                            : String.valueOf(((StreamRecord<?>) o).getValue()));
        }
        h.getOutput().clear();
        return out;
    }

    @Test
    void aBucketLeavesRightBeforeTheWatermarkThatReachesItsLastMillisecond() throws Exception {
        var h = harness(new CountPerItem(false));
        h.processElement(click(1, 1, Long.MIN_VALUE));
        h.processElement(click(1, 9, Long.MIN_VALUE));
        h.processElement(click(2, 12, Long.MIN_VALUE));
        h.processWatermark(new Watermark(8));
        assertThat(drain(h)).containsExactly("wm 8");
        h.processWatermark(new Watermark(9));
        assertThat(drain(h)).containsExactly("item 1 bucket 0 count 2", "wm 9");
        h.processWatermark(new Watermark(25));
        assertThat(drain(h)).containsExactly("item 2 bucket 10 count 1", "wm 25");
        h.close();
    }

    @Test
    void completeBucketsLeaveOldestFirstAndLaterOnesStayWhateverTheArrivalOrder() throws Exception {
        var h = harness(new CountPerItem(false));
        // Buckets 20, 0 and 10 interleaved, as events of a disordered input arrive.
        h.processElement(click(5, 21, Long.MIN_VALUE));
        h.processElement(click(4, 3, Long.MIN_VALUE));
        h.processElement(click(6, 14, Long.MIN_VALUE));
        h.processElement(click(4, 7, Long.MIN_VALUE));
        h.processElement(click(7, 25, Long.MIN_VALUE));
        h.processElement(click(8, 11, Long.MIN_VALUE));
        h.processWatermark(new Watermark(19));
        List<String> out = drain(h);
        assertThat(out.subList(0, 1)).containsExactly("item 4 bucket 0 count 2");
        assertThat(out.subList(1, 3)).containsExactlyInAnyOrder("item 6 bucket 10 count 1", "item 8 bucket 10 count 1");
        assertThat(out.subList(3, out.size())).containsExactly("wm 19");
        // A bucket emitted is forgotten: a click for it after the watermark starts a new accumulator.
        h.processElement(click(4, 9, 19));
        h.processWatermark(new Watermark(29));
        out = drain(h);
        assertThat(out.subList(0, 1)).containsExactly("item 4 bucket 0 count 1");
        assertThat(out.subList(1, 3)).containsExactlyInAnyOrder("item 5 bucket 20 count 1", "item 7 bucket 20 count 1");
        assertThat(out.subList(3, out.size())).containsExactly("wm 29");
        h.close();
    }

    @Test
    void everythingHeldLeavesBeforeACheckpointBarrierAndAtEndOfInput() throws Exception {
        CountPerItem op = new CountPerItem(false);
        var h = harness(op);
        h.processElement(click(1, 1, Long.MIN_VALUE));
        h.processElement(click(1, 15, Long.MIN_VALUE));
        h.prepareSnapshotPreBarrier(1L);
        assertThat(drain(h)).containsExactlyInAnyOrder("item 1 bucket 0 count 1", "item 1 bucket 10 count 1");
        // Nothing is held in Flink state: the snapshot of a flushed operator is empty.
        assertThat(h.snapshot(1L, 1L).getManagedOperatorState()).isEmpty();
        h.processElement(click(3, 31, Long.MIN_VALUE));
        // At end of input the task finishes its operators.
        op.finish();
        assertThat(drain(h)).containsExactly("item 3 bucket 30 count 1");
        h.close();
    }

    @Test
    void watermarksAreForwardedOnlyWhenTheForwardedValueGrows() throws Exception {
        var h = harness(new CountPerItem(true));
        h.processElement(click(1, 3, Long.MIN_VALUE));
        h.processWatermark(new Watermark(4));
        h.processWatermark(new Watermark(5));
        h.processWatermark(new Watermark(6));
        h.processWatermark(new Watermark(9));
        // The bucket still leaves before the watermark completing it, though 9 is forwarded as 8.
        assertThat(drain(h)).containsExactly("wm 4", "wm 6", "item 1 bucket 0 count 1", "wm 8");
        h.close();
    }

    @Test
    void eventsAreFoldedAgainstTheLargerOfTheirSourceWatermarkAndThisOperatorsOne() throws Exception {
        CountPerItem op = new CountPerItem(false);
        var h = harness(op);
        h.processWatermark(new Watermark(20));
        h.processElement(click(1, 25, 30));
        h.processElement(click(1, 26, 5));
        assertThat(op.judged).containsExactly(30L, 20L);
        h.close();
    }
}
