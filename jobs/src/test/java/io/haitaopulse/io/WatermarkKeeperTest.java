package io.haitaopulse.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The watermark survives a restore, is re-emitted before any record, and never goes back. */
class WatermarkKeeperTest {

    @Test
    void restoredWatermarkIsEmittedFirstAndNeverRegresses() throws Exception {
        OperatorSubtaskState snapshot;
        {
            var h = new OneInputStreamOperatorTestHarness<>(new WatermarkKeeper<String>());
            h.open();
            h.processElement(new StreamRecord<>("a", 10L));
            h.processWatermark(new Watermark(100L));
            h.processWatermark(new Watermark(90L)); // a lower watermark is swallowed
            h.processElement(new StreamRecord<>("b", 95L));
            assertThat(outputs(h)).containsExactly("a", "wm 100", "b");
            snapshot = h.snapshot(1L, 1L);
            h.processWatermark(new Watermark(300L)); // after the checkpoint: not in it
            h.close();
        }
        {
            var h = new OneInputStreamOperatorTestHarness<>(new WatermarkKeeper<String>());
            h.initializeState(snapshot);
            h.open();
            // The source starts again from no watermark; its first low watermarks must not pass.
            h.processWatermark(new Watermark(50L));
            h.processElement(new StreamRecord<>("c", 60L));
            h.processWatermark(new Watermark(150L));
            assertThat(outputs(h)).containsExactly("wm 100", "c", "wm 150");
            h.close();
        }
    }

    @Test
    void freshStartEmitsNothingBeforeTheFirstWatermark() throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(new WatermarkKeeper<String>());
        h.open();
        h.processElement(new StreamRecord<>("a", 1L));
        assertThat(outputs(h)).containsExactly("a");
        h.close();
    }

    private static List<String> outputs(OneInputStreamOperatorTestHarness<String, String> h) {
        List<String> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof Watermark w) {
                out.add("wm " + w.getTimestamp());
            } else if (o instanceof StreamRecord<?> r) {
                out.add(String.valueOf(r.getValue()));
            }
        }
        return out;
    }
}
