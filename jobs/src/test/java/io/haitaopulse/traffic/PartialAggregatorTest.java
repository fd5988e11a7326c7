package io.haitaopulse.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.internal.Ingested;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Partials leave before the watermark that completes them, and all of them before a checkpoint barrier. */
class PartialAggregatorTest {

    private static final TumblingWindow MINUTE = new TumblingWindow(60_000L, 0L);

    private static Ingested view(String user, long ts) {
        return new Ingested(
                new Click(
                        "e",
                        user,
                        1L,
                        9L,
                        ClickAction.VIEW,
                        Instant.ofEpochMilli(ts),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null),
                Long.MIN_VALUE);
    }

    private static OneInputStreamOperatorTestHarness<Ingested, DistinctPartial> harness() throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(
                new PartialAggregator(new TrafficPipeline.TrafficHits(MINUTE), 60_000L));
        h.open();
        return h;
    }

    /** Output in order: partials of segment "all" as "start pv users", watermarks as "wm t". */
    private static List<String> shown(OneInputStreamOperatorTestHarness<Ingested, DistinctPartial> h) {
        List<String> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof Watermark w) {
                out.add("wm " + w.getTimestamp());
            } else if (o instanceof StreamRecord<?> r
                    && r.getValue() instanceof DistinctPartial p
                    && p.segment.equals(TrafficPipeline.segment(TrafficPipeline.ALL, TrafficPipeline.ALL))) {
                out.add(p.windowStart + " pv " + p.events + " users " + p.size + (p.minuteOpen ? "" : " hour-only"));
            }
        }
        return out;
    }

    @Test
    void aMinutesPartialLeavesBeforeTheWatermarkThatCompletesIt() throws Exception {
        var h = harness();
        h.processElement(view("a", 1_000), 1_000);
        h.processElement(view("a", 2_000), 2_000);
        h.processElement(view("b", 61_000), 61_000);
        h.processWatermark(new Watermark(59_998));
        h.processWatermark(new Watermark(59_999));
        h.processElement(view("c", 30_000), 30_000); // its minute is final: counts in the hour only
        h.processWatermark(new Watermark(200_000));
        List<String> shown = shown(h);
        assertThat(shown).hasSize(6);
        assertThat(shown.subList(0, 3)).containsExactly("wm 59998", "0 pv 2 users 1", "wm 59999");
        // Partials completed by the same watermark leave together, in no particular order.
        assertThat(shown.subList(3, 5)).containsExactlyInAnyOrder("0 pv 1 users 1 hour-only", "60000 pv 1 users 1");
        assertThat(shown.get(5)).isEqualTo("wm 200000");
        h.close();
    }

    @Test
    void everythingLeavesBeforeACheckpointBarrier() throws Exception {
        var h = harness();
        h.processElement(view("a", 1_000), 1_000);
        h.processElement(view("b", 1_500), 1_500);
        h.prepareSnapshotPreBarrier(1L);
        assertThat(shown(h)).containsExactly("0 pv 2 users 2");
        DistinctPartial p = (DistinctPartial) ((StreamRecord<?>) h.getOutput().peek()).getValue();
        assertThat(Arrays.copyOf(p.users, p.size)).doesNotHaveDuplicates();
        h.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(shown(h)).containsExactly("0 pv 2 users 2", "wm " + Long.MAX_VALUE);
        h.close();
    }
}
