package io.haitaopulse.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.haitaopulse.schema.Campaign;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.Exposure;
import io.haitaopulse.schema.Item;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.Review;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.IndexedRecord;

/**
 * Renders Avro records as the JSON of CONTRACTS §2 and §3: fields in schema order under their
 * schema names, {@code timestamp-millis} as epoch-millisecond numbers, enums as strings, optional
 * fields as the value or {@code null}. An input event (click, order, campaign, exposure, review,
 * item) is rendered as its input line, with {@code "type"} first, so a late event can be replayed;
 * as a row of a table ({@link #toRowJson}) it has no {@code "type"}, like every other row.
 * Non-finite doubles have no JSON form and are written as {@code null}.
 */
public final class JsonRows {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final Map<String, String> EVENT_TYPES = Map.of(
            Click.getClassSchema().getFullName(), "click",
            Order.getClassSchema().getFullName(), "order",
            Campaign.getClassSchema().getFullName(), "campaign",
            Exposure.getClassSchema().getFullName(), "exposure",
            Review.getClassSchema().getFullName(), "review",
            Item.getClassSchema().getFullName(), "item");

    private JsonRows() {}

    /** One line of JSON for {@code record}, without a line terminator. */
    public static String toJson(IndexedRecord record) {
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            writeRecord(g, record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /**
     * One line of JSON for {@code record} as a row of an output table: {@link #toJson} without the
     * {@code "type"} of an input event at the top level (the rows of the reference tables are input
     * records; a row's fields are its table's columns). Nested events keep theirs.
     */
    public static String toRowJson(IndexedRecord record) {
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            writeRecord(g, record, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /**
     * Writes {@code record} to {@code g} as one JSON object (no line terminator), so that a caller
     * writing many rows can reuse one generator instead of creating one per row.
     */
    public static void write(JsonGenerator g, IndexedRecord record) throws IOException {
        writeRecord(g, record);
    }

    /**
     * A generator on {@code out} for many rows: nothing between root values (the caller writes the
     * line breaks), and its flush only empties its own buffer into {@code out}, not {@code out} itself.
     */
    public static JsonGenerator generator(java.io.Writer out) throws IOException {
        JsonGenerator g = FACTORY.createGenerator(out);
        g.setRootValueSeparator(null);
        g.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        return g;
    }

    private static void writeRecord(JsonGenerator g, IndexedRecord record) throws IOException {
        writeRecord(g, record, true);
    }

    private static void writeRecord(JsonGenerator g, IndexedRecord record, boolean typed) throws IOException {
        Schema schema = record.getSchema();
        g.writeStartObject();
        String type = typed ? EVENT_TYPES.get(schema.getFullName()) : null;
        if (type != null) {
            g.writeStringField("type", type);
        }
        for (Schema.Field f : schema.getFields()) {
            g.writeFieldName(f.name());
            writeValue(g, f.schema(), record.get(f.pos()));
        }
        g.writeEndObject();
    }

    private static void writeValue(JsonGenerator g, Schema schema, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
            return;
        }
        switch (schema.getType()) {
            case UNION -> writeValue(g, branchFor(schema, value), value);
            case RECORD -> writeRecord(g, (IndexedRecord) value);
            case ARRAY -> {
                g.writeStartArray();
                for (Object item : (Collection<?>) value) {
                    writeValue(g, schema.getElementType(), item);
                }
                g.writeEndArray();
            }
            case ENUM ->
                g.writeString(value instanceof GenericEnumSymbol<?> s ? s.toString() : ((Enum<?>) value).name());
            case STRING -> g.writeString(value.toString());
            case LONG -> {
                if (value instanceof Instant i) {
                    g.writeNumber(i.toEpochMilli());
                } else {
                    g.writeNumber((Long) value);
                }
            }
            case INT -> g.writeNumber((Integer) value);
            case DOUBLE -> {
                double d = (Double) value;
                if (Double.isFinite(d)) {
                    g.writeNumber(d);
                } else {
                    g.writeNull();
                }
            }
            case FLOAT -> g.writeNumber((Float) value);
            case BOOLEAN -> g.writeBoolean((Boolean) value);
            default -> throw new IllegalArgumentException("no JSON form for Avro type " + schema.getType());
        }
    }

    private static Schema branchFor(Schema union, Object value) {
        for (Schema branch : union.getTypes()) {
            if (matches(branch, value)) {
                return branch;
            }
        }
        throw new IllegalArgumentException("value of " + value.getClass() + " fits no branch of " + union);
    }

    private static boolean matches(Schema branch, Object value) {
        return switch (branch.getType()) {
            case NULL -> false;
            case RECORD ->
                value instanceof IndexedRecord r && r.getSchema().getFullName().equals(branch.getFullName());
            case ENUM ->
                value instanceof Enum<?> e
                        && e.getDeclaringClass().getSimpleName().equals(branch.getName());
            case STRING -> value instanceof CharSequence;
            case LONG ->
                value instanceof Long
                        || (value instanceof Instant
                                && branch.getLogicalType() instanceof LogicalTypes.TimestampMillis);
            case INT -> value instanceof Integer;
            case DOUBLE -> value instanceof Double;
            case FLOAT -> value instanceof Float;
            case BOOLEAN -> value instanceof Boolean;
            case ARRAY -> value instanceof Collection<?>;
            default -> false;
        };
    }
}
