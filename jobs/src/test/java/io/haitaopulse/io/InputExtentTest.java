package io.haitaopulse.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.internal.Ingested;
import java.time.Instant;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The input's extent survives a restore and is told once, just before the final watermark. */
class InputExtentTest {

    private static final long MAX_DELAY = 5_000L;

    private static Ingested click(long ts) {
        return new Ingested(
                new Click(
                        "e" + ts,
                        "u",
                        1L,
                        2L,
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

    @Test
    void theLargestEventTimeBeforeAndAfterARestoreIsToldBeforeTheFinalWatermark() throws Exception {
        var before = new OneInputStreamOperatorTestHarness<Ingested, Long>(new InputExtent(MAX_DELAY));
        before.open();
        before.processElement(click(90_000L), 90_000L);
        before.processElement(click(70_000L), 70_000L);
        before.processWatermark(new Watermark(60_000L));
        OperatorSubtaskState checkpoint = before.snapshot(1L, 1L);
        assertThat(before.extractOutputValues())
                .as("nothing before the end of input")
                .isEmpty();
        before.close();

        var after = new OneInputStreamOperatorTestHarness<Ingested, Long>(new InputExtent(MAX_DELAY));
        after.initializeState(checkpoint);
        after.open();
        // Re-read after the restore, behind what was read before it.
        after.processElement(click(80_000L), 80_000L);
        after.processWatermark(Watermark.MAX_WATERMARK);
        assertThat(after.getOutput())
                .as("the extent, then the final watermark")
                .containsExactly(new StreamRecord<>(90_000L - MAX_DELAY - 1), Watermark.MAX_WATERMARK);
        after.close();
    }

    @Test
    void anInputWithoutEventsTellsNothing() throws Exception {
        var h = new OneInputStreamOperatorTestHarness<Ingested, Long>(new InputExtent(MAX_DELAY));
        h.open();
        h.processWatermark(Watermark.MAX_WATERMARK);
        assertThat(h.extractOutputValues()).isEqualTo(List.of());
        h.close();
    }
}
