package io.haitaopulse.live;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * Every released version of the project's schemas, read from the schemas jar
 * ({@code released/INDEX} and {@code released/vN/…}): the writer schemas a decoder must know so
 * that producers still on an older version are read after the job is upgraded.
 */
public final class ReleasedSchemas {

    /** Folders in parse order: named types exist before they are referenced. */
    private static final List<String> PARSE_ORDER = List.of("common", "events", "tables", "internal");

    private static volatile Map<String, List<Schema>> byName;

    private ReleasedSchemas() {}

    /** The released versions of the record {@code fullName}, oldest first (identical versions included). */
    public static List<Schema> of(String fullName) {
        return all().getOrDefault(fullName, List.of());
    }

    private static Map<String, List<Schema>> all() {
        Map<String, List<Schema>> m = byName;
        if (m == null) {
            m = load();
            byName = m;
        }
        return m;
    }

    private static Map<String, List<Schema>> load() {
        Map<String, List<String>> filesByVersion = new LinkedHashMap<>();
        for (String line : read("released/INDEX").split("\n")) {
            String path = line.strip();
            if (!path.isEmpty()) {
                filesByVersion
                        .computeIfAbsent(path.substring(0, path.indexOf('/')), v -> new ArrayList<>())
                        .add(path);
            }
        }
        Map<String, List<Schema>> schemas = new LinkedHashMap<>();
        List<String> versions = new ArrayList<>(filesByVersion.keySet());
        versions.sort((a, b) -> Integer.compare(Integer.parseInt(a.substring(1)), Integer.parseInt(b.substring(1))));
        for (String version : versions) {
            // One parser per version: the versions define the same names differently.
            Schema.Parser parser = new Schema.Parser();
            for (String folder : PARSE_ORDER) {
                for (String path : filesByVersion.get(version)) {
                    if (path.startsWith(version + "/" + folder + "/")) {
                        Schema s = parser.parse(read("released/" + path));
                        schemas.computeIfAbsent(s.getFullName(), n -> new ArrayList<>())
                                .add(s);
                    }
                }
            }
        }
        return schemas;
    }

    private static String read(String resource) {
        try (InputStream in = ReleasedSchemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from the schemas jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
