package io.haitaopulse.generator;

import static io.haitaopulse.generator.Times.DAY;
import static io.haitaopulse.generator.Times.HOUR;
import static io.haitaopulse.generator.Times.MINUTE;
import static io.haitaopulse.generator.Times.SHANGHAI;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The shop's items with what was planted on them, and how a viewer picks one. Items are indexed
 * 0..n-1, category by category; arrays are shared read-only with the rest of the simulation.
 */
final class Catalogue {

    /** An import-shop category: funnel rates, price level, base return rate. */
    record CategoryDef(
            long id, String name, double cartRate, double orderRate, long medianPriceCents, double returnRate) {}

    static final List<CategoryDef> CATEGORIES = List.of(
            new CategoryDef(101, "infant formula", 0.10, 0.45, 26_800, 0.02),
            new CategoryDef(102, "diapers", 0.12, 0.50, 15_900, 0.03),
            new CategoryDef(103, "snacks and food", 0.14, 0.40, 5_900, 0.02),
            new CategoryDef(104, "skincare", 0.09, 0.35, 19_900, 0.05),
            new CategoryDef(105, "cosmetics", 0.08, 0.33, 16_900, 0.06),
            new CategoryDef(106, "health supplements", 0.07, 0.38, 22_900, 0.03),
            new CategoryDef(107, "personal care", 0.11, 0.42, 7_900, 0.04),
            new CategoryDef(108, "mother and baby care", 0.09, 0.40, 12_900, 0.04),
            new CategoryDef(109, "wine and drinks", 0.06, 0.30, 18_900, 0.02),
            new CategoryDef(110, "home goods", 0.05, 0.28, 9_900, 0.07));

    /** Values of {@link #kindOf}. */
    static final int NORMAL = 0;

    static final int STAR = 1;
    static final int BAD = 2;
    static final int SHOCK = 3;
    /** An always-hot decoy of a {@link SpikePlan}: boosted from the first minute, never changing. */
    static final int DECOY = 4;

    private final SimulatorConfig cfg;
    private final SplittableRandom rnd;

    final int nItems;
    final long[] itemId;
    final int[] itemCat;
    final long[] price;
    final double[] popularity;
    final double[] returnRate;
    final int[] kindOf;
    final long[] shockOnset;
    final double[] shockMultiplier;
    final boolean[] shockRamp;
    /** End of a shock (exclusive): demand is back to normal from then on; {@link Long#MAX_VALUE} for none. */
    final long[] shockEnd;
    /** Demand multiplier of a {@link #DECOY}. */
    final double[] decoyMultiplier;
    /** What a {@link SpikePlan} dealt each of its spikes, null for items it did not plant. */
    final SpikePlan.Combination[] planned;
    /** Popularity rank of every item (0 = most popular). */
    final int[] rankOf;

    private final int[][] byCategory;
    private final double[] globalCumulative;
    private final double[][] categoryCumulative;
    private final int[] boosted;
    private final int[] shocked;
    private final double[] starPopularity;
    private double starPopularityAll;

    /**
     * Builds the catalogue of {@code cfg}, drawing prices, popularity and plants from {@code rnd},
     * which also picks the items viewed later; the spikes and decoys of the configuration's
     * {@link SpikePlan} are drawn from {@code plans}, a generator of their own.
     */
    Catalogue(SimulatorConfig cfg, SplittableRandom rnd, SplittableRandom plans) {
        this.cfg = cfg;
        this.rnd = rnd;
        int perCat = cfg.itemsPerCategory();
        nItems = perCat * CATEGORIES.size();
        itemId = new long[nItems];
        itemCat = new int[nItems];
        price = new long[nItems];
        popularity = new double[nItems];
        returnRate = new double[nItems];
        kindOf = new int[nItems];
        shockOnset = new long[nItems];
        shockMultiplier = new double[nItems];
        shockRamp = new boolean[nItems];
        shockEnd = new long[nItems];
        Arrays.fill(shockEnd, Long.MAX_VALUE);
        decoyMultiplier = new double[nItems];
        planned = new SpikePlan.Combination[nItems];
        rankOf = new int[nItems];
        byCategory = new int[CATEGORIES.size()][perCat];
        // Zipf popularity over a random permutation, so popular items spread over categories.
        int[] rank = new int[nItems];
        for (int i = 0; i < nItems; i++) {
            rank[i] = i;
        }
        for (int i = nItems - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int tmp = rank[i];
            rank[i] = rank[j];
            rank[j] = tmp;
        }
        for (int c = 0; c < CATEGORIES.size(); c++) {
            CategoryDef def = CATEGORIES.get(c);
            for (int k = 0; k < perCat; k++) {
                int i = c * perCat + k;
                itemId[i] = def.id() * 100_000 + 1 + k;
                itemCat[i] = c;
                byCategory[c][k] = i;
                price[i] = Math.max(
                        100, Math.round(def.medianPriceCents() * Math.exp(0.4 * Draws.gaussian(rnd)) / 10) * 10);
                popularity[i] = 1.0 / Math.pow(rank[i] + 1, 1.05);
                returnRate[i] = def.returnRate() * Math.exp(0.3 * Draws.gaussian(rnd));
            }
        }
        // Plant: bad items among the popular ones, star items in the upper-middle, shocks in the middle.
        Integer[] byPopularity = byPopularity();
        int bad = Math.max(1, nItems / 200);
        for (int k = 0; k < bad; k++) {
            int i = byPopularity[3 + k * 7];
            kindOf[i] = BAD;
            returnRate[i] = 0.25;
        }
        int stars = Math.max(2, nItems / 150);
        for (int k = 0; k < stars; k++) {
            int i = byPopularity[10 + k * 5];
            if (kindOf[i] == NORMAL) {
                kindOf[i] = STAR;
                returnRate[i] = 0.005;
            }
        }
        globalCumulative = new double[nItems];
        categoryCumulative = new double[CATEGORIES.size()][perCat];
        double total = 0;
        for (int i = 0; i < nItems; i++) {
            total += popularity[i];
            globalCumulative[i] = total;
        }
        for (int c = 0; c < CATEGORIES.size(); c++) {
            double sum = 0;
            for (int k = 0; k < perCat; k++) {
                sum += popularity[byCategory[c][k]];
                categoryCumulative[c][k] = sum;
            }
        }
        plantShocks(byPopularity);
        for (int r = 0; r < nItems; r++) {
            rankOf[byPopularity[r]] = r;
        }
        if (cfg.spikePlan().active()) {
            plantPlan(cfg.spikePlan(), plans);
        }
        boosted = IntStream.range(0, nItems)
                .filter(i -> kindOf[i] == STAR || kindOf[i] == SHOCK || kindOf[i] == DECOY)
                .toArray();
        shocked = IntStream.range(0, nItems)
                .filter(i -> kindOf[i] == SHOCK || kindOf[i] == DECOY)
                .toArray();
        starPopularity = new double[CATEGORIES.size()];
        starPopularityAll = 0;
        for (int i = 0; i < nItems; i++) {
            if (kindOf[i] == STAR) {
                starPopularity[itemCat[i]] += popularity[i];
                starPopularityAll += popularity[i];
            }
        }
    }

    private void plantShocks(Integer[] byPopularity) {
        long start = cfg.start().toEpochMilli();
        long span = cfg.duration().toMillis();
        int planted = 0;
        for (int k = 0; planted < cfg.shocks() && k < nItems; k++) {
            // Popular enough to be seen within minutes, but not the very top (those stay steady).
            int i = byPopularity[Math.min(nItems - 1, 12 + k * 3)];
            if (kindOf[i] != NORMAL) {
                continue;
            }
            kindOf[i] = SHOCK;
            planted++;
            // Onsets after a full day (the trend detector learns the daily rhythm first), at shop
            // hours (09:00-21:00 in Shanghai) when people are there to notice.
            long day = start + DAY + (long) (rnd.nextDouble() * Math.max(0, span - 2 * DAY)) / DAY * DAY;
            long onset = Math.floorDiv(day + SHANGHAI, DAY) * DAY - SHANGHAI + 9 * HOUR + rnd.nextLong(12 * HOUR);
            shockOnset[i] = Math.floorDiv(Math.min(onset, start + span - 3 * HOUR), MINUTE) * MINUTE;
            shockMultiplier[i] = 4 + 4 * rnd.nextDouble();
            shockRamp[i] = planted % 2 == 0;
        }
    }

    /**
     * Plants the spikes and decoys of {@code plan}, drawing only from {@code plans}: each on a
     * random unplanted item of its size band, in a category holding the fewest of its kind so far
     * (spikes land in distinct categories while there are any left; ties go by a shuffled order of
     * the categories), with an onset uniform within its phase's window, on a whole minute.
     */
    private void plantPlan(SpikePlan plan, SplittableRandom plans) {
        long start = cfg.start().toEpochMilli();
        int nCats = CATEGORIES.size();
        int[] catOrder = new int[nCats];
        for (int c = 0; c < nCats; c++) {
            catOrder[c] = c;
        }
        for (int c = nCats - 1; c > 0; c--) {
            int j = plans.nextInt(c + 1);
            int tmp = catOrder[c];
            catOrder[c] = catOrder[j];
            catOrder[j] = tmp;
        }
        int[] spikesIn = new int[nCats];
        for (int k = 0; k < plan.spikes(); k++) {
            SpikePlan.Combination deal = plan.combination(k);
            int i = pickPlanned(deal.band(), catOrder, k, spikesIn, plans);
            kindOf[i] = SHOCK;
            planned[i] = deal;
            boolean first = deal.phase() == SpikePlan.Phase.FIRST_HOURS;
            long from = (first ? plan.firstHoursFrom() : plan.day2From()).toMillis();
            long to = (first ? plan.firstHoursTo() : plan.day2To()).toMillis();
            long onset = from + (to > from ? plans.nextLong(to - from + 1) : 0);
            shockOnset[i] = start + Math.floorDiv(onset, MINUTE) * MINUTE;
            shockMultiplier[i] = deal.multiplier();
            shockRamp[i] = deal.shape() == SpikePlan.Shape.RAMP;
            if (!plan.spikeDuration().isZero()) {
                shockEnd[i] = shockOnset[i] + plan.spikeDuration().toMillis();
            }
        }
        int[] decoysIn = new int[nCats];
        for (int d = 0; d < plan.decoys(); d++) {
            int i = pickPlanned(plan.decoyBand(), catOrder, d, decoysIn, plans);
            kindOf[i] = DECOY;
            decoyMultiplier[i] = plan.decoyMultiplier();
        }
    }

    /**
     * A random item of {@code band} that nothing is planted on yet, in the category with the
     * fewest plants so far ({@code planted}, counted up here) that has one; among equals, the first
     * in {@code catOrder} from position {@code k}.
     */
    private int pickPlanned(SpikePlan.SizeBand band, int[] catOrder, int k, int[] planted, SplittableRandom plans) {
        int from = band.fromRank(nItems);
        int to = Math.min(nItems, band.toRank(nItems));
        int nCats = catOrder.length;
        int[] best = null;
        int bestCat = -1;
        for (int step = 0; step < nCats; step++) {
            int c = catOrder[(k + step) % nCats];
            if (bestCat >= 0 && planted[c] >= planted[bestCat]) {
                continue;
            }
            int[] free = IntStream.range(0, byCategory[c].length)
                    .map(m -> byCategory[c][m])
                    .filter(i -> rankOf[i] >= from && rankOf[i] < to && kindOf[i] == NORMAL)
                    .toArray();
            if (free.length > 0) {
                best = free;
                bestCat = c;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("--spikes/--decoys: the " + band.label() + " band (popularity ranks "
                    + from + "-" + (to - 1) + ") has too few items for every spike and decoy; use more items per "
                    + "category or fewer spikes");
        }
        planted[bestCat]++;
        return best[plans.nextInt(best.length)];
    }

    /** Item indexes, most popular first (a stable sort: ties keep index order). */
    Integer[] byPopularity() {
        Integer[] byPopularity = new Integer[nItems];
        for (int i = 0; i < nItems; i++) {
            byPopularity[i] = i;
        }
        Arrays.sort(byPopularity, (a, b) -> Double.compare(popularity[b], popularity[a]));
        return byPopularity;
    }

    /** The category of item {@code i}. */
    CategoryDef category(int i) {
        return CATEGORIES.get(itemCat[i]);
    }

    /** Index in {@link #CATEGORIES} of category {@code id}. */
    static int indexOfCategory(long id) {
        return (int) (id - CATEGORIES.get(0).id());
    }

    /** Index of item {@code id}. */
    int indexOfItem(long id) {
        long cat = id / 100_000;
        return indexOfCategory(cat) * cfg.itemsPerCategory() + (int) (id % 100_000) - 1;
    }

    /** The popularity half the items stay below. */
    double medianPopularity() {
        double[] sorted = popularity.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /**
     * An item by popularity × boost: from the session's category (60 %) or the whole shop. The
     * base popularity is sampled from cumulative weights; the few boosted items (shocks, stars)
     * get their extra weight from a second, small draw, so sampling stays exact and O(log n).
     */
    int pickItem(int affinity, long ts) {
        boolean local = affinity >= 0 && rnd.nextDouble() < 0.6;
        double[] cumulative = local ? categoryCumulative[affinity] : globalCumulative;
        int[] members = local ? byCategory[affinity] : null;
        double base = cumulative[cumulative.length - 1];
        // Stars all grow alike, so their extra weight is one growth factor times a precomputed sum;
        // only the few shocks are summed one by one (a catalogue of 200K items has 1,333 stars).
        double extra = (starGrowth(ts) - 1) * (local ? starPopularity[affinity] : starPopularityAll);
        for (int b : shocked) {
            if (!local || itemCat[b] == affinity) {
                extra += popularity[b] * (boost(b, ts) - 1);
            }
        }
        double r = rnd.nextDouble() * (base + extra);
        if (r >= base) {
            r -= base;
            for (int b : boosted) {
                if (!local || itemCat[b] == affinity) {
                    r -= popularity[b] * (boost(b, ts) - 1);
                    if (r < 0) {
                        return b;
                    }
                }
            }
        }
        int k = Arrays.binarySearch(cumulative, Math.min(r, base));
        k = k >= 0 ? k + 1 : -k - 1;
        k = Math.min(k, cumulative.length - 1);
        return members == null ? k : members[k];
    }

    /**
     * Demand multiplier of an item at {@code ts}: shocks step or ramp up (over 10 minutes) and last
     * until their end, if they have one; stars grow 30 % a day; decoys are boosted throughout.
     */
    private double boost(int i, long ts) {
        if (kindOf[i] == SHOCK && ts >= shockOnset[i] && ts < shockEnd[i]) {
            if (!shockRamp[i]) {
                return shockMultiplier[i];
            }
            double ramp = Math.min(1.0, (ts - shockOnset[i]) / (double) (10 * MINUTE));
            return 1 + (shockMultiplier[i] - 1) * ramp;
        }
        if (kindOf[i] == STAR) {
            return starGrowth(ts);
        }
        if (kindOf[i] == DECOY) {
            return decoyMultiplier[i];
        }
        return 1.0;
    }

    /**
     * Demand multiplier of every star item at {@code ts}: 30 % a day. With a pre-campaign period,
     * stars grow from the campaigns' start on (weeks of growth would make them the whole shop).
     */
    private double starGrowth(long ts) {
        if (cfg.experiments().active()) {
            return Math.pow(1.3, Math.max(0, ts - cfg.campaignPeriodStart()) / (double) DAY);
        }
        return Math.pow(1.3, (ts - cfg.start().toEpochMilli()) / (double) DAY);
    }
}
