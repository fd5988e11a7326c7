package io.haitaopulse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.haitaopulse.config.ConfigFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster's {@code pulse.yaml} (ConfigMap {@code deploy/k8s/pulse-config.yaml}) is read exactly
 * as {@code pulse run --config} reads it on the JobManager: every {@code pulse.*} key is known and
 * every value valid. Flink keys it repeats must agree with each FlinkDeployment's
 * {@code flinkConfiguration}, because the job's configuration overrides the cluster's. Lives in
 * {@code io.haitaopulse.cli} because {@link RunCommand#configuration} is package-private.
 */
class K8sConfigMapTest {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final List<String> JOBS = List.of("trends", "uplift", "sourcing");

    @TempDir
    Path tmp;

    private static Path k8s() {
        return Paths.get(System.getProperty("pulse.home", ".."))
                .toAbsolutePath()
                .normalize()
                .resolve("deploy/k8s");
    }

    private Path clusterPulseYaml() throws IOException {
        JsonNode configMap = YAML.readTree(k8s().resolve("pulse-config.yaml").toFile());
        assertThat(configMap.path("kind").asText()).isEqualTo("ConfigMap");
        String text = configMap.at("/data/pulse.yaml").asText();
        assertThat(text).as("data.pulse.yaml").isNotBlank();
        return Files.writeString(tmp.resolve("pulse.yaml"), text);
    }

    @Test
    void theClusterConfigIsAcceptedByRunAndPointsAtTheClusterServices() throws IOException {
        Configuration conf = RunCommand.configuration(clusterPulseYaml(), Map.of());
        Map<String, String> values = conf.toMap();
        assertThat(values)
                .containsEntry("pulse.kafka.bootstrap-servers", "kafka:9092")
                .containsEntry("pulse.postgres.url", "jdbc:postgresql://postgres:5432/pulse")
                // run defaults a missing backend to hashmap, which would override the cluster's rocksdb.
                .containsEntry("state.backend.type", "rocksdb")
                // The password comes from the Secret, never from the ConfigMap.
                .doesNotContainKey("pulse.postgres.password");
    }

    @Test
    void flinkKeysOfTheConfigMapAgreeWithEveryFlinkDeployment() throws IOException {
        Map<String, String> file = ConfigFile.load(clusterPulseYaml());
        List<String> flinkKeys =
                file.keySet().stream().filter(k -> !k.startsWith("pulse.")).toList();
        assertThat(flinkKeys).contains("execution.checkpointing.interval", "state.backend.type");
        for (String job : JOBS) {
            JsonNode conf = YAML.readTree(k8s().resolve(job + ".yaml").toFile()).at("/spec/flinkConfiguration");
            for (String key : flinkKeys) {
                assertThat(conf.path(key).asText())
                        .as(job + ".yaml flinkConfiguration " + key)
                        .isEqualTo(file.get(key));
            }
        }
    }

    @Test
    void theCheckThisReliesOnRejectsAnUnknownPulseKey() throws IOException {
        Path typo = Files.writeString(
                tmp.resolve("typo.yaml"),
                Files.readString(clusterPulseYaml()) + "pulse.kafka.bootstrap-server: kafka:9092\n");
        assertThatThrownBy(() -> RunCommand.configuration(typo, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown option pulse.kafka.bootstrap-server");
    }
}
