package io.haitaopulse.io;

import io.haitaopulse.schema.Item;

/**
 * The rules of a catalogue record (CONTRACTS §2 type {@code item}) that its types cannot express,
 * shared by the {@code jsonl} parser and the Kafka path so that a bad record is described the
 * same way whichever path it took: {@code name} not blank, {@code origin_country} (when present)
 * an ISO 3166-1 alpha-2 code written as two upper-case letters A–Z, {@code price_cents} (when
 * present) at least 0. Whether the code is an assigned country is not checked: the list changes,
 * and an unassigned code harms nothing downstream.
 */
public final class ItemRules {

    private ItemRules() {}

    /** The dead-letter reason for {@code item}, or {@code null} when it is valid. */
    public static String violation(Item item) {
        if (item.getName().isBlank()) {
            return "field 'name' must not be blank";
        }
        String country = item.getOriginCountry();
        if (country != null && !isAlpha2(country)) {
            return "field 'origin_country' must be two upper-case letters A-Z (ISO 3166-1 alpha-2)";
        }
        Long price = item.getPriceCents();
        if (price != null && price < 0) {
            return "field 'price_cents' out of range: must be >= 0";
        }
        return null;
    }

    private static boolean isAlpha2(String s) {
        return s.length() == 2 && isUpper(s.charAt(0)) && isUpper(s.charAt(1));
    }

    private static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }
}
