package io.haitaopulse.cli;

import io.haitaopulse.common.Durations;
import io.haitaopulse.config.ConfigCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.Formatter;
import org.apache.flink.configuration.description.TextElement;

/**
 * Generates the configuration reference, {@code docs/user/configuration.md}, from the options
 * themselves ({@link ConfigCatalog}): one section per area, each option's key, type, default and
 * description. The checked-in file is what this prints; {@code ConfigDocsTest} fails when they differ.
 *
 * <p>Usage: {@code ConfigDocs [FILE]} writes the reference to FILE, or prints it without one.
 */
public final class ConfigDocs {

    /** Where the reference lives, relative to the repository root. */
    static final String PATH = "docs/user/configuration.md";

    /** How to regenerate the reference from the repository root, for the test's failure message. */
    static final String COMMAND =
            "mvn -B -ntp -o -q package -DskipTests && java -cp \"jobs/target/haitao-pulse-jobs.jar:"
                    + "$(cat jobs/target/classpath.txt)\" io.haitaopulse.cli.ConfigDocs " + PATH;

    private ConfigDocs() {}

    /** Writes the reference to {@code args[0]}, or prints it. */
    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.out.print(render());
        } else {
            Files.writeString(Path.of(args[0]), render());
        }
    }

    /** The reference, Markdown. */
    static String render() {
        StringBuilder b = new StringBuilder();
        b.append("# Configuration reference\n\n");
        b.append(
                        "<!-- Generated from the option definitions by io.haitaopulse.cli.ConfigDocs; do not edit. Regenerate with:\n")
                .append("     ")
                .append(COMMAND)
                .append(" -->\n\n");
        b.append("""
                Every option below can be set in three ways:

                - in the configuration file of `pulse run` and `pulse submit` (`--config FILE`): YAML in the
                  form of Flink's own `config.yaml`, with flat dotted keys (`pulse.kafka.bootstrap-servers: kafka:9092`),
                  nested maps (`pulse:` / `kafka:` / `bootstrap-servers: kafka:9092`) or a mixture of both;
                - with `--conf KEY=VALUE` on `pulse run` and `pulse submit` (overriding the file) and on
                  `pulse replay` (every option but those of live runs);
                - for the common options that name one, with their flag of `pulse replay` (`--window 30m`).

                A key under `pulse.` that is not listed here is an error that names the file, the line and the
                closest known key; so is a key set twice (also when once flat and once nested) and a map or a
                list given to an option that takes one value. Every other key of the file goes to Flink unchanged
                (`execution.checkpointing.interval`, `state.backend.type`, `parallelism.default`, …).
                Values are checked before a job starts: an invalid one fails the command with one line naming
                its key.

                Value formats: a **duration** is a whole number and a unit, `500ms`, `5s`, `10m`, `1h` or `7d`
                (the flags take exactly these forms; the file and `--conf` also take Flink's, such as `10 min`).
                A **list** is written `A;B` or, in the file, as a YAML list `[A, B]`. Enumerations are
                case-insensitive.

                """);
        for (ConfigCatalog.Area area : ConfigCatalog.AREAS) {
            b.append("## ")
                    .append(area.title())
                    .append("\n\n")
                    .append(area.about())
                    .append("\n\n");
            b.append("| Key | Type | Default | Description |\n|---|---|---|---|\n");
            for (ConfigCatalog.Entry e : ConfigCatalog.of(area)) {
                b.append("| `")
                        .append(e.key())
                        .append("` | ")
                        .append(type(e))
                        .append(" | ")
                        .append(defaultOf(e.option()))
                        .append(" | ")
                        .append(cell(description(e)))
                        .append(" |\n");
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String description(ConfigCatalog.Entry e) {
        String text = new PlainFormatter().format(e.option().description());
        String flag = JobOptionsMixin.FLAGS.get(e.key());
        return flag == null ? text : text + " Command-line flag: `" + flag + "`.";
    }

    private static String type(ConfigCatalog.Entry e) {
        Class<?> c = e.valueClass();
        String name = c.isEnum() ? "Enum" : c.getSimpleName();
        if (c.isEnum()) {
            List<String> values = new ArrayList<>();
            for (Object v : c.getEnumConstants()) {
                values.add(((Enum<?>) v).name());
            }
            name = "Enum (" + String.join(", ", values) + ")";
        }
        return e.isList() ? "List of " + name : name;
    }

    private static String defaultOf(ConfigOption<?> option) {
        if (!option.hasDefaultValue()) {
            return "(none)";
        }
        return "`" + value(option.defaultValue()) + "`";
    }

    private static String value(Object v) {
        if (v instanceof Duration d) {
            return Durations.format(d);
        }
        if (v instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            list.forEach(item -> items.add(value(item)));
            return String.join(";", items);
        }
        if (v instanceof Enum<?> en) {
            return en.name();
        }
        return String.valueOf(v);
    }

    private static String cell(String text) {
        return text.replace("|", "\\|")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\n", " ");
    }

    /** Flink's description text without HTML: the reference is Markdown. */
    private static final class PlainFormatter extends Formatter {
        @Override
        protected void formatLink(StringBuilder state, String link, String description) {
            state.append(description).append(" (").append(link).append(')');
        }

        @Override
        protected void formatLineBreak(StringBuilder state) {
            state.append(' ');
        }

        @Override
        protected void formatText(
                StringBuilder state,
                String format,
                String[] elements,
                java.util.EnumSet<TextElement.TextStyle> styles) {
            state.append(String.format(format, (Object[]) elements));
        }

        @Override
        protected void formatList(StringBuilder state, String[] entries) {
            state.append(String.join("; ", entries));
        }

        @Override
        protected Formatter newInstance() {
            return new PlainFormatter();
        }
    }
}
