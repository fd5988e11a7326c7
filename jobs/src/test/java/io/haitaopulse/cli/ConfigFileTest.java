package io.haitaopulse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haitaopulse.common.PulseOptions;
import io.haitaopulse.config.ConfigCatalog;
import io.haitaopulse.config.ConfigFile;
import io.haitaopulse.live.LiveOptions;
import io.haitaopulse.live.LiveOptions.SinkKind;
import io.haitaopulse.runtime.JobSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration file of {@code pulse run}: Flink's {@code config.yaml} forms (flat dotted keys,
 * nested maps and mixtures) give the same keys; mistakes fail with one line naming file, line and key.
 */
class ConfigFileTest {

    @TempDir
    Path tmp;

    private static Map<String, String> parse(String text) {
        return ConfigFile.parse("x.yaml", text);
    }

    private static String error(String text) {
        try {
            parse(text);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + text);
    }

    @Test
    void flatKeysAreReadAsWritten() {
        assertThat(parse("""
                pulse.kafka.bootstrap-servers: kafka:9092
                pulse.window: 1h
                execution.checkpointing.interval: 10s
                """))
                .containsExactly(
                        Map.entry("pulse.kafka.bootstrap-servers", "kafka:9092"),
                        Map.entry("pulse.window", "1h"),
                        Map.entry("execution.checkpointing.interval", "10s"));
    }

    @Test
    void nestedKeysMeanTheirDottedPath() {
        assertThat(parse("""
                pulse:
                  kafka:
                    bootstrap-servers: kafka:9092
                  window: 1h
                execution:
                  checkpointing:
                    interval: 10s
                """))
                .containsExactly(
                        Map.entry("pulse.kafka.bootstrap-servers", "kafka:9092"),
                        Map.entry("pulse.window", "1h"),
                        Map.entry("execution.checkpointing.interval", "10s"));
    }

    @Test
    void flatAndNestedMixAsInFlinksConfigYaml() {
        assertThat(parse("""
                pulse:
                  kafka.bootstrap-servers: kafka:9092
                  postgres:
                    url: jdbc:postgresql://db:5432/pulse
                pulse.top: 5
                state.backend:
                  type: rocksdb
                """))
                .containsExactly(
                        Map.entry("pulse.kafka.bootstrap-servers", "kafka:9092"),
                        Map.entry("pulse.postgres.url", "jdbc:postgresql://db:5432/pulse"),
                        Map.entry("pulse.top", "5"),
                        Map.entry("state.backend.type", "rocksdb"));
    }

    @Test
    void anUnknownNestedPulseKeyIsNamedWithItsLineAndTheClosestKnownKey() {
        assertThat(error("""
                # where the data is
                pulse:
                  kafka:
                    bootstrap-server: kafka:9092
                """))
                .isEqualTo("x.yaml:4: unknown option pulse.kafka.bootstrap-server; did you mean "
                        + "pulse.kafka.bootstrap-servers?");
    }

    @Test
    void anUnknownFlatPulseKeyIsNamedWithItsLine() {
        assertThat(error("""
                pulse.window: 1h

                pulse.trends.min-view: 5
                """))
                .isEqualTo("x.yaml:3: unknown option pulse.trends.min-view; did you mean pulse.trends.min-views?");
        assertThat(error("pulse.nothing-like-this-at-all: 1\n"))
                .isEqualTo("x.yaml:1: unknown option pulse.nothing-like-this-at-all; the options are listed in "
                        + "docs/user/configuration.md");
    }

    @Test
    void aKeySetTwiceNamesBothLinesWhetherFlatOrNested() {
        assertThat(error("""
                pulse.top: 5
                pulse.top: 6
                """)).isEqualTo("x.yaml:2: pulse.top is set twice (lines 1 and 2)");
        assertThat(error("""
                pulse.kafka.bootstrap-servers: a:9092
                pulse:
                  window: 1h
                  kafka:
                    bootstrap-servers: b:9092
                """)).isEqualTo("x.yaml:5: pulse.kafka.bootstrap-servers is set twice (lines 1 and 5)");
        assertThat(error("""
                state.backend.type: hashmap
                state:
                  backend.type: rocksdb
                """)).isEqualTo("x.yaml:3: state.backend.type is set twice (lines 1 and 3)");
    }

    @Test
    void aPulseOptionTakesOneValueNotAListOrAMap() {
        assertThat(error("pulse.top: [1, 2]\n")).isEqualTo("x.yaml:1: pulse.top takes a single value, not a list");
        assertThat(error("""
                pulse:
                  window:
                    size: 1h
                """)).isEqualTo("x.yaml:2: pulse.window takes a single value, not a map");
        assertThat(error("pulse.top:\n")).isEqualTo("x.yaml:1: pulse.top has no value");
    }

    @Test
    void aListOptionTakesAYamlListAsWellAsSemicolons() {
        Configuration flow = Configuration.fromMap(parse("pulse.sinks: [KAFKA, POSTGRES]\n"));
        Configuration block = Configuration.fromMap(parse("pulse:\n  sinks:\n    - POSTGRES\n"));
        Configuration semicolons = Configuration.fromMap(parse("pulse.sinks: KAFKA;POSTGRES\n"));
        assertThat(flow.get(LiveOptions.SINKS)).containsExactly(SinkKind.KAFKA, SinkKind.POSTGRES);
        assertThat(block.get(LiveOptions.SINKS)).containsExactly(SinkKind.POSTGRES);
        assertThat(semicolons.get(LiveOptions.SINKS)).containsExactly(SinkKind.KAFKA, SinkKind.POSTGRES);
    }

    @Test
    void flinkKeysPassUnchangedListsAndMapsIncluded() {
        Map<String, String> values = parse("""
                pipeline.jars: [file:///a.jar, file:///b.jar]
                parallelism.default: 3
                """);
        assertThat(values).containsEntry("parallelism.default", "3");
        assertThat(Configuration.fromMap(values).get(PipelineOptions.JARS))
                .containsExactly("file:///a.jar", "file:///b.jar");
    }

    @Test
    void quotesAndCommentsFollowYaml() {
        assertThat(parse("""
                # a comment line
                pulse.postgres.password: "p#ss: word"   # the hash inside quotes is the value's
                pulse.kafka.sasl-password: 'it''s'
                pulse.kafka.group-id: pulse-#1
                pulse.postgres.user: pulse # trailing comment
                """))
                .containsExactly(
                        Map.entry("pulse.postgres.password", "p#ss: word"),
                        Map.entry("pulse.kafka.sasl-password", "it's"),
                        Map.entry("pulse.kafka.group-id", "pulse-#1"),
                        Map.entry("pulse.postgres.user", "pulse"));
    }

    @Test
    void brokenYamlFailsWithTheLineAndWithoutEchoingIt() {
        String message = error("""
                pulse.postgres.password: "secret
                pulse.top: 5
                """);
        assertThat(message).startsWith("x.yaml:").contains("not valid YAML").doesNotContain("secret");
        assertThat(error("just words\n")).isEqualTo("x.yaml:1: expected 'key: value' entries");
    }

    @Test
    void anEmptyFileHasNoKeys() {
        assertThat(parse("# nothing yet\n")).isEmpty();
    }

    @Test
    void aNestedBootstrapServerReachesTheJobsConfiguration() throws IOException {
        Path file = Files.writeString(tmp.resolve("pulse.yaml"), """
                pulse:
                  kafka:
                    bootstrap-servers: broker-1:9093
                  window: 30m
                """);
        Configuration conf = RunCommand.configuration(file, Map.of());
        assertThat(conf.get(LiveOptions.BOOTSTRAP_SERVERS)).isEqualTo("broker-1:9093");
        assertThat(JobSettings.from(conf).pulse().window()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void anInvalidValueIsReportedAtItsLineAndAnOverrideAsConf() throws IOException {
        Path file = Files.writeString(tmp.resolve("pulse.yaml"), """
                pulse:
                  window: 1h
                  top: 0
                """);
        assertThatThrownBy(() -> RunCommand.configuration(file, Map.of()))
                .hasMessage(file + ":3: pulse.top (--top) must be at least 1, got 0");
        assertThatThrownBy(
                        () -> RunCommand.configuration(file, Map.of(PulseOptions.TOP.key(), "1", "pulse.slide", "2h")))
                .hasMessage("--conf: pulse.slide (--slide, 2h) must not exceed pulse.window (--window, 1h)");
        assertThatThrownBy(() -> RunCommand.configuration(file, Map.of("pulse.tpo", "1")))
                .hasMessage("--conf: unknown option pulse.tpo; did you mean pulse.top?");
        Path badSink = Files.writeString(tmp.resolve("sinks.yaml"), "pulse.sinks: [KAFKA, S3]\n");
        assertThatThrownBy(() -> RunCommand.configuration(badSink, Map.of()))
                .hasMessageStartingWith(badSink + ":1: ")
                .hasMessageContaining("pulse.sinks");
    }

    @Test
    void theShippedExampleIsReadAsBefore() throws IOException {
        Path example = Path.of(System.getProperty("pulse.home", ".."))
                .toAbsolutePath()
                .normalize()
                .resolve("deploy/pulse.yaml");
        Map<String, String> values = ConfigFile.load(example);
        assertThat(values)
                .containsEntry("pulse.kafka.bootstrap-servers", "localhost:9092")
                .containsEntry("execution.checkpointing.dir", "file:///tmp/pulse-checkpoints")
                .containsEntry("pipeline.max-parallelism", "128");
        assertThat(List.copyOf(values.keySet()))
                .allMatch(k -> !ConfigFile.isPulse(k) || ConfigCatalog.option(k).isPresent());
    }
}
