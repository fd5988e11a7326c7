package io.haitaopulse.common;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints the duration forms of the command line contract: {@code 500ms}, {@code 5s},
 * {@code 5m}, {@code 1h}, {@code 7d}. Exactly one non-negative integer and one unit; anything else
 * is rejected with an {@link IllegalArgumentException} whose message names the bad text.
 */
public final class Durations {

    private static final Pattern FORM = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

    private Durations() {}

    /** Parses {@code text}; throws {@link IllegalArgumentException} with a user-readable message. */
    public static Duration parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text
                    + "' is not a duration; use a whole number and one of ms, s, m, h, d (e.g. 500ms, 5s, 5m, 1h, 7d)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> throw new IllegalStateException("unreachable unit " + m.group(2));
        };
    }

    /** The shortest exact form in the contract's units, e.g. 3600000 ms prints as {@code 1h}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms != 0) {
            if (ms % 86_400_000L == 0) {
                return ms / 86_400_000L + "d";
            }
            if (ms % 3_600_000L == 0) {
                return ms / 3_600_000L + "h";
            }
            if (ms % 60_000L == 0) {
                return ms / 60_000L + "m";
            }
            if (ms % 1_000L == 0) {
                return ms / 1_000L + "s";
            }
        }
        return ms + "ms";
    }
}
