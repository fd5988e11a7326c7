package io.haitaopulse.trends;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.common.DistinctUsers;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The one-pass span sums of {@link PaneSeries} against a sum per span. */
class PaneSeriesTest {

    @Test
    void spanViewersInOnePassEqualAPassPerSpan() {
        Random random = new Random(7);
        long pane = 5;
        for (int round = 0; round < 200; round++) {
            PaneSeries s = PaneSeries.withViewers();
            // Panes in time order with gaps, some before the longest span and some after its end.
            long start = 0;
            int panes = 1 + random.nextInt(12);
            for (int i = 0; i < panes; i++) {
                start += pane * (1 + random.nextInt(3));
                ItemPaneActivity a = new ItemPaneActivity(1L, 2L, start);
                a.views = 1 + random.nextInt(100);
                a.viewers = new DistinctUsers();
                for (int u = 0, n = 1 + random.nextInt(90); u < n; u++) {
                    a.viewers.add(DistinctUsers.hash("u" + random.nextInt(120)));
                }
                s.add(a);
            }
            long end = pane * (1 + random.nextInt((int) (start / pane) + 2));
            long span = pane * (1 + random.nextInt(3));
            long[] bySpan = new long[1 + random.nextInt(4)];
            s.paneViewersBySpan(end, span, bySpan);
            for (int k = 0; k < bySpan.length; k++) {
                assertThat(bySpan[k])
                        .as("round %d, span %d", round, k)
                        .isEqualTo(s.paneViewersIn(end - (k + 1) * span, end));
            }
        }
    }
}
