package io.haitaopulse.generator;

/** Time units of the simulation (epoch milliseconds) and the shop's daily and weekly rhythm. */
final class Times {

    static final long MINUTE = 60_000L;
    static final long HOUR = 3_600_000L;
    static final long DAY = 86_400_000L;
    /** Offset of Asia/Shanghai from UTC; the shop has no daylight saving time. */
    static final long SHANGHAI = 8 * HOUR;

    private Times() {}

    /** Activity relative to the daily mean at {@code t}: evenings and lunch peak, nights are quiet, weekends busier. */
    static double rhythm(long t) {
        long local = t + SHANGHAI;
        int hour = (int) Math.floorMod(Math.floorDiv(local, HOUR), 24L);
        int dow = (int) Math.floorMod(Math.floorDiv(local, DAY) + 3, 7L); // 1970-01-01 was a Thursday: 0 = Monday
        double[] hourly = {
            0.5, 0.3, 0.2, 0.12, 0.1, 0.12, 0.3, 0.6, 0.9, 1.0, 1.1, 1.2, 1.5, 1.3, 1.0, 1.0, 1.0, 1.1, 1.2, 1.5, 1.9,
            2.1, 1.8, 1.0
        };
        double weekly = dow >= 5 ? 1.2 : 0.92;
        return hourly[hour] / 0.995 * weekly;
    }
}
