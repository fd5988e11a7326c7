package io.haitaopulse.io;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * Size limits of an event that the input contract's types cannot express, shared by the file and
 * the Kafka path so that an oversized event is refused the same way whichever path it took.
 *
 * <p>Every string field of an event (ids, names, regions; nested records included) has at most
 * {@link #MAX_STRING_CHARS} characters; a longer one makes the event a dead letter. Real ids and
 * names are a few dozen characters. Without the limit one event with an id of megabytes would be
 * kept in keyed state, written into late_events and output rows, and pseudonymising the ids built
 * from a user id (a substring search of one in the other) would take time quadratic in their length.
 */
public final class EventLimits {

    /** Longest string field of an event, in UTF-16 characters ({@link String#length()}). */
    public static final int MAX_STRING_CHARS = 4096;

    private EventLimits() {}

    /** The dead-letter reason when a string field of {@code event} is too long, else null. */
    public static String violation(Object event) {
        return event instanceof IndexedRecord r ? violation(r, "") : null;
    }

    /**
     * The fields of each record schema that can hold a string, record or array; the others
     * (numbers, enums, timestamps) cannot break a limit, and reading them through
     * {@link IndexedRecord#get} would box them for every event. Keyed by identity: a specific
     * record's schema is one instance.
     */
    private static final ClassValue<Holder> CHECKED = new ClassValue<>() {
        @Override
        protected Holder computeValue(Class<?> type) {
            return new Holder();
        }
    };

    /**
     * The checked fields of the first schema seen for a record class; other schemas of the same
     * class (generic records) are planned on each call.
     */
    private static final class Holder {
        private record Plan(Schema schema, Schema.Field[] fields) {}

        private volatile Plan plan;

        Schema.Field[] fieldsOf(Schema s) {
            Plan p = plan;
            if (p != null && p.schema == s) {
                return p.fields;
            }
            Schema.Field[] f = checkedFields(s);
            if (p == null) {
                plan = new Plan(s, f);
            }
            return f;
        }
    }

    private static Schema.Field[] checkedFields(Schema s) {
        List<Schema.Field> checked = new ArrayList<>();
        for (Schema.Field f : s.getFields()) {
            if (canHoldText(f.schema())) {
                checked.add(f);
            }
        }
        return checked.toArray(new Schema.Field[0]);
    }

    private static boolean canHoldText(Schema s) {
        return switch (s.getType()) {
            case NULL, BOOLEAN, INT, LONG, FLOAT, DOUBLE, ENUM -> false;
            case UNION -> s.getTypes().stream().anyMatch(EventLimits::canHoldText);
            default -> true;
        };
    }

    /** Recursion follows the schema's nesting (event, order line), which the data cannot deepen. */
    private static String violation(IndexedRecord r, String prefix) {
        for (Schema.Field f : CHECKED.get(r.getClass()).fieldsOf(r.getSchema())) {
            Object v = r.get(f.pos());
            if (v instanceof CharSequence s && s.length() > MAX_STRING_CHARS) {
                return tooLong(prefix + f.name(), s.length());
            }
            if (v instanceof IndexedRecord nested) {
                String reason = violation(nested, prefix + f.name() + ".");
                if (reason != null) {
                    return reason;
                }
            }
            if (v instanceof Iterable<?> items) {
                int i = 0;
                for (Object item : items) {
                    String reason = item instanceof IndexedRecord nested
                            ? violation(nested, prefix + f.name() + "[" + i + "].")
                            : item instanceof CharSequence s && s.length() > MAX_STRING_CHARS
                                    ? tooLong(prefix + f.name() + "[" + i + "]", s.length())
                                    : null;
                    if (reason != null) {
                        return reason;
                    }
                    i++;
                }
            }
        }
        return null;
    }

    /** The reason for a string field {@code field} of {@code length} characters. */
    public static String tooLong(String field, int length) {
        return "field '" + field + "' too long: " + length + " characters, at most " + MAX_STRING_CHARS;
    }
}
