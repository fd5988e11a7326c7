package io.haitaopulse.trends;

import io.haitaopulse.common.SlidingWindows;
import java.io.Serializable;

/**
 * The arithmetic of demand trends, free of Flink so that it can be checked by hand.
 *
 * <p>Baseline. A series (an item, or a category's total) has a level: an exponentially weighted
 * mean of its de-seasonalised views per pane, {@code level <- (1 - a) level + a x} with
 * {@code x = views / s(pane)} and {@code a = max(1 - 2^(-pane / half-life), 1 / n)} for the n-th
 * pane since the series' first activity (a plain mean while the history is short); empty panes
 * count as zero.
 * The seasonal factor {@code s} is the category's hour-of-day profile normalised to mean 1 (flat
 * until every hour of the day has been seen). The expected views of a span of panes are
 * {@code level * sum of s over the span}; the level only contains panes before the recent span,
 * so a spike never raises its own baseline.
 *
 * <p>Tests, on the distinct viewers X of the recent span. Seasonal (once the category's profile is
 * complete): X against {@code E = level * sum of s}, as a negative binomial with variance
 * {@code E + (phi^2 + v) E^2}, where {@code v} is the relative variance of the level itself (large
 * for a young or small item). Share (before that, on a deployment's first day): given the
 * category's viewers T of the span, X against a beta-binomial with mean {@code pi T}, {@code pi}
 * the item's share of its category over its own history, its relative variance
 * {@code phi^2 + v}; a share cancels the daily rhythm every item of the category follows, which
 * is what a flat profile cannot. Each test gives an exact tail probability p; the items of one
 * category and window are a family whose discoveries are chosen by Benjamini–Hochberg at
 * {@link #fdr}. {@code z = (X - E) / sd} (sd floored at 1) is reported beside it.
 *
 * <p>Trending: a warm baseline, enough views and distinct viewers in the window, recent viewers at
 * least {@code min-ratio} times expected (against the rest of the category in the share test),
 * {@code z >= min-z}, and a discovery.
 */
final class TrendModel implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final long HOUR = 3_600_000L;

    final SlidingWindows windows;
    final long recent;
    /** Number of recent spans tested: {@code recent}, {@code 2 recent}, … up to {@code max-recent}. */
    final int spans;

    final double levelAlpha;
    final double seasonalBeta;
    final int warmupPanes;
    final long minViews;
    final long minUsers;
    final double minRatio;
    final double minZ;
    final double phi;
    final long rowMinViews;
    final long idleTtl;
    final long tzOffset;
    final boolean requireDailyProfile;
    /** Benjamini–Hochberg false discovery rate per category and window. */
    final double fdr;
    /** Per-pane decay of the level, {@code 1 - a}: the weight of the shares' discounted sums. */
    final double decay;

    TrendModel(TrendSettings s) {
        this.windows = s.pulse().windows();
        long pane = windows.pane();
        long r = Math.min(s.recent().toMillis(), windows.size());
        // The recent span is whole panes, at least one.
        this.recent = Math.max(pane, (r / pane) * pane);
        this.spans = (int) Math.max(1, Math.min(s.maxRecent().toMillis(), windows.size()) / recent);
        this.levelAlpha = alpha(pane, s.halfLife().toMillis());
        // A hour-of-day bucket is updated once per pane falling in that hour, i.e. HOUR / pane times a day.
        this.seasonalBeta = alpha(pane * 24, s.seasonalHalfLife().toMillis());
        this.warmupPanes = (int) Math.max(1, s.warmup().toMillis() / pane);
        this.minViews = s.minViews();
        this.minUsers = s.minUsers();
        this.minRatio = s.minRatio();
        this.minZ = s.minZ();
        this.phi = s.overdispersion();
        this.rowMinViews = s.rowMinViews();
        this.idleTtl = s.idleTtl().toMillis();
        this.tzOffset = s.pulse().timezoneOffset().toMillis();
        this.requireDailyProfile = s.requireDailyProfile();
        this.fdr = s.fdr();
        this.decay = 1 - levelAlpha;
        if (levelAlpha <= 0 || seasonalBeta <= 0) {
            throw new IllegalArgumentException("trend half-lives must be positive");
        }
    }

    /** The longest recent span: panes before it are the baseline's history. */
    long tested() {
        return recent * spans;
    }

    /** Weight of one step in an exponentially weighted mean with the given half-life. */
    static double alpha(long step, long halfLife) {
        return halfLife <= 0 ? 0 : 1 - Math.pow(2, -(double) step / halfLife);
    }

    long pane() {
        return windows.pane();
    }

    /** Hour of the shop's day (0-23) in which a pane starts. */
    int hourOf(long paneStart) {
        return (int) Math.floorMod(Math.floorDiv(paneStart + tzOffset, HOUR), 24L);
    }

    /** Expected-views weight of a pane: the category's hour-of-day factor. */
    double factor(Seasonality s, long paneStart) {
        return s.factor(hourOf(paneStart));
    }

    /** Sum of seasonal factors over panes in {@code [from, to)}. */
    double factorSum(Seasonality s, long from, long to) {
        double sum = 0;
        for (long p = from; p < to; p += pane()) {
            sum += factor(s, p);
        }
        return sum;
    }

    /** Standardised deviation of {@code observed} from {@code expected}: a category's z. */
    double z(double observed, double expected) {
        double variance = Math.max(expected, 1.0) + (phi * expected) * (phi * expected);
        return (observed - expected) / Math.sqrt(variance);
    }

    /** Whether the category's rhythm is known well enough to compare with its hour-of-day profile. */
    boolean profileReady(Seasonality s) {
        return !requireDailyProfile || s.complete();
    }

    /** A category's trending rule; callers pass a warm baseline only. */
    boolean trending(long windowViews, long windowUsers, double recentViews, double recentExpected) {
        if (windowViews < minViews || windowUsers < minUsers || recentExpected <= 0) {
            return false;
        }
        return recentViews / recentExpected >= minRatio && z(recentViews, recentExpected) >= minZ;
    }

    /**
     * The seasonal test over the recent spans: {@code observed[k]} recent viewers of span k
     * (the last {@code (k + 1) * recent}) against {@code expected[k]}, the viewer level times the
     * span's seasonal factors, the level having relative variance {@code levelVariance}. The span
     * with the smallest tail speaks for the item, its tail multiplied by the number of spans
     * (Bonferroni: the spans overlap, so this is conservative). Null when the level is unknown.
     */
    ItemTest seasonal(long[] observed, double[] expected, double levelVariance) {
        if (!(expected[0] > 0) || Double.isInfinite(levelVariance)) {
            return null;
        }
        double inverseSize = phi * phi + levelVariance;
        ItemTest best = null;
        for (int k = 0; k < observed.length; k++) {
            double e = expected[k];
            long x = observed[k];
            double z = (x - e) / Math.sqrt(Math.max(e, 1.0) + inverseSize * e * e);
            // Below expectation the tail is above one half: it cannot be a discovery at any usable rate.
            double p = x > e ? TrendTail.survival(x, e, inverseSize) : 1.0;
            if (best == null || p < best.p()) {
                best = new ItemTest(x, e, z, p);
            }
        }
        return best.bonferroni(observed.length);
    }

    /**
     * The share test over the recent spans: {@code observed[k]} recent viewers of span k among the
     * category's {@code total[k]}, the item's share {@code share} having relative variance
     * {@code shareVariance}; the best span as in {@link #seasonal}. Null when the share is unknown
     * or the item is (nearly) the whole category.
     */
    ItemTest share(long[] observed, long[] total, double share, double shareVariance) {
        if (!(share > 0) || share >= MAX_SHARE || Double.isInfinite(shareVariance)) {
            return null;
        }
        double relative = phi * phi + shareVariance;
        // Beta(alpha, beta) with mean share and variance relative * share^2.
        double concentration = (1 - share) / (share * relative) - 1;
        if (!(concentration > 0)) {
            return null;
        }
        TrendTail.BetaBinomial prior = new TrendTail.BetaBinomial(share * concentration, (1 - share) * concentration);
        ItemTest best = null;
        for (int k = 0; k < observed.length; k++) {
            long x = observed[k];
            long n = Math.max(total[k], x);
            double mean = share * n;
            double variance = n * share * (1 - share) * (concentration + n) / (concentration + 1);
            double z = (x - mean) / Math.sqrt(Math.max(variance, 1.0));
            // The ratio test compares with the rest of the category: the item's own spike is in the total.
            double expected = share / (1 - share) * (n - x);
            double p = x > mean ? prior.survival(x, n) : 1.0;
            if (best == null || p < best.p()) {
                best = new ItemTest(x, expected, z, p);
            }
        }
        return best.bonferroni(observed.length);
    }

    /** Above this share of its category an item is its category: the share test cannot see it move. */
    static final double MAX_SHARE = 0.9;

    /**
     * The item rule without the family: support, effect size and z. {@code test} must be non-null.
     */
    boolean candidate(long windowViews, java.util.function.LongSupplier windowUsers, ItemTest test) {
        if (windowViews < minViews) {
            return false;
        }
        boolean bigEnough = test.expected() == 0 ? test.observed() > 0 : test.observed() >= minRatio * test.expected();
        // The window's distinct users are a union of the panes' user sets: counted last, for the
        // few items that pass everything else.
        return bigEnough && test.z() >= minZ && windowUsers.getAsLong() >= minUsers;
    }

    /**
     * One item's test in one window, on the recent span that speaks for it.
     *
     * @param observed distinct viewers summed over the span's panes
     * @param expected viewers expected (seasonal test), or expected from the rest of the category
     *     (share test; 0 when the rest of the category had none)
     * @param z standardised deviation of the observed viewers
     * @param p upper tail probability under no change, Bonferroni-adjusted over the spans (1 below expectation)
     */
    record ItemTest(long observed, double expected, double z, double p) {
        ItemTest bonferroni(int spans) {
            return withTail(Math.min(1.0, p * spans));
        }

        ItemTest withTail(double tail) {
            return new ItemTest(observed, expected, z, tail);
        }
    }
}
