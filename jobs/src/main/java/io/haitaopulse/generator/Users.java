package io.haitaopulse.generator;

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
     * Builds the users of {@code cfg}: ids from {@code seed}, profiles from {@code rnd} (which picks
     * visitors later), devices from {@code extra}.
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
}
