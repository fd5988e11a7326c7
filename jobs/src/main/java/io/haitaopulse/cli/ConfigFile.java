package io.haitaopulse.cli;

import io.haitaopulse.live.LiveOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;

/**
 * The configuration file of {@code pulse run}: flat {@code key: value} lines, the form of Flink's
 * own {@code config.yaml} ({@code key=value} is accepted too), {@code #} starts a comment. Keys
 * under {@code pulse.} must be options Pulse knows (a typo fails up front with the list); every
 * other key is handed to Flink unchanged ({@code execution.checkpointing.interval},
 * {@code state.backend.type}, {@code parallelism.default}, …).
 */
final class ConfigFile {

    private ConfigFile() {}

    /** The entries of {@code file}; throws {@link IllegalArgumentException} with file and line for bad content. */
    static Map<String, String> load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage());
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = stripComment(lines.get(i)).strip();
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            int equals = line.indexOf('=');
            int sep = colon < 0 ? equals : equals < 0 ? colon : Math.min(colon, equals);
            if (sep <= 0) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected 'key: value', got '" + line + "'");
            }
            String key = line.substring(0, sep).strip();
            String value = unquote(line.substring(sep + 1).strip());
            if (values.put(key, value) != null) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": '" + key + "' is set twice");
            }
        }
        return values;
    }

    /** Checks that every {@code pulse.} key is known. */
    static void checkKeys(Map<String, String> values) {
        List<String> known = knownKeys();
        for (String key : values.keySet()) {
            if (key.startsWith("pulse.") && !known.contains(key)) {
                throw new IllegalArgumentException("unknown option " + key + "; known: " + String.join(", ", known));
            }
        }
    }

    static List<String> knownKeys() {
        List<String> keys = new ArrayList<>(JobOptionsMixin.knownKeys());
        for (ConfigOption<?> o : LiveOptions.all()) {
            keys.add(o.key());
        }
        return keys;
    }

    private static String stripComment(String line) {
        // A '#' starts a comment unless it is inside quotes (passwords may contain '#').
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'' && !dbl) {
                single = !single;
            } else if (c == '"' && !single) {
                dbl = !dbl;
            } else if (c == '#' && !single && !dbl) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }
}
