package io.haitaopulse.generator;

import java.util.Arrays;
import java.util.SplittableRandom;

/** The shop's registered users: who they are, where, on what device, and who comes by when. */
final class Users {

    private static final String[] TIER1 = {"shanghai", "beijing", "shenzhen", "guangzhou"};
    private static final String[] TIER2 = {
        "hangzhou", "chengdu", "nanjing", "wuhan", "suzhou", "xian", "chongqing", "tianjin"
    };
    static final String[] OTHER = {"changsha", "hefei", "kunming", "xiamen", "qingdao", "dalian", "harbin", "nanning"};

    private final SplittableRandom rnd;
    final String[] userId;
    final String[] region;
    /** The core segment (women under 35). */
    private final boolean[] core;
    /** When a new user first appears; {@link Long#MIN_VALUE} for users who were there before. */
    final long[] firstActive;

    final boolean[] hasOrdered;
    final String[] device;

    /**
     * Persistent propensities of an {@link ExperimentPlan} (Gamma multipliers of mean 1, drawn once
     * per user from a generator of their own), or null when users are alike: how often the user
     * comes, how likely a filled basket is bought, how likely a carted line takes several units,
     * how likely a bought line comes back.
     */
    final double[] activity;

    final double[] buy;
    final double[] spend;
    final double[] returner;
    /** Cumulative session weights (activity, core segment half again) when users differ, else null. */
    private final double[] cumulativeWeight;

    /**
     * Builds the users of {@code cfg}: ids from {@code seed}, profiles from {@code rnd} (which picks
     * visitors later), devices from {@code extra}, the propensities of an experiment plan from a
     * generator of their own (so that they leave every other draw as it was).
     */
    Users(SimulatorConfig cfg, long seed, SplittableRandom rnd, SplittableRandom extra) {
        this.rnd = rnd;
        int n = cfg.users();
        userId = new String[n];
        region = new String[n];
        core = new boolean[n];
        firstActive = new long[n];
        hasOrdered = new boolean[n];
        long start = cfg.start().toEpochMilli();
        for (int u = 0; u < n; u++) {
            userId[u] = "u" + Long.toString(seed * 1_000_003L + u * 7_919L & 0x7fffffffL, 36) + "-" + u;
            double r = rnd.nextDouble();
            region[u] = r < 0.45
                    ? TIER1[rnd.nextInt(TIER1.length)]
                    : r < 0.8 ? TIER2[rnd.nextInt(TIER2.length)] : OTHER[rnd.nextInt(OTHER.length)];
            core[u] = rnd.nextDouble() < 0.6; // women under 35
            boolean isNew = rnd.nextDouble() < 0.3;
            firstActive[u] =
                    isNew ? start + (long) (rnd.nextDouble() * cfg.duration().toMillis()) : Long.MIN_VALUE;
        }
        device = new String[n];
        for (int u = 0; u < n; u++) {
            double d = extra.nextDouble();
            device[u] = d < 0.45 ? "ios" : d < 0.8 ? "android" : d < 0.95 ? "mini_program" : "web";
        }
        double k = cfg.experiments().propensityShape();
        if (k > 0) {
            SplittableRandom p = new SplittableRandom(seed ^ 0xa54ff53a5f1d36f1L);
            activity = new double[n];
            buy = new double[n];
            spend = new double[n];
            returner = new double[n];
            cumulativeWeight = new double[n];
            double total = 0;
            for (int u = 0; u < n; u++) {
                activity[u] = Draws.gamma(p, k) / k;
                buy[u] = Draws.gamma(p, k) / k;
                spend[u] = Draws.gamma(p, k) / k;
                returner[u] = Draws.gamma(p, k) / k;
                total += activity[u] * (core[u] ? 1.5 : 1.0);
                cumulativeWeight[u] = total;
            }
        } else {
            activity = null;
            buy = null;
            spend = null;
            returner = null;
            cumulativeWeight = null;
        }
    }

    /** Multiplier of user {@code u}'s chance to buy a filled basket (1 when users are alike). */
    double buyPropensity(int u) {
        return buy == null ? 1.0 : buy[u];
    }

    /** Multiplier of user {@code u}'s chance to return a bought line (1 when users are alike). */
    double returnPropensity(int u) {
        return returner == null ? 1.0 : returner[u];
    }

    /**
     * Chance that a line user {@code u} carts is a single unit: 80 % for everyone when users are
     * alike; otherwise the 20 % chance of several units scales with the user's spend (at most 95 %).
     */
    double singleUnitChance(int u) {
        return spend == null ? 0.8 : 1 - Math.min(0.95, 0.2 * spend[u]);
    }

    /** Number of users. */
    int size() {
        return userId.length;
    }

    /** Whether user {@code u} is new to the shop within the period. */
    boolean isNew(int u) {
        return firstActive[u] != Long.MIN_VALUE;
    }

    /** A user who starts a session at {@code t}, or -1 when the draw found nobody active. */
    int pick(long t) {
        if (cumulativeWeight != null) {
            return pickWeighted(t);
        }
        for (int attempt = 0; attempt < 8; attempt++) {
            int u = rnd.nextInt(userId.length);
            if (firstActive[u] != Long.MIN_VALUE && firstActive[u] > t) {
                continue;
            }
            // The core segment (women under 35) is half again as active.
            if (core[u] || rnd.nextDouble() < 0.667) {
                return u;
            }
        }
        return -1;
    }

    /** {@link #pick} when users differ: by activity × segment weight, exactly, in O(log n). */
    private int pickWeighted(long t) {
        double total = cumulativeWeight[cumulativeWeight.length - 1];
        for (int attempt = 0; attempt < 8; attempt++) {
            double r = rnd.nextDouble() * total;
            int u = Arrays.binarySearch(cumulativeWeight, r);
            u = Math.min(u >= 0 ? u + 1 : -u - 1, cumulativeWeight.length - 1);
            if (firstActive[u] != Long.MIN_VALUE && firstActive[u] > t) {
                continue;
            }
            return u;
        }
        return -1;
    }
}
