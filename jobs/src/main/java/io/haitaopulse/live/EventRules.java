package io.haitaopulse.live;

import io.haitaopulse.io.EventLimits;
import io.haitaopulse.io.ItemRules;
import io.haitaopulse.schema.Campaign;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.Exposure;
import io.haitaopulse.schema.Item;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.OrderLine;
import io.haitaopulse.schema.Review;

/**
 * The range rules of CONTRACTS §2 for events that arrive already typed (Avro on Kafka). Avro
 * enforces types, required fields and enum symbols; what it cannot express (ranges, and the
 * length of strings, {@link EventLimits}) is checked here, with
 * the same reasons the {@code jsonl} parser gives, so a bad event is described the same way
 * whichever path it took.
 */
public final class EventRules {

    private EventRules() {}

    /** The dead-letter reason for {@code event}, or {@code null} when it is valid. */
    public static String violation(Object event) {
        String tooLong = EventLimits.violation(event);
        return tooLong != null ? tooLong : rangeViolation(event);
    }

    /**
     * {@link #violation} for an event known to be within {@link EventLimits} (every string short
     * enough): the range rules alone.
     */
    public static String rangeViolation(Object event) {
        if (event instanceof Click) {
            return null;
        }
        if (event instanceof Order o) {
            for (int i = 0; i < o.getLines().size(); i++) {
                String v = line(o.getLines().get(i), "lines[" + i + "].");
                if (v != null) {
                    return v;
                }
            }
            return null;
        }
        if (event instanceof Campaign c) {
            if (c.getEndTs().isBefore(c.getStartTs())) {
                return "field 'end_ts' out of range: must be >= start_ts";
            }
            double h = c.getHoldoutPct();
            return h >= 0.0 && h <= 1.0 ? null : "field 'holdout_pct' out of range: must be within 0..1";
        }
        if (event instanceof Review r) {
            return r.getRating() >= 1 && r.getRating() <= 5 ? null : "field 'rating' out of range: must be within 1..5";
        }
        if (event instanceof Exposure) {
            return null;
        }
        if (event instanceof Item i) {
            return ItemRules.violation(i);
        }
        return "unexpected record type "
                + (event == null ? "null" : event.getClass().getSimpleName());
    }

    private static String line(OrderLine l, String prefix) {
        if (l.getQuantity() < 1) {
            return "field '" + prefix + "quantity' out of range: must be >= 1";
        }
        if (l.getUnitPriceCents() < 0) {
            return "field '" + prefix + "unit_price_cents' out of range: must be >= 0";
        }
        if (l.getDiscountCents() < 0) {
            return "field '" + prefix + "discount_cents' out of range: must be >= 0";
        }
        return null;
    }
}
