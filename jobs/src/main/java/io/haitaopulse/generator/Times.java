package io.haitaopulse.generator;

/** Time units of the simulation (epoch milliseconds) and the shop's daily and weekly rhythm. */
final class Times {

    static final long MINUTE = 60_000L;
    static final long HOUR = 3_600_000L;
    static final long DAY = 86_400_000L;
    /** Offset of Asia/Shanghai from UTC; the shop has no daylight saving time. */
    static final long SHANGHAI = 8 * HOUR;

    /** Activity per hour of the Shanghai day, before normalisation: lunch and evening peaks, quiet nights. */
    private static final double[] HOURLY = {
        0.5, 0.3, 0.2, 0.12, 0.1, 0.12, 0.3, 0.6, 0.9, 1.0, 1.1, 1.2, 1.5, 1.3, 1.0, 1.0, 1.0, 1.1, 1.2, 1.5, 1.9, 2.1,
        1.8, 1.0
    };

    private Times() {}

    /** Activity relative to the daily mean at {@code t}: evenings and lunch peak, nights are quiet, weekends busier. */
    static double rhythm(long t) {
        return HOURLY[hourOfDay(t)] / 0.995 * weekly(t);
    }

    /**
     * {@link #rhythm(long)} with the daily cycle at {@code strength}: each hour's activity raised to
     * that power and rescaled so that the day holds the same activity (0 is a flat day, 1 the shop's
     * own rhythm, exactly as {@link #rhythm(long)}; 2 makes the peak-to-trough ratio its square).
     */
    static double rhythm(long t, double strength) {
        if (strength == 1.0) {
            return rhythm(t);
        }
        double sum = 0;
        double sumPowered = 0;
        for (double h : HOURLY) {
            sum += h;
            sumPowered += Math.pow(h, strength);
        }
        return Math.pow(HOURLY[hourOfDay(t)], strength) * sum / sumPowered / 0.995 * weekly(t);
    }

    private static int hourOfDay(long t) {
        return (int) Math.floorMod(Math.floorDiv(t + SHANGHAI, HOUR), 24L);
    }

    /** Weekends are busier: 1970-01-01 was a Thursday, so day 0 + 3 is a Monday. */
    private static double weekly(long t) {
        int dow = (int) Math.floorMod(Math.floorDiv(t + SHANGHAI, DAY) + 3, 7L); // 0 = Monday
        return dow >= 5 ? 1.2 : 0.92;
    }
}
