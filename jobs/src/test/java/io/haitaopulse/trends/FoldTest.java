package io.haitaopulse.trends;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.common.DistinctUsers;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The folds skip runs of empty panes with their own loop; every double they leave must be the
 * one a pane-by-pane fold gives (the reference below is the plain definition), bit for bit, so
 * that rows do not depend on how long an item was idle before it was evaluated.
 */
class FoldTest {

    private static final TrendModel M = new TrendModel(TrendSettings.from(TrendModelTest.conf()));
    private static final long PANE = M.pane();
    private static final long T0 = 1_794_000_000_000L / PANE * PANE;

    /** A series active in a random fifth of {@code panes} panes, with long idle runs. */
    private static PaneSeries series(Random rnd, int panes) {
        PaneSeries s = PaneSeries.withViewers();
        for (int k = 0; k < panes; k++) {
            if (rnd.nextInt(5) == 0 || k == 0) {
                ItemPaneActivity a = new ItemPaneActivity();
                a.paneStart = T0 + k * PANE;
                a.views = 1 + rnd.nextInt(40);
                a.viewers = new DistinctUsers();
                a.viewers.add(DistinctUsers.hash("u" + rnd.nextInt(7)));
                s.add(a);
            }
            if (rnd.nextInt(60) == 0) {
                k += 100 + rnd.nextInt(300); // idle for hours
            }
        }
        return s;
    }

    /** A seasonal profile that is complete, so that factors differ by hour. */
    private static Seasonality profile() {
        Seasonality s = new Seasonality();
        for (int h = 0; h < 24; h++) {
            s.observe(h, 1 + (h * 7) % 11, 0.5);
        }
        return s;
    }

    @Test
    void baselineFoldsEqualThePaneByPaneDefinition() {
        Random rnd = new Random(42);
        Seasonality s = profile();
        for (int trial = 0; trial < 200; trial++) {
            PaneSeries series = series(rnd, 1500);
            boolean viewers = trial % 2 == 0;
            Baseline fast = new Baseline();
            Baseline reference = new Baseline();
            long end = series.starts[series.size - 1] + 50 * PANE;
            for (long through = T0 + rnd.nextInt(20) * PANE; through <= end; through += (1 + rnd.nextInt(400)) * PANE) {
                fast.foldThrough(through, series, M, s, false, viewers);
                referenceFold(reference, through, series, s, viewers);
                assertThat(fast.level).isEqualTo(reference.level);
                assertThat(fast.weightSq).isEqualTo(reference.weightSq);
                assertThat(fast.historyPanes).isEqualTo(reference.historyPanes);
                assertThat(fast.foldedThrough).isEqualTo(reference.foldedThrough);
                assertThat(fast.started).isEqualTo(reference.started);
            }
            assertThat(fast.historyPanes).as("past the plain-mean phase").isGreaterThan((int) (1 / M.levelAlpha));
        }
    }

    @Test
    void shareFoldsEqualThePaneByPaneDefinition() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            PaneSeries item = series(rnd, 1500);
            PaneSeries category = series(rnd, 1500);
            for (int i = 0; i < item.size; i++) {
                ItemPaneActivity a = new ItemPaneActivity();
                a.paneStart = item.starts[i];
                a.views = item.views[i];
                a.viewers = new DistinctUsers();
                a.viewers.merge(item.viewers[i]);
                category.add(a); // the item's panes are the category's too
            }
            boolean viewers = trial % 2 == 1;
            Discounted sum = new Discounted();
            CategoryShare fast = new CategoryShare();
            CategoryShare reference = new CategoryShare();
            long end = item.starts[item.size - 1] + 50 * PANE;
            for (long through = item.starts[0]; through <= end; through += (1 + rnd.nextInt(400)) * PANE) {
                sum.foldThrough(through, category, viewers, M);
                fast.foldThrough(through, item, category, sum, viewers, M);
                referenceFold(reference, through, item, category, sum, viewers);
                assertThat(fast.num).isEqualTo(reference.num);
                assertThat(fast.numSq).isEqualTo(reference.numSq);
                assertThat(fast.categoryBefore).isEqualTo(reference.categoryBefore);
                assertThat(fast.foldedThrough).isEqualTo(reference.foldedThrough);
                assertThat(fast.share(sum, M)).isEqualTo(reference.share(sum, M));
            }
        }
    }

    /** {@link Baseline#foldThrough} by its definition: every pane, empty ones as zero views. */
    private static void referenceFold(Baseline b, long through, PaneSeries series, Seasonality s, boolean viewers) {
        long next = b.foldedThrough == Long.MIN_VALUE ? series.starts[0] : b.foldedThrough + PANE;
        int i = 0;
        for (long p = next; p <= through; p += PANE) {
            while (i < series.size && series.starts[i] < p) {
                i++;
            }
            boolean present = i < series.size && series.starts[i] == p;
            long views = !present ? 0L : series.count(i, viewers);
            double x = views / M.factor(s, p);
            double a = Math.max(M.levelAlpha, 1.0 / (b.historyPanes + 1));
            b.level += a * (x - b.level);
            b.weightSq = (1 - a) * (1 - a) * b.weightSq + a * a;
            b.started = true;
            b.historyPanes++;
            b.foldedThrough = p;
        }
    }

    /** {@link CategoryShare#foldThrough} by its definition, after the first fold's catch-up. */
    private static void referenceFold(
            CategoryShare c, long through, PaneSeries item, PaneSeries category, Discounted sum, boolean viewers) {
        if (!c.started()) {
            // The first fold's backward walk is shared code; start the reference from its result.
            CategoryShare first = new CategoryShare();
            first.foldThrough(item.starts[0], item, category, sum, viewers, M);
            c.categoryBefore = first.categoryBefore;
            c.before = first.before;
            c.num = first.num;
            c.numSq = first.numSq;
            c.foldedThrough = first.foldedThrough;
        }
        int i = 0;
        for (long p = c.foldedThrough + PANE; p <= through; p += PANE) {
            while (i < item.size && item.starts[i] < p) {
                i++;
            }
            long x = i < item.size && item.starts[i] == p ? item.count(i, viewers) : 0;
            c.num = M.decay * c.num + x;
            c.numSq = M.decay * M.decay * c.numSq + x;
            c.foldedThrough = p;
        }
    }
}
