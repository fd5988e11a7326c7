package io.haitaopulse.trends;

/**
 * The exponentially weighted level of a series' de-seasonalised views per pane
 * ({@link TrendModel}), folded pane by pane in time order, each pane once. A Flink POJO.
 */
public class Baseline {
    public double level;
    /** Whether {@link #level} has been initialised by a first pane with activity. */
    public boolean started;
    /** Panes folded since the first one; the baseline is trusted after the warm-up. */
    public int historyPanes;
    /** Start of the last pane folded, {@link Long#MIN_VALUE} before the first. */
    public long foldedThrough = Long.MIN_VALUE;
    /**
     * Sum of the squared weights of the panes in {@link #level}: its variance per unit of
     * per-pane variance, 1/n while the level is a plain mean of n panes, about a / (2 - a) later.
     */
    public double weightSq;

    public Baseline() {}

    /**
     * Folds the panes of {@code series} up to and including {@code through}, empty panes as zero
     * views, each divided by its seasonal factor. With {@code learnSeasonality} (a category's own
     * totals) every folded pane also updates the hour-of-day profile.
     */
    void foldThrough(long through, PaneSeries series, TrendModel m, Seasonality s, boolean learnSeasonality) {
        foldThrough(through, series, m, s, learnSeasonality, false);
    }

    /** As above; with {@code countViewers} the series' value per pane is its distinct viewers, not its views. */
    void foldThrough(
            long through,
            PaneSeries series,
            TrendModel m,
            Seasonality s,
            boolean learnSeasonality,
            boolean countViewers) {
        long pane = m.pane();
        long next = foldedThrough == Long.MIN_VALUE ? firstActive(series) : foldedThrough + pane;
        if (next == Long.MAX_VALUE) {
            return; // nothing ever seen
        }
        int i = 0;
        long p = next;
        while (p <= through) {
            while (i < series.size && series.starts[i] < p) {
                i++;
            }
            boolean present = i < series.size && series.starts[i] == p;
            if (!present && !learnSeasonality) {
                // A run of empty panes up to the next active one (or through): an item idle for
                // hours folds hundreds of them when it returns, so they skip the seasonal lookup.
                long last = i < series.size ? Math.min(series.starts[i] - 1, through) : through;
                long empty = (last - p) / pane + 1;
                foldEmpty(empty, m);
                p += empty * pane;
                foldedThrough = p - pane;
                continue;
            }
            long views = !present ? 0L : countViewers ? series.viewers[i].count() : series.views[i];
            double x = views / m.factor(s, p);
            // Plain running mean while the history is shorter than the half-life allows, so that
            // a young series is not stuck near its first pane.
            double a = Math.max(m.levelAlpha, 1.0 / (historyPanes + 1));
            level += a * (x - level);
            weightSq = (1 - a) * (1 - a) * weightSq + a * a;
            started = true;
            historyPanes++;
            if (learnSeasonality) {
                s.observe(m.hourOf(p), views, m.seasonalBeta);
            }
            foldedThrough = p;
            p += pane;
        }
    }

    /**
     * Folds {@code n} panes without views, with exactly the arithmetic of a pane of zero views
     * above (so results do not depend on which path folded a pane): the seasonal factor does not
     * matter (zero over any factor, which is never zero, is zero), and once the history is past
     * the plain-mean phase the weight is a constant, so the loop is two multiply-adds a pane.
     */
    private void foldEmpty(long n, TrendModel m) {
        long k = 0;
        // The plain-mean phase of the general path's Math.max.
        for (; k < n && 1.0 / (historyPanes + 1) > m.levelAlpha; k++) {
            double a = 1.0 / (historyPanes + 1);
            level += a * (0.0 - level);
            weightSq = (1 - a) * (1 - a) * weightSq + a * a;
            historyPanes++;
        }
        double a = m.levelAlpha;
        double keep = (1 - a) * (1 - a);
        double add = a * a;
        for (long j = k; j < n; j++) {
            level += a * (0.0 - level);
            weightSq = keep * weightSq + add;
        }
        historyPanes += (int) (n - k);
        started = true;
    }

    private static long firstActive(PaneSeries series) {
        return series.size == 0 ? Long.MAX_VALUE : series.starts[0];
    }

    /**
     * Relative variance of {@link #level} as an estimate of the series' mean per pane, with
     * Poisson counts: {@code weightSq / level}; infinite for a zero level.
     */
    double relativeVariance() {
        return level > 0 ? weightSq / level : Double.POSITIVE_INFINITY;
    }

    /** Whether enough history has been folded to trust the level. */
    boolean warm(TrendModel m) {
        return started && historyPanes >= m.warmupPanes;
    }
}
