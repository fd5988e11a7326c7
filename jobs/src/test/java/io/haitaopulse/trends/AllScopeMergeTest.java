package io.haitaopulse.trends;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.schema.HotItem;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class AllScopeMergeTest {

    private static HotItem candidate(long item, long views) {
        return new HotItem(Instant.ofEpochMilli(0), Instant.ofEpochMilli(10), "all", 1, item, views);
    }

    @Test
    void mergesShardCandidatesIntoTheGlobalTopNAndForgetsTheWindow() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<Long, HotItem, HotItem>(
                new KeyedProcessOperator<>(new AllScopeMerge(new SlidingWindows(10, 5, 0), 3)),
                c -> c.getWindowEnd().toEpochMilli(),
                Types.LONG);
        h.open();
        // Shard A's top 2, then shard B's top 2.
        h.processElement(candidate(1, 5), 0);
        h.processElement(candidate(2, 3), 0);
        h.processElement(candidate(3, 4), 0);
        h.processElement(candidate(4, 3), 0);
        h.processWatermark(9);
        assertThat(h.extractOutputValues())
                .extracting(r -> r.getRank() + ":" + r.getItemId() + "=" + r.getViews())
                .containsExactly("1:1=5", "2:3=4", "3:2=3");
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }
}
