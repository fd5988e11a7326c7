package io.haitaopulse.dashboard;

import io.haitaopulse.common.Durations;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * How the dashboard tells time. Every time on its pages is shown in the shop's offset from UTC,
 * labelled (e.g. {@code 2026-11-03 14:05 (UTC+08:00)}). In a real deployment the freshness line
 * gives the age of the newest data against the wall clock. A simulated shop (the demo streams days
 * of event time in minutes) has a stream clock instead, the newest event time sent so far: the
 * pages then say "simulated shop time" and how far the tables are behind the stream, in shop time,
 * and never compare event time with the wall clock.
 *
 * @param offset the shop's offset from UTC (the jobs' {@code pulse.timezone-offset})
 * @param streamNewest the newest event time sent into the stream, epoch ms, {@link Long#MIN_VALUE}
 *     before the first; null for a real shop. Called from the server's threads.
 */
public record ShopClock(ZoneOffset offset, LongSupplier streamNewest) {

    public ShopClock {
        Objects.requireNonNull(offset, "offset");
    }

    /** A real shop in {@code offset}: ages against the wall clock. */
    public static ShopClock wall(ZoneOffset offset) {
        return new ShopClock(offset, null);
    }

    /** A simulated shop in {@code offset} whose newest streamed event time {@code streamNewest} tells. */
    public static ShopClock simulated(ZoneOffset offset, LongSupplier streamNewest) {
        return new ShopClock(offset, Objects.requireNonNull(streamNewest, "streamNewest"));
    }

    /** Whether event time is simulated (a stream clock is set). */
    public boolean isSimulated() {
        return streamNewest != null;
    }

    /** The label of the offset, {@code UTC+08:00} (also for UTC itself: {@code UTC+00:00}). */
    public String label() {
        return "UTC" + (offset.getTotalSeconds() == 0 ? "+00:00" : offset.getId());
    }

    /**
     * The offset a duration describes, as the jobs' {@code pulse.timezone-offset} does.
     *
     * @throws IllegalArgumentException unless it is whole seconds within ±18 h
     */
    public static ZoneOffset offsetOf(Duration d) {
        if (d.getNano() != 0 || d.abs().compareTo(Duration.ofHours(18)) > 0) {
            throw new IllegalArgumentException(
                    "a time zone offset must be whole seconds within -18h and +18h, not " + d);
        }
        return ZoneOffset.ofTotalSeconds((int) d.getSeconds());
    }

    /**
     * Parses an offset in the command line's duration forms with an optional sign: {@code 8h},
     * {@code +8h}, {@code -5h}, {@code 330m}.
     *
     * @throws IllegalArgumentException with a user-readable message otherwise
     */
    public static ZoneOffset parseOffset(String text) {
        String t = text == null ? "" : text.trim();
        boolean negative = t.startsWith("-");
        if (negative || t.startsWith("+")) {
            t = t.substring(1);
        }
        Duration d;
        try {
            d = Durations.parse(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time zone offset; use e.g. 8h, -5h or 330m", e);
        }
        return offsetOf(negative ? d.negated() : d);
    }
}
