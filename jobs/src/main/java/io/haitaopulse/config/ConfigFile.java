package io.haitaopulse.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.YamlParserUtils;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The configuration file of {@code pulse run} and {@code pulse submit}: YAML in the form of Flink
 * 2's own {@code config.yaml}. Keys may be flat and dotted ({@code pulse.kafka.bootstrap-servers: x}),
 * nested maps ({@code pulse:} / {@code kafka:} / {@code bootstrap-servers: x}) or any mixture; a
 * nested key means its path joined with dots, as Flink reads it. The file is read with the YAML
 * parser Flink itself uses (snakeyaml-engine), keeping each key's line so that errors point at it.
 *
 * <p>Rules, each violation failing with one line {@code FILE:LINE: …}: a key under {@code pulse.}
 * must be an option of {@link ConfigCatalog} (a typo names the closest known key); a key is set
 * once, whether spelt flat or nested (both lines are named); a {@code pulse.} option takes one
 * value, a list only where the option is a list, never a map. Every other key goes to Flink
 * unchanged: scalars as written, lists in YAML flow form ({@code [a, b]}), nested maps flattened.
 */
public final class ConfigFile {

    private ConfigFile() {}

    /** The entries of {@code file}, flat keys in file order; throws {@link IllegalArgumentException} naming file and line. */
    public static Map<String, String> load(Path file) {
        return parse(file.toString(), text(file));
    }

    /** The text of {@code file}; throws {@link IllegalArgumentException} when it cannot be read. */
    public static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage());
        }
    }

    /** The entries of {@code text}, read as the file named {@code name}. */
    public static Map<String, String> parse(String name, String text) {
        Optional<Node> root;
        try {
            root = new Compose(LoadSettings.builder().setLabel(name).build()).composeString(text);
        } catch (MarkedYamlEngineException e) {
            // The exception's own message quotes the offending line, which may hold a password.
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
            throw new IllegalArgumentException(name + ":" + line + ": not valid YAML: " + e.getProblem());
        } catch (YamlEngineException e) {
            throw new IllegalArgumentException(name + ": not valid YAML: " + e.getMessage());
        }
        return read(name, root).values;
    }

    /** The line of {@code text} (already parsed without error) on which {@code key} is set, or 0. */
    public static int lineOf(String name, String text, String key) {
        Integer line = read(
                        name, new Compose(LoadSettings.builder().setLabel(name).build()).composeString(text))
                .lines
                .get(key);
        return line == null ? 0 : line;
    }

    /**
     * The one of {@code keys} that {@code message} names first (the longest where several start
     * there), or null: the key a validation error is about.
     */
    public static String keyNamedIn(String message, Iterable<String> keys) {
        String found = null;
        int at = Integer.MAX_VALUE;
        for (String key : keys) {
            int i = message == null ? -1 : message.indexOf(key);
            if (i >= 0 && (i < at || i == at && key.length() > found.length())) {
                found = key;
                at = i;
            }
        }
        return found;
    }

    private static Reader read(String name, Optional<Node> root) {
        Reader reader = new Reader(name);
        if (root.isEmpty()) {
            return reader;
        }
        if (!(root.get() instanceof MappingNode top)) {
            throw new IllegalArgumentException(name + ":" + line(root.get()) + ": expected 'key: value' entries");
        }
        reader.mapping(top, "");
        return reader;
    }

    /** The walk over one file: flat keys with their values and the line each was set on. */
    private static final class Reader {
        final String name;
        final Map<String, String> values = new LinkedHashMap<>();
        final Map<String, Integer> lines = new LinkedHashMap<>();

        Reader(String name) {
            this.name = name;
        }

        void mapping(MappingNode map, String prefix) {
            for (NodeTuple t : map.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k) || k.getValue().isBlank()) {
                    throw error(t.getKeyNode(), "a key must be a plain name");
                }
                String key = prefix + k.getValue().strip();
                Node value = t.getValueNode();
                if (value instanceof MappingNode nested) {
                    if (isPulse(key) && ConfigCatalog.option(key).isPresent()) {
                        throw error(k, key + " takes a single value, not a map");
                    }
                    mapping(nested, key + ".");
                } else if (value instanceof SequenceNode list) {
                    put(k, key, list(key, k, list));
                } else {
                    put(k, key, scalar(key, k, (ScalarNode) value));
                }
            }
        }

        private String list(String key, ScalarNode k, SequenceNode list) {
            if (isPulse(key)) {
                checkKnown(k, key);
                if (!ConfigCatalog.option(key).orElseThrow().isList()) {
                    throw error(k, key + " takes a single value, not a list");
                }
            }
            List<String> items = new ArrayList<>();
            for (Node item : list.getValue()) {
                if (!(item instanceof ScalarNode s)) {
                    throw error(item, key + ": a list item must be a single value");
                }
                items.add(s.getValue());
            }
            // Flink reads a list option written as a YAML flow sequence; its own dumper quotes items as needed.
            return YamlParserUtils.toYAMLString(items);
        }

        private String scalar(String key, ScalarNode k, ScalarNode v) {
            if (isPulse(key)) {
                checkKnown(k, key);
            }
            if (v.getScalarStyle() == ScalarStyle.PLAIN
                    && List.of("", "~", "null", "Null", "NULL").contains(v.getValue())) {
                throw error(k, key + " has no value");
            }
            return v.getValue();
        }

        private void checkKnown(ScalarNode k, String key) {
            if (ConfigCatalog.option(key).isEmpty()) {
                String near = ConfigCatalog.closest(key);
                throw error(
                        k,
                        "unknown option " + key
                                + (near != null
                                        ? "; did you mean " + near + "?"
                                        : "; the options are listed in docs/user/configuration.md"));
            }
        }

        private void put(ScalarNode k, String key, String value) {
            int line = line(k);
            Integer first = lines.putIfAbsent(key, line);
            if (first != null) {
                throw new IllegalArgumentException(
                        name + ":" + line + ": " + key + " is set twice (lines " + first + " and " + line + ")");
            }
            values.put(key, value);
        }

        private IllegalArgumentException error(Node at, String message) {
            return new IllegalArgumentException(name + ":" + line(at) + ": " + message);
        }
    }

    /** Whether {@code key} is in Pulse's namespace (and so must be a known option). */
    public static boolean isPulse(String key) {
        return key.equals("pulse") || key.startsWith("pulse.");
    }

    private static int line(Node node) {
        return node.getStartMark().map(Mark::getLine).orElse(-1) + 1;
    }

    /** Checks that every {@code pulse.} key of {@code values} (command-line overrides) is known. */
    public static void checkKeys(Map<String, String> values, String origin) {
        for (String key : values.keySet()) {
            if (isPulse(key) && ConfigCatalog.option(key).isEmpty()) {
                String near = ConfigCatalog.closest(key);
                throw new IllegalArgumentException(origin + ": unknown option " + key
                        + (near != null
                                ? "; did you mean " + near + "?"
                                : "; the options are listed in docs/user/configuration.md"));
            }
        }
    }
}
