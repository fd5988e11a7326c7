package io.haitaopulse.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.haitaopulse.schema.Arm;
import io.haitaopulse.schema.Campaign;
import io.haitaopulse.schema.CampaignKind;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.Exposure;
import io.haitaopulse.schema.Item;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.OrderLine;
import io.haitaopulse.schema.OrderStatus;
import io.haitaopulse.schema.Review;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

/**
 * Every field of every input event that can hold text is held to the limit, found by trying a
 * string in each field rather than by reading the schema's types the way the implementation does.
 */
class EventLimitsTest {

    private static final Instant T = Instant.parse("2026-11-11T04:00:00Z");
    private static final String AT_LIMIT = "x".repeat(EventLimits.MAX_STRING_CHARS);
    private static final String OVER = "y".repeat(EventLimits.MAX_STRING_CHARS + 1);

    private static List<Supplier<SpecificRecordBase>> events() {
        return List.of(
                () -> new Click("e1", "u1", 7L, 3L, ClickAction.VIEW, T, null, null, null, null, null, null),
                () -> new Order(
                        "o1",
                        "u1",
                        OrderStatus.PAID,
                        T,
                        new ArrayList<>(List.of(new OrderLine(7L, 3L, 1, 1990L, 0L))),
                        null,
                        null),
                () -> new Campaign("c1", CampaignKind.FLASH_SALE, T, T.plusSeconds(3600), 0.1, null, null, null),
                () -> new Exposure("c1", "u1", Arm.TREATMENT, T),
                () -> new Review(7L, "u1", T, 5, null, null),
                () -> new Item(7L, 3L, "Milk powder", T, null, null, null, null));
    }

    @Test
    void everyTextFieldOverTheLimitIsNamedAndAtTheLimitPasses() {
        int textFields = 0;
        for (Supplier<SpecificRecordBase> make : events()) {
            assertNull(EventLimits.violation(make.get()), "a valid event");
            for (Schema.Field f : make.get().getSchema().getFields()) {
                SpecificRecordBase over = make.get();
                try {
                    over.put(f.pos(), OVER);
                } catch (ClassCastException notText) {
                    continue;
                }
                textFields++;
                assertEquals(
                        EventLimits.tooLong(f.name(), OVER.length()),
                        EventLimits.violation(over),
                        over.getSchema().getName() + "." + f.name());
                SpecificRecordBase at = make.get();
                at.put(f.pos(), AT_LIMIT);
                assertNull(EventLimits.violation(at), f.name());
            }
        }
        // Click 7, Order 4, Campaign 2, Exposure 2, Review 2, Item 4.
        assertEquals(21, textFields);
    }

    @Test
    void nestedRecordsAndArraysAreNamedByTheirPathAndEachSchemaByItsOwnFields() {
        Schema inner =
                SchemaBuilder.record("Inner").fields().optionalString("label").endRecord();
        Schema outer = SchemaBuilder.record("Outer")
                .fields()
                .requiredLong("n")
                .name("inner")
                .type(inner)
                .noDefault()
                .name("list")
                .type()
                .array()
                .items(inner)
                .noDefault()
                .endRecord();
        GenericRecord ok = new GenericData.Record(inner);
        ok.put("label", AT_LIMIT);
        GenericRecord bad = new GenericData.Record(inner);
        bad.put("label", OVER);

        GenericRecord r = new GenericData.Record(outer);
        r.put("n", 1L);
        r.put("inner", ok);
        r.put("list", List.of(ok, ok));
        assertNull(EventLimits.violation(r));
        r.put("list", List.of(ok, bad));
        assertEquals(EventLimits.tooLong("list[1].label", OVER.length()), EventLimits.violation(r));
        r.put("list", List.of());
        r.put("inner", bad);
        assertEquals(EventLimits.tooLong("inner.label", OVER.length()), EventLimits.violation(r));

        // Another schema of the same record class: its own fields are checked, not the first one's.
        Schema other = SchemaBuilder.record("Other")
                .fields()
                .requiredString("name")
                .requiredLong("n")
                .endRecord();
        GenericRecord o = new GenericData.Record(other);
        o.put("name", OVER);
        o.put("n", 2L);
        assertEquals(EventLimits.tooLong("name", OVER.length()), EventLimits.violation(o));
        assertNull(EventLimits.violation("not a record"));
    }
}
