package io.haitaopulse.sourcing;

import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.schema.SourcingShortlist;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The shortlist of one category (the key) at each cadence boundary, from its items' snapshots.
 *
 * <p>Every rate is shrunk toward the category with a Beta prior ({@link SourcingMath#shrink}):
 * conversion = PAID order lines / distinct viewers (prior worth {@value #CONVERSION_PRIOR} viewers),
 * return rate = returned / sold units ({@value #RETURN_PRIOR} units), complaint rate = (complaints
 * + (w − 1) × counterfeit) / reviews ({@value #COMPLAINT_PRIOR} reviews, capped at 1), rating =
 * Bayesian average ({@value #RATING_PRIOR} reviews at the category mean). Demand is a damped-trend
 * forecast of tomorrow's units from the item's daily units adjusted by the category's day-of-week
 * profile; growth is week on week when two weeks of history exist.
 *
 * <p>{@code score = ln(1 + forecast) × (1 + 0.5 × clamp(growth, −0.5, 1)) × rating/5 × (1 − return rate)
 * × (1 − complaint rate)}. Only items with sales in the lookback are candidates; items with at least
 * {@code max-counterfeit} counterfeit complaints, or a return rate at or above
 * {@code max(max-return-rate, 2 × category)}, are excluded however popular.
 */
public final class CategoryShortlist extends KeyedProcessFunction<Long, ItemSnapshot, SourcingShortlist> {

    private static final long serialVersionUID = 1L;
    static final double CONVERSION_PRIOR = 50;
    static final double RETURN_PRIOR = 20;
    static final double COMPLAINT_PRIOR = 10;
    static final double RATING_PRIOR = 5;
    /** Damped trend parameters: level, trend, damping. */
    static final double ALPHA = 0.3;

    static final double BETA = 0.1;
    static final double PHI = 0.9;
    /** The smallest share of a day a partial day is scaled from. */
    static final double MIN_DAY_FRACTION = 0.25;

    private final SlidingWindows slots;
    private final int top;
    private final SourcingOptions.Freight freight;
    private final double serviceLevel;
    private final int maxCounterfeit;
    private final double maxReturnRate;
    private final double counterfeitWeight;
    private transient MapState<Tuple2<Long, Long>, ItemSnapshot> snapshots;

    CategoryShortlist(
            SlidingWindows slots,
            int top,
            SourcingOptions.Freight freight,
            double serviceLevel,
            int maxCounterfeit,
            double maxReturnRate,
            double counterfeitWeight) {
        this.slots = slots;
        this.top = top;
        this.freight = freight;
        this.serviceLevel = serviceLevel;
        this.maxCounterfeit = maxCounterfeit;
        this.maxReturnRate = maxReturnRate;
        this.counterfeitWeight = counterfeitWeight;
    }

    @Override
    public void open(OpenContext openContext) {
        snapshots = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>(
                        "snapshots", Types.TUPLE(Types.LONG, Types.LONG), Types.POJO(ItemSnapshot.class)));
    }

    @Override
    public void processElement(ItemSnapshot s, Context ctx, Collector<SourcingShortlist> out) throws Exception {
        snapshots.put(Tuple2.of(s.asOf, s.itemId), s);
        ctx.timerService().registerEventTimeTimer(slots.purgeTime(s.asOf));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SourcingShortlist> out) throws Exception {
        long asOf = timestamp + 1 - slots.allowedLateness();
        List<ItemSnapshot> items = new ArrayList<>();
        for (Map.Entry<Tuple2<Long, Long>, ItemSnapshot> e : snapshots.entries()) {
            if (e.getKey().f0 == asOf) {
                items.add(e.getValue());
            }
        }
        for (ItemSnapshot s : items) {
            snapshots.remove(Tuple2.of(asOf, s.itemId));
        }
        if (snapshots.isEmpty()) {
            snapshots.clear();
        }
        for (SourcingShortlist row : rank(ctx.getCurrentKey(), asOf, items)) {
            out.collect(row);
        }
    }

    /** The ranked shortlist of one category from its items' snapshots as of {@code asOf}. */
    List<SourcingShortlist> rank(long category, long asOf, List<ItemSnapshot> items) {
        double orders = 0;
        double viewers = 0;
        double units = 0;
        double returned = 0;
        double weightedComplaints = 0;
        double reviews = 0;
        double ratingSum = 0;
        for (ItemSnapshot s : items) {
            orders += s.orders;
            viewers += s.viewers;
            units += s.units;
            returned += s.returned;
            weightedComplaints += weightedComplaints(s);
            reviews += s.ratings;
            ratingSum += s.ratingSum;
        }
        double catConversion = viewers > 0 ? Math.min(1, orders / viewers) : 0;
        double catReturn = units > 0 ? Math.min(1, returned / units) : 0;
        double catComplaint = reviews > 0 ? Math.min(1, weightedComplaints / reviews) : 0;
        Double catRating = reviews > 0 ? ratingSum / reviews : null;
        double[] weekday = items.isEmpty()
                ? new double[] {1, 1, 1, 1, 1, 1, 1}
                : weekdayFactors(categoryDaily(items), items.get(0).lastDay);

        List<SourcingShortlist> scored = new ArrayList<>();
        for (ItemSnapshot s : items) {
            double conversion = Math.min(1, SourcingMath.shrink(s.orders, s.viewers, catConversion, CONVERSION_PRIOR));
            double returnRate = Math.min(1, SourcingMath.shrink(s.returned, s.units, catReturn, RETURN_PRIOR));
            double complaintRate =
                    Math.min(1, SourcingMath.shrink(weightedComplaints(s), s.ratings, catComplaint, COMPLAINT_PRIOR));
            Double rating =
                    catRating == null ? null : (s.ratingSum + RATING_PRIOR * catRating) / (s.ratings + RATING_PRIOR);
            // Only items that sell are candidates; bad ones are out however popular.
            if (s.units <= 0
                    || s.counterfeit >= maxCounterfeit
                    || returnRate >= Math.max(maxReturnRate, 2 * catReturn)) {
                continue;
            }
            double[] series = observed(s);
            // Forecast tomorrow: smooth the weekday-adjusted series, then apply tomorrow's weekday.
            double[] adjusted = series.clone();
            for (int k = 0; k < adjusted.length; k++) {
                adjusted[k] /= weekday[weekdayOf(s.lastDay - (adjusted.length - 1 - k))];
            }
            double forecast =
                    SourcingMath.dampedTrendForecast(adjusted, ALPHA, BETA, PHI) * weekday[weekdayOf(s.lastDay + 1)];
            Double growth = weekOnWeek(series);
            double g = growth == null ? 0 : Math.max(-0.5, Math.min(1, growth));
            double satisfaction = (rating == null ? 0.8 : rating / 5) * (1 - returnRate) * (1 - complaintRate);
            double score = Math.log1p(forecast) * (1 + 0.5 * g) * satisfaction;
            long qty = SourcingMath.orderQuantity(
                    forecast, dailySd(series, forecast), freight.meanDays(), freight.sdDays(), serviceLevel);
            List<String> reasons = new ArrayList<>();
            reasons.add(String.format(Locale.ROOT, "forecast %.1f units/day", forecast));
            if (growth != null) {
                reasons.add(String.format(Locale.ROOT, "demand %+.0f %% week on week", growth * 100));
            }
            reasons.add(String.format(
                    Locale.ROOT, "conversion %.1f %% vs category %.1f %%", conversion * 100, catConversion * 100));
            reasons.add(String.format(
                    Locale.ROOT, "return rate %.1f %% vs category %.1f %%", returnRate * 100, catReturn * 100));
            if (rating != null) {
                reasons.add(String.format(Locale.ROOT, "rating %.1f vs category %.1f", rating, catRating));
            }
            reasons.add(
                    s.counterfeit == 0
                            ? "no counterfeit complaints"
                            : s.counterfeit + " counterfeit complaint" + (s.counterfeit == 1 ? "" : "s"));
            scored.add(new SourcingShortlist(
                    Instant.ofEpochMilli(asOf),
                    category,
                    0,
                    s.itemId,
                    score,
                    forecast,
                    conversion,
                    rating,
                    returnRate,
                    complaintRate,
                    qty,
                    reasons));
        }
        scored.sort(Comparator.comparingDouble((SourcingShortlist x) -> -x.getScore())
                .thenComparingLong(SourcingShortlist::getItemId));
        List<SourcingShortlist> rows = new ArrayList<>(scored.subList(0, Math.min(top, scored.size())));
        for (int i = 0; i < rows.size(); i++) {
            rows.get(i).setRank(i + 1);
        }
        return rows;
    }

    private double weightedComplaints(ItemSnapshot s) {
        return s.complaints + (counterfeitWeight - 1) * s.counterfeit;
    }

    /**
     * Daily units from the item's first active day, with a partial last day scaled to a full one,
     * so that a young item is not forecast from weeks of zeros before it existed.
     */
    static double[] observed(ItemSnapshot s) {
        int first = 0;
        while (first < s.dailyUnits.length - 1 && s.dailyUnits[first] == 0) {
            first++;
        }
        double[] series = Arrays.copyOfRange(s.dailyUnits, first, s.dailyUnits.length);
        if (s.lastDayFraction > 0 && s.lastDayFraction < 1) {
            // At most ×4: one sale in the first hour of a day is not 24 a day.
            series[series.length - 1] /= Math.max(s.lastDayFraction, MIN_DAY_FRACTION);
        }
        return series;
    }

    /** Units of the whole category per day of the lookback (all snapshots end on the same day). */
    static double[] categoryDaily(List<ItemSnapshot> items) {
        double[] total = new double[items.get(0).dailyUnits.length];
        for (ItemSnapshot s : items) {
            for (int k = 0; k < total.length; k++) {
                total[k] += s.dailyUnits[k];
            }
        }
        return total;
    }

    /** Day of the week of a shop day, 0 = Monday (day 0 of the epoch was a Thursday). */
    static int weekdayOf(long day) {
        return (int) Math.floorMod(day + 3, 7L);
    }

    /**
     * The category's day-of-week profile: mean units on each weekday over the mean of all days,
     * clamped to [0.5, 2]; flat until the category has two full weeks of sales in the lookback.
     * The last day is partial and is left out.
     */
    static double[] weekdayFactors(double[] categoryDaily, long lastDay) {
        double[] flat = {1, 1, 1, 1, 1, 1, 1};
        int n = categoryDaily.length - 1;
        int first = 0;
        while (first < n && categoryDaily[first] == 0) {
            first++;
        }
        if (n - first < 14) {
            return flat;
        }
        double[] sum = new double[7];
        int[] count = new int[7];
        double all = 0;
        for (int k = first; k < n; k++) {
            int wd = weekdayOf(lastDay - (categoryDaily.length - 1 - k));
            sum[wd] += categoryDaily[k];
            count[wd]++;
            all += categoryDaily[k];
        }
        double mean = all / (n - first);
        if (mean <= 0) {
            return flat;
        }
        double[] f = new double[7];
        for (int d = 0; d < 7; d++) {
            f[d] = Math.max(0.5, Math.min(2, sum[d] / count[d] / mean));
        }
        return f;
    }

    /** Units of the last 7 days over the 7 before (plus one each), minus 1; null without 14 days of history. */
    static Double weekOnWeek(double[] series) {
        if (series.length < 14) {
            return null;
        }
        double last = 0;
        double before = 0;
        for (int i = 0; i < 7; i++) {
            last += series[series.length - 1 - i];
            before += series[series.length - 8 - i];
        }
        return (last + 1) / (before + 1) - 1;
    }

    /** Sample standard deviation of daily units, or Poisson's sqrt(mean) with fewer than 3 days. */
    static double dailySd(double[] series, double forecast) {
        if (series.length < 3) {
            return Math.sqrt(forecast);
        }
        double m = 0;
        for (double x : series) {
            m += x;
        }
        m /= series.length;
        double v = 0;
        for (double x : series) {
            v += (x - m) * (x - m);
        }
        return Math.sqrt(v / (series.length - 1));
    }
}
