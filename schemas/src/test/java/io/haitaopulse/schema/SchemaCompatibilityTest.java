package io.haitaopulse.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

class SchemaCompatibilityTest {

    /** Folders are parsed in this order so that named types exist before they are referenced. */
    private static final List<String> PARSE_ORDER = List.of("common", "events", "tables", "internal");

    @Test
    void everyReleasedVersionIsFullyCompatibleWithTheCurrentSchemas() throws Exception {
        Path releasedRoot = Paths.get(getClass().getResource("/released").toURI());
        List<Path> versions;
        try (Stream<Path> s = Files.list(releasedRoot)) {
            versions = s.filter(Files::isDirectory).sorted().toList();
        }
        assertThat(versions).isNotEmpty();
        for (Path version : versions) {
            Map<String, Schema> released = parseReleased(version);
            assertThat(released).as("schemas in %s", version).isNotEmpty();
            for (Schema old : released.values()) {
                Schema current = currentSchema(old.getFullName());
                assertThat(compatibility(current, old))
                        .as("current %s reads data written by %s (backward)", old.getFullName(), version.getFileName())
                        .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
                // Forward: old readers read new data, except for the symbols the current schemas
                // added to an enum without a default (FORWARD_BREAKS), which an old job can
                // only dead-letter, and the branches added to an internal union
                // (ADDED_INTERNAL_BRANCHES); without exactly those the new data must be readable.
                assertThat(compatibility(old, withoutForwardBreaks(withoutAddedBranches(current))))
                        .as(
                                "%s of %s reads data written by the current schema (forward)",
                                version.getFileName(), old.getFullName())
                        .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
            }
        }
    }

    /**
     * Enum symbols added since v1 that older readers cannot read (their enums have no default),
     * by enum: the only forward-incompatible changes allowed, each one documented in
     * released/README.md. A producer sending one needs the job upgraded first.
     */
    private static final Map<String, List<String>> FORWARD_BREAKS =
            Map.of("io.haitaopulse.schema.OrderStatus", List.of("CREATED"));

    /**
     * Branches added since v1 to the union of an internal record, by record: older readers cannot
     * read a record holding one (a union has no default branch). Internal records never travel
     * between jobs of different versions on the wire, and no state holds an internal record with
     * such a branch, so this only limits what an old job could decode; each is documented in
     * released/README.md.
     */
    private static final Map<String, List<String>> ADDED_INTERNAL_BRANCHES =
            Map.of("io.haitaopulse.schema.internal.Ingested", List.of("io.haitaopulse.schema.Item"));

    @Test
    void theAddedInternalBranchesAreExactlyTheListedOnes() {
        Schema released = parseReleased(Paths.get("src/main/resources/released/v5"))
                .get("io.haitaopulse.schema.internal.Ingested");
        Schema current = io.haitaopulse.schema.internal.Ingested.getClassSchema();
        assertThat(compatibility(released, current))
                .as("v5 readers cannot read an Item body, which is why it is listed")
                .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
        assertThat(compatibility(released, withoutAddedBranches(current)))
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(current.getField("body").schema().getTypes())
                .last()
                .as("appended last, so the branch indexes of older data keep their meaning")
                .isEqualTo(Item.getClassSchema());
    }

    @Test
    void theForwardBreaksAreExactlyTheListedEnumSymbols() {
        Schema released =
                parseReleased(Paths.get("src/main/resources/released/v3")).get("io.haitaopulse.schema.Order");
        assertThat(compatibility(released, Order.getClassSchema()))
                .as("v3 readers cannot read CREATED, which is why it is listed")
                .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
        assertThat(compatibility(released, withoutForwardBreaks(Order.getClassSchema())))
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(OrderStatus.getClassSchema().getEnumSymbols())
                .containsAll(FORWARD_BREAKS.get("io.haitaopulse.schema.OrderStatus"));
    }

    @Test
    void everyCurrentSchemaHasAReleasedVersion() throws Exception {
        Path main = Paths.get("src/main/avro");
        Path releasedRoot = Paths.get(getClass().getResource("/released").toURI());
        Path newest;
        try (Stream<Path> s = Files.list(releasedRoot)) {
            newest = s.filter(Files::isDirectory)
                    .max(java.util.Comparator.comparingInt(
                            p -> Integer.parseInt(p.getFileName().toString().substring(1))))
                    .orElseThrow();
        }
        Map<String, Schema> current = parseReleased(main);
        assertThat(parseReleased(newest).keySet())
                .as("schemas released in %s", newest.getFileName())
                .containsAll(current.keySet());
    }

    @Test
    void theIndexListsEveryReleasedFile() throws Exception {
        Path releasedRoot = Paths.get(getClass().getResource("/released").toURI());
        List<String> files;
        try (Stream<Path> s = Files.walk(releasedRoot)) {
            files = s.filter(p -> p.toString().endsWith(".avsc"))
                    .map(p -> releasedRoot.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        }
        List<String> index = Files.readAllLines(releasedRoot.resolve("INDEX")).stream()
                .filter(l -> !l.isBlank())
                .sorted()
                .toList();
        assertThat(index)
                .as("released/INDEX (the jobs load writer schemas from it)")
                .isEqualTo(files);
    }

    @Test
    void theCheckRejectsAnAddedRequiredField() {
        Schema old = Click.getClassSchema();
        Schema changed = withExtraField(old, SchemaBuilder.builder().longType(), null);
        // New readers cannot fill the field from old data: this is the change the test must catch.
        assertThat(compatibility(changed, old)).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    @Test
    void theCheckAcceptsAnAddedOptionalFieldWithDefault() {
        Schema old = Click.getClassSchema();
        Schema changed = withExtraField(
                old,
                SchemaBuilder.builder().unionOf().nullType().and().stringType().endUnion(),
                Schema.Field.NULL_DEFAULT_VALUE);
        assertThat(compatibility(changed, old)).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(compatibility(old, changed)).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    @Test
    void theCheckRejectsARemovedEnumSymbolForOldWriters() {
        Schema old = OrderStatus.getClassSchema();
        Schema shrunk =
                Schema.createEnum(old.getName(), old.getDoc(), old.getNamespace(), List.of("PAID", "CANCELLED"));
        assertThat(compatibility(shrunk, old)).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    @Test
    void everyOptionalFieldHasANullDefault() {
        for (Schema s : parseReleased(Paths.get("src/main/avro")).values()) {
            if (s.getType() != Schema.Type.RECORD) {
                continue;
            }
            for (Schema.Field f : s.getFields()) {
                boolean optional =
                        f.schema().isUnion() && f.schema().getTypes().get(0).getType() == Schema.Type.NULL;
                if (optional) {
                    assertThat(f.hasDefaultValue())
                            .as("%s.%s has a default", s.getName(), f.name())
                            .isTrue();
                    assertThat(f.defaultVal())
                            .as("%s.%s defaults to null", s.getName(), f.name())
                            .isEqualTo(org.apache.avro.JsonProperties.NULL_VALUE);
                }
            }
        }
    }

    private static SchemaCompatibilityType compatibility(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)
                .getType();
    }

    private static Schema currentSchema(String fullName) {
        try {
            return SpecificData.get().getSchema(Class.forName(fullName));
        } catch (ClassNotFoundException e) {
            throw new AssertionError("released schema " + fullName + " has no generated class: was it removed?", e);
        }
    }

    private static Map<String, Schema> parseReleased(Path root) {
        Schema.Parser parser = new Schema.Parser();
        Map<String, Schema> byName = new TreeMap<>();
        for (String folder : PARSE_ORDER) {
            Path dir = root.resolve(folder);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> files = new ArrayList<>();
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.toString().endsWith(".avsc")).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (Path file : files) {
                try {
                    Schema schema = parser.parse(file.toFile());
                    byName.put(schema.getFullName(), schema);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return byName;
    }

    /** {@code schema} with every symbol of {@link #FORWARD_BREAKS} removed from the enums it uses. */
    private static Schema withoutForwardBreaks(Schema schema) {
        String json = schema.toString();
        for (Map.Entry<String, List<String>> e : FORWARD_BREAKS.entrySet()) {
            for (String symbol : e.getValue()) {
                json = json.replace(",\"" + symbol + "\"", "");
            }
        }
        return new Schema.Parser().parse(json);
    }

    /** {@code schema} without the union branches {@link #ADDED_INTERNAL_BRANCHES} lists for it. */
    private static Schema withoutAddedBranches(Schema schema) {
        List<String> added = ADDED_INTERNAL_BRANCHES.get(schema.getFullName());
        if (added == null) {
            return schema;
        }
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : schema.getFields()) {
            Schema type = f.schema();
            if (type.isUnion()) {
                type = Schema.createUnion(type.getTypes().stream()
                        .filter(b -> !added.contains(b.getFullName()))
                        .toList());
            }
            fields.add(new Schema.Field(f, type));
        }
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    private static Schema withExtraField(Schema base, Schema type, Object defaultValue) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : base.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(new Schema.Field("added_later", type, null, defaultValue));
        return Schema.createRecord(base.getName(), base.getDoc(), base.getNamespace(), false, fields);
    }
}
