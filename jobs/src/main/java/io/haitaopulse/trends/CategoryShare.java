package io.haitaopulse.trends;

/**
 * An item's share of its category's views or distinct viewers, over the item's own history: the
 * item's discounted sum of counts per pane over the category's discounted sum over the same panes
 * (both with the level's decay, {@link TrendModel#decay}). Matching the panes matters on day one:
 * an item first seen at night compared with a category sum that includes the busy evening would
 * look smaller than it is. The category sum over the item's panes is
 * {@code D(t) - D(t0 - 1) r^(t - t0 + 1)} with {@code D} the category's {@link Discounted} sum,
 * so only {@code D(t0 - 1)} is kept, and an item that was idle catches up without the
 * category's old panes. A Flink POJO.
 */
public class CategoryShare {
    /** The item's discounted sum of counts. */
    public double num;
    /** The item's sum of counts with squared weights ({@code r^2} per pane): Poisson variance of {@link #num}. */
    public double numSq;
    /** The category's discounted sum just before the item's first pane. */
    public double categoryBefore;
    /** The pane before the item's first pane, {@link Long#MIN_VALUE} before the first fold. */
    public long before = Long.MIN_VALUE;
    /** Start of the last pane folded. */
    public long foldedThrough = Long.MIN_VALUE;

    public CategoryShare() {}

    /**
     * Folds the item's panes up to and including {@code through}; the category's sum must have
     * been folded through the same pane, and the category's panes from the item's first one on
     * must still be held (they are: the item's panes are a subset, dropped at the same time).
     */
    void foldThrough(
            long through, PaneSeries item, PaneSeries category, Discounted categorySum, boolean viewers, TrendModel m) {
        long pane = m.pane();
        long next;
        if (foldedThrough == Long.MIN_VALUE) {
            next = item.size == 0 ? Long.MAX_VALUE : item.starts[0];
            if (next > through) {
                return;
            }
            // D(t0 - 1) from D(through) and the category's panes t0..through, walked backwards
            // with one index over the category's sorted panes.
            double recentPart = 0;
            double w = 1;
            int j = category.size - 1;
            for (long p = through; p >= next; p -= pane) {
                while (j >= 0 && category.starts[j] > p) {
                    j--;
                }
                recentPart += w * (j >= 0 && category.starts[j] == p ? category.count(j, viewers) : 0);
                w *= m.decay;
            }
            categoryBefore = w > 0 ? (categorySum.sum - recentPart) / w : 0;
            before = next - pane;
        } else {
            next = foldedThrough + pane;
        }
        int i = 0;
        long p = next;
        while (p <= through) {
            while (i < item.size && item.starts[i] < p) {
                i++;
            }
            if (i < item.size && item.starts[i] == p) {
                long x = item.count(i, viewers);
                num = m.decay * num + x;
                numSq = m.decay * m.decay * numSq + x;
                p += pane;
            } else {
                // A run of empty panes up to the next active one (or through), as panes of zero
                // views with the same arithmetic: an item idle for hours folds hundreds of them.
                long last = i < item.size ? Math.min(item.starts[i] - 1, through) : through;
                long empty = (last - p) / pane + 1;
                double decay = m.decay;
                double decaySq = m.decay * m.decay;
                for (long k = 0; k < empty; k++) {
                    num = decay * num + 0L;
                    numSq = decaySq * numSq + 0L;
                }
                p += empty * pane;
            }
            foldedThrough = p - pane;
        }
    }

    /** Whether any pane has been folded. */
    boolean started() {
        return foldedThrough != Long.MIN_VALUE;
    }

    /** The share, given the category's sum folded through {@link #foldedThrough}; NaN when unknown. */
    double share(Discounted categorySum, TrendModel m) {
        if (!started() || categorySum.foldedThrough != foldedThrough) {
            return Double.NaN;
        }
        long panes = (foldedThrough - before) / m.pane();
        double denominator = categorySum.sum - categoryBefore * Math.pow(m.decay, panes);
        return denominator > 0 ? Math.min(1.0, num / denominator) : Double.NaN;
    }

    /** Relative variance of {@link #num} under Poisson counts: the uncertainty of a young or small item's share. */
    double relativeVariance() {
        return num > 0 ? numSq / (num * num) : Double.POSITIVE_INFINITY;
    }
}
