package io.haitaopulse.trends;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.internal.Ingested;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ViewPaneAggregatorTest {

    private static StreamRecord<Ingested> click(long item, ClickAction action, long ts) {
        return new StreamRecord<>(
                new Ingested(
                        new Click(
                                "e",
                                "u",
                                item,
                                7L,
                                action,
                                Instant.ofEpochMilli(ts),
                                null,
                                null,
                                null,
                                null,
                                null,
                                null),
                        Long.MIN_VALUE),
                ts);
    }

    /** The output as lines, a batch's counts one line each; checks every count is in its batch's shard. */
    private static List<String> drain(OneInputStreamOperatorTestHarness<Ingested, ShardPaneCounts> h) {
        List<String> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof Watermark w) {
                out.add("wm " + w.getTimestamp());
            } else {
                ShardPaneCounts batch = (ShardPaneCounts) ((StreamRecord<?>) o).getValue();
                for (PaneCount p : batch.counts) {
                    assertThat(TrendsPipeline.shardOf(p.itemId))
                            .as("shard of %s", p)
                            .isEqualTo(batch.shard);
                    out.add("item " + p.itemId + " pane " + p.paneStart + " views " + p.views
                            + (p.fromWindowEnd == 0 ? "" : " from " + p.fromWindowEnd));
                }
            }
        }
        h.getOutput().clear();
        return out;
    }

    @Test
    void sendsAPanesCountsAsOneRecordPerShardInShardOrder() throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(new ViewPaneAggregator(new SlidingWindows(10, 5, 0)));
        h.open();
        Set<Long> shards = new TreeSet<>();
        List<String> expected = new ArrayList<>();
        for (long item = 1; item <= 200; item++) {
            h.processElement(click(item, ClickAction.VIEW, 1));
            h.processElement(click(item, ClickAction.VIEW, 2));
            shards.add(TrendsPipeline.shardOf(item));
            expected.add("item " + item + " pane 0 views 2");
        }
        h.processElement(click(7, ClickAction.VIEW, 5)); // the next pane: not emitted yet
        h.processWatermark(4);
        List<Long> batches = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                batches.add(((ShardPaneCounts) r.getValue()).shard);
            }
        }
        assertThat(shards).hasSizeGreaterThan(20);
        assertThat(batches).as("one record per shard with counts, ascending").containsExactlyElementsOf(shards);
        expected.add("wm 4");
        assertThat(drain(h)).containsExactlyInAnyOrderElementsOf(expected);
        h.close();
    }

    @Test
    void emitsEachCompletePaneOnceBeforeTheWatermarkThatCompletesIt() throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(new ViewPaneAggregator(new SlidingWindows(10, 5, 0)));
        h.open();
        h.processElement(click(1, ClickAction.VIEW, 1));
        h.processElement(click(1, ClickAction.VIEW, 2));
        h.processElement(click(1, ClickAction.CART, 3)); // not a view
        h.processElement(click(2, ClickAction.VIEW, 6));
        h.processWatermark(3);
        // Downstream acts only at window timers (…4, 9, 14…): 3 goes on as the last grid point before it.
        assertThat(drain(h)).containsExactly("wm -1");
        h.processWatermark(4);
        assertThat(drain(h)).containsExactly("item 1 pane 0 views 2", "wm 4");
        h.processElement(click(2, ClickAction.VIEW, 7));
        // A checkpoint must not hold half-counted panes: they are sent before the barrier.
        h.prepareSnapshotPreBarrier(1L);
        assertThat(drain(h)).containsExactly("item 2 pane 5 views 2");
        h.processElement(click(2, ClickAction.VIEW, 8));
        h.processWatermark(6);
        h.processWatermark(8);
        assertThat(drain(h)).as("no grid point crossed, nothing forwarded").isEmpty();
        h.processWatermark(9);
        assertThat(drain(h)).containsExactly("item 2 pane 5 views 1", "wm 9");
        h.close();
    }

    @Test
    void partlyLateViewsAreCountedApartWithTheFirstWindowStillOpen() throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(new ViewPaneAggregator(new SlidingWindows(10, 5, 0)));
        h.open();
        h.processWatermark(11);
        drain(h);
        // ts 3: windows ending 5 and 10 are final at watermark 11, 15 is open.
        h.processElement(click(4, ClickAction.VIEW, 3));
        h.processElement(click(4, ClickAction.VIEW, 12));
        h.processWatermark(14);
        assertThat(drain(h))
                .containsExactlyInAnyOrder("item 4 pane 0 views 1 from 15", "item 4 pane 10 views 1", "wm 14");
        h.close();
    }

    @Test
    void demandTrendsLeavePartlyLateEventsOut() throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(new ActivityPaneAggregator(new SlidingWindows(10, 5, 0)));
        h.open();
        h.processWatermark(11);
        h.getOutput().clear();
        h.processElement(click(4, ClickAction.VIEW, 3)); // windows ending 5 and 10 final: partly late
        h.processElement(click(4, ClickAction.VIEW, 12));
        h.processWatermark(14);
        List<String> panes = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof ItemPaneActivity a) {
                panes.add("item " + a.itemId + " pane " + a.paneStart + " views " + a.views);
            }
        }
        assertThat(panes).containsExactly("item 4 pane 10 views 1");
        h.close();
    }
}
