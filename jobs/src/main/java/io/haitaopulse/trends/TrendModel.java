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
 * <p>Deviation. {@code z = (V - B) / sqrt(max(B, 1) + (phi B)^2)} on the recent span: Poisson
 * noise plus overdispersion, with the variance floored at 1 so that a tiny baseline cannot produce
 * a huge z. An item is trending when its baseline is warm, it has enough views and distinct
 * viewers in the window, and both the recent ratio and z pass their thresholds.
 */
final class TrendModel implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final long HOUR = 3_600_000L;

    final SlidingWindows windows;
    final long recent;
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

    TrendModel(TrendSettings s) {
        this.windows = s.pulse().windows();
        long pane = windows.pane();
        long r = Math.min(s.recent().toMillis(), windows.size());
        // The recent span is whole panes, at least one.
        this.recent = Math.max(pane, (r / pane) * pane);
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
        if (levelAlpha <= 0 || seasonalBeta <= 0) {
            throw new IllegalArgumentException("trend half-lives must be positive");
        }
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

    /** Standardised deviation of {@code observed} from {@code expected}. */
    double z(double observed, double expected) {
        double variance = Math.max(expected, 1.0) + (phi * expected) * (phi * expected);
        return (observed - expected) / Math.sqrt(variance);
    }

    /** Whether the category's rhythm is known well enough for anything in it to trend. */
    boolean profileReady(Seasonality s) {
        return !requireDailyProfile || s.complete();
    }

    /** The trending rule; callers pass a warm baseline only. */
    boolean trending(long windowViews, long windowUsers, double recentViews, double recentExpected) {
        if (windowViews < minViews || windowUsers < minUsers || recentExpected <= 0) {
            return false;
        }
        return recentViews / recentExpected >= minRatio && z(recentViews, recentExpected) >= minZ;
    }
}
