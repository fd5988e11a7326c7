package io.haitaopulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.config.ConfigCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/**
 * The checked-in configuration reference is exactly what {@link ConfigDocs} generates from the
 * options, and it documents every option with a description.
 */
class ConfigDocsTest {

    private static Path reference() {
        return Paths.get(System.getProperty("pulse.home", ".."))
                .toAbsolutePath()
                .normalize()
                .resolve(ConfigDocs.PATH);
    }

    @Test
    void theCheckedInReferenceIsWhatTheGeneratorPrints() throws IOException {
        Path file = reference();
        String checkedIn = Files.exists(file) ? Files.readString(file) : "";
        assertThat(checkedIn)
                .withFailMessage(
                        ConfigDocs.PATH + " differs from the option definitions; regenerate it from the repository "
                                + "root with:%n  %s",
                        ConfigDocs.COMMAND)
                .isEqualTo(ConfigDocs.render());
    }

    @Test
    void everyOptionIsListedWithADescriptionThatStatesItsRange() {
        String doc = ConfigDocs.render();
        for (ConfigCatalog.Entry e : ConfigCatalog.all().values()) {
            assertThat(doc).as(e.key()).contains("| `" + e.key() + "` |");
            assertThat(new org.apache.flink.configuration.description.HtmlFormatter()
                            .format(e.option().description()))
                    .as(e.key() + " description")
                    .hasSizeGreaterThan(20);
        }
        assertThat(doc)
                .contains("| `pulse.window` | Duration | `1h` |")
                .contains("Command-line flag: `--window`.")
                .contains("| `pulse.sinks` | List of Enum (KAFKA, POSTGRES) | `KAFKA;POSTGRES` |")
                .contains("| `pulse.kafka.group-id` | String | (none) |");
    }
}
