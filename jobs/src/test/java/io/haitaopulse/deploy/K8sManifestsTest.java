package io.haitaopulse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Checks the Kubernetes manifests in {@code deploy/k8s} and the image in {@code deploy/docker}
 * without a cluster: every {@code FlinkDeployment} has the fields the operator and our runbook rely
 * on, the four jobs are exactly trends, uplift, sourcing and traffic, the pieces refer to each other by the
 * same names (Secret, ConfigMap, mount path, jar path), and the Secret example holds only a
 * placeholder. The checkers return their findings, so each is also run on a broken copy to show it
 * can fail.
 */
class K8sManifestsTest {

    static final YAMLMapper YAML = new YAMLMapper();
    static final String PLACEHOLDER = "REPLACE_ME_NEVER_COMMIT_REAL_VALUES";

    static Path repo() {
        return Paths.get(System.getProperty("pulse.home", ".."))
                .toAbsolutePath()
                .normalize();
    }

    static Path k8s() {
        return repo().resolve("deploy/k8s");
    }

    static JsonNode read(Path file) throws IOException {
        return YAML.readTree(file.toFile());
    }

    /** The FlinkDeployment manifests of deploy/k8s by job name (the file name without .yaml). */
    static Map<String, JsonNode> flinkDeployments() throws IOException {
        Map<String, JsonNode> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(k8s())) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                JsonNode doc = read(f);
                if ("FlinkDeployment".equals(doc.path("kind").asText())) {
                    out.put(f.getFileName().toString().replaceFirst("\\.yaml$", ""), doc);
                }
            }
        }
        return out;
    }

    /** What is missing or wrong in a FlinkDeployment of {@code job}; empty when it is fine. */
    static List<String> problems(JsonNode m, String job) {
        List<String> p = new ArrayList<>();
        expect(p, m, "/apiVersion", "flink.apache.org/v1beta1");
        expect(p, m, "/kind", "FlinkDeployment");
        present(p, m, "/metadata/name");
        present(p, m, "/spec/image");
        present(p, m, "/spec/serviceAccount");
        String version = m.at("/spec/flinkVersion").asText();
        if (!version.matches("v2_\\d+")) {
            p.add("spec.flinkVersion must be a Flink 2.x enum (v2_N), is '" + version + "'");
        }
        expect(p, m, "/spec/job/jarURI", "local:///opt/flink/usrlib/haitao-pulse-jobs.jar");
        expect(p, m, "/spec/job/entryClass", "io.haitaopulse.cli.PulseCli");
        expect(p, m, "/spec/job/upgradeMode", "savepoint");
        expect(p, m, "/spec/job/state", "running");
        if (m.at("/spec/job/parallelism").asInt(0) < 1) {
            p.add("spec.job.parallelism must be at least 1");
        }
        List<String> args = new ArrayList<>();
        m.at("/spec/job/args").forEach(a -> args.add(a.asText()));
        if (args.isEmpty() || !args.get(0).equals("run")) {
            p.add("spec.job.args must start with 'run', are " + args);
        }
        int jobFlag = args.indexOf("--job");
        if (jobFlag < 0 || jobFlag + 1 >= args.size() || !args.get(jobFlag + 1).equals(job)) {
            p.add("spec.job.args must contain '--job " + job + "', are " + args);
        }
        int configFlag = args.indexOf("--config");
        if (configFlag < 0 || configFlag + 1 >= args.size()) {
            p.add("spec.job.args must contain '--config FILE', are " + args);
        }
        for (String side : List.of("jobManager", "taskManager")) {
            present(p, m, "/spec/" + side + "/resource/memory");
            if (m.at("/spec/" + side + "/resource/cpu").asDouble(0) <= 0) {
                p.add("spec." + side + ".resource.cpu must be positive");
            }
        }
        JsonNode conf = m.at("/spec/flinkConfiguration");
        expectConf(p, conf, "high-availability.type", "kubernetes");
        expectConf(p, conf, "state.backend.type", "rocksdb");
        expectConf(p, conf, "execution.checkpointing.incremental", "true");
        expectConf(
                p,
                conf,
                "metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        expectConf(p, conf, "metrics.reporter.prom.port", "9249");
        // Savepoints restore only into the same number of key groups: never left to Flink's default.
        expectConf(
                p,
                conf,
                "pipeline.max-parallelism",
                Integer.toString(io.haitaopulse.runtime.Live.DEFAULT_MAX_PARALLELISM));
        for (String dir : List.of(
                "high-availability.storageDir",
                "execution.checkpointing.dir",
                "execution.checkpointing.savepoint-dir")) {
            String v = conf.path(dir).asText();
            if (!v.startsWith("s3://") || !v.endsWith("/" + job)) {
                p.add(dir + " must be an s3:// path ending in /" + job + ", is '" + v + "'");
            }
        }
        if (conf.path("execution.checkpointing.interval").asText().isEmpty()) {
            p.add("execution.checkpointing.interval is missing");
        }
        if (conf.path("restart-strategy.type").asText().isEmpty()) {
            p.add("restart-strategy.type is missing");
        }
        // The operator's defaults carry the JDK 17 --add-opens/--add-exports; setting this replaces them.
        if (conf.has("env.java.default-opts.all")) {
            p.add("flinkConfiguration must not override env.java.default-opts.all");
        }
        // Flink 1.x names still work as fallbacks but would shadow nothing and confuse readers.
        for (String old : List.of("state.checkpoints.dir", "state.savepoints.dir", "state.backend.incremental")) {
            if (conf.has(old)) {
                p.add("use the Flink 2.x key instead of deprecated " + old);
            }
        }
        return p;
    }

    /**
     * What is wrong in how a FlinkDeployment wires the ConfigMap and the Secret into its main
     * container: the --config file must be the ConfigMap's key under its mount path, and the
     * password must come from the Secret example's name and key.
     */
    static List<String> wiringProblems(JsonNode m, JsonNode configMap, JsonNode secret) {
        List<String> p = new ArrayList<>();
        JsonNode container = null;
        for (JsonNode c : m.at("/spec/podTemplate/spec/containers")) {
            if ("flink-main-container".equals(c.path("name").asText())) {
                container = c;
            }
        }
        if (container == null) {
            p.add("pod template has no container 'flink-main-container' (the name the operator merges)");
            return p;
        }
        String configMapName = configMap.at("/metadata/name").asText();
        String volume = null;
        for (JsonNode v : m.at("/spec/podTemplate/spec/volumes")) {
            if (configMapName.equals(v.at("/configMap/name").asText())) {
                volume = v.path("name").asText();
            }
        }
        String mountPath = null;
        for (JsonNode vm : container.path("volumeMounts")) {
            if (vm.path("name").asText().equals(volume)) {
                mountPath = vm.path("mountPath").asText();
            }
        }
        List<String> args = new ArrayList<>();
        m.at("/spec/job/args").forEach(a -> args.add(a.asText()));
        int configFlag = args.indexOf("--config");
        String configArg = configFlag >= 0 && configFlag + 1 < args.size() ? args.get(configFlag + 1) : "";
        if (mountPath == null) {
            p.add("no volume mount of ConfigMap " + configMapName);
        } else {
            Path file = Paths.get(configArg);
            String key = file.getFileName() == null ? "" : file.getFileName().toString();
            if (!Paths.get(mountPath).equals(file.getParent())
                    || !configMap.path("data").has(key)) {
                p.add("--config " + configArg + " is not a key of ConfigMap " + configMapName + " mounted at "
                        + mountPath);
            }
        }
        for (String variable : List.of("PULSE_POSTGRES_PASSWORD", "PULSE_PSEUDONYM_KEY")) {
            boolean fromSecret = false;
            for (JsonNode e : container.path("env")) {
                if (variable.equals(e.path("name").asText())) {
                    JsonNode ref = e.at("/valueFrom/secretKeyRef");
                    fromSecret = ref.path("name")
                                    .asText()
                                    .equals(secret.at("/metadata/name").asText())
                            && secret.path("stringData").has(ref.path("key").asText());
                }
            }
            if (!fromSecret) {
                p.add(variable + " must come from a key of Secret "
                        + secret.at("/metadata/name").asText());
            }
        }
        return p;
    }

    /** Values of the Secret example that are not the placeholder; empty when it is safe to commit. */
    static List<String> realLookingSecrets(JsonNode secret) {
        List<String> p = new ArrayList<>();
        if (secret.has("data")) {
            p.add("use stringData with the placeholder; base64 'data' hides what is committed");
        }
        for (Map.Entry<String, JsonNode> e : secret.path("stringData").properties()) {
            if (!PLACEHOLDER.equals(e.getValue().asText())) {
                p.add("stringData." + e.getKey() + " is not the placeholder");
            }
        }
        return p;
    }

    private static void expect(List<String> p, JsonNode m, String pointer, String value) {
        String actual = m.at(pointer).asText();
        if (!value.equals(actual)) {
            p.add(pointer + " must be '" + value + "', is '" + actual + "'");
        }
    }

    private static void present(List<String> p, JsonNode m, String pointer) {
        if (m.at(pointer).asText().isBlank()) {
            p.add(pointer + " is missing");
        }
    }

    private static void expectConf(List<String> p, JsonNode conf, String key, String value) {
        String actual = conf.path(key).asText();
        if (!value.equals(actual)) {
            p.add("flinkConfiguration " + key + " must be '" + value + "', is '" + actual + "'");
        }
    }

    @Test
    void theFourJobsHaveOneFlinkDeploymentEach() throws IOException {
        assertThat(flinkDeployments()).containsOnlyKeys("trends", "uplift", "sourcing", "traffic");
    }

    @Test
    void everyFlinkDeploymentHasWhatTheOperatorAndTheRunbookNeed() throws IOException {
        for (Map.Entry<String, JsonNode> e : flinkDeployments().entrySet()) {
            assertThat(problems(e.getValue(), e.getKey()))
                    .as(e.getKey() + ".yaml")
                    .isEmpty();
        }
    }

    @Test
    void everyFlinkDeploymentMountsTheConfigMapAndTheSecret() throws IOException {
        JsonNode configMap = read(k8s().resolve("pulse-config.yaml"));
        JsonNode secret = read(k8s().resolve("secret.example.yaml"));
        assertThat(configMap.path("kind").asText()).isEqualTo("ConfigMap");
        assertThat(secret.path("kind").asText()).isEqualTo("Secret");
        for (Map.Entry<String, JsonNode> e : flinkDeployments().entrySet()) {
            assertThat(wiringProblems(e.getValue(), configMap, secret))
                    .as(e.getKey() + ".yaml")
                    .isEmpty();
        }
    }

    @Test
    void theSecretExampleHoldsOnlyThePlaceholder() throws IOException {
        Path file = k8s().resolve("secret.example.yaml");
        JsonNode secret = read(file);
        assertThat(secret.path("stringData").size()).isPositive();
        assertThat(realLookingSecrets(secret)).isEmpty();
        assertThat(Files.readString(file)).contains("NEVER COMMIT");
    }

    @Test
    void theImagePutsTheJarWhereJarUriPointsAndRunsAsNonRoot() throws IOException {
        String dockerfile = Files.readString(repo().resolve("deploy/docker/Dockerfile"));
        String jarUri = flinkDeployments().get("trends").at("/spec/job/jarURI").asText();
        assertThat(dockerfile)
                .containsPattern("(?m)^COPY .*jobs/target/haitao-pulse-jobs\\.jar "
                        + jarUri.substring("local://".length()).replace(".", "\\.") + "$")
                .containsPattern("(?m)^USER flink$")
                .contains("/opt/flink/plugins/metrics-prometheus");
    }

    // Negative controls: the checkers above must notice a broken manifest.

    @Test
    void theCheckerReportsRemovedAndWrongFields() throws IOException {
        JsonNode good = flinkDeployments().get("trends");

        ObjectNode noImage = good.deepCopy();
        ((ObjectNode) noImage.get("spec")).remove("image");
        assertThat(problems(noImage, "trends")).containsExactly("/spec/image is missing");

        ObjectNode noTmCpu = good.deepCopy();
        ((ObjectNode) noTmCpu.at("/spec/taskManager/resource")).remove("cpu");
        assertThat(problems(noTmCpu, "trends")).containsExactly("spec.taskManager.resource.cpu must be positive");

        ObjectNode lastState = good.deepCopy();
        ((ObjectNode) lastState.at("/spec/job")).put("upgradeMode", "last-state");
        assertThat(problems(lastState, "trends")).hasSize(1).allMatch(s -> s.startsWith("/spec/job/upgradeMode"));

        ObjectNode localCheckpoints = good.deepCopy();
        ((ObjectNode) localCheckpoints.at("/spec/flinkConfiguration"))
                .put("execution.checkpointing.dir", "file:///tmp/pulse-checkpoints");
        assertThat(problems(localCheckpoints, "trends"))
                .hasSize(1)
                .allMatch(s -> s.startsWith("execution.checkpointing.dir must be an s3://"));

        ObjectNode noReporter = good.deepCopy();
        ((ObjectNode) noReporter.at("/spec/flinkConfiguration")).remove("metrics.reporter.prom.factory.class");
        assertThat(problems(noReporter, "trends")).hasSize(1);

        ObjectNode unpinned = good.deepCopy();
        ((ObjectNode) unpinned.at("/spec/flinkConfiguration")).remove("pipeline.max-parallelism");
        assertThat(problems(unpinned, "trends"))
                .containsExactly("flinkConfiguration pipeline.max-parallelism must be '128', is ''");

        ObjectNode otherJob = good.deepCopy();
        ((ArrayNode) otherJob.at("/spec/job/args")).set(2, "uplift");
        assertThat(problems(otherJob, "trends")).hasSize(1).allMatch(s -> s.contains("--job trends"));

        // The same manifest checked as another job's file is wrong too (its s3 paths and --job).
        assertThat(problems(good, "uplift")).hasSizeGreaterThan(1);
    }

    @Test
    void theWiringCheckerReportsABrokenMountOrSecretReference() throws IOException {
        JsonNode good = flinkDeployments().get("trends");
        JsonNode configMap = read(k8s().resolve("pulse-config.yaml"));
        JsonNode secret = read(k8s().resolve("secret.example.yaml"));

        ObjectNode wrongPath = good.deepCopy();
        ((ArrayNode) wrongPath.at("/spec/job/args")).set(4, "/opt/pulse/other.yaml");
        assertThat(wiringProblems(wrongPath, configMap, secret))
                .hasSize(1)
                .allMatch(s -> s.startsWith("--config /opt/pulse/other.yaml"));

        ObjectNode wrongSecret = good.deepCopy();
        ((ObjectNode) wrongSecret.at("/spec/podTemplate/spec/containers/0/env/0/valueFrom/secretKeyRef"))
                .put("name", "postgres");
        assertThat(wiringProblems(wrongSecret, configMap, secret))
                .hasSize(1)
                .allMatch(s -> s.startsWith("PULSE_POSTGRES_PASSWORD"));
    }

    @Test
    void theSecretCheckerRejectsARealLookingPassword() throws IOException {
        ObjectNode leaked = read(k8s().resolve("secret.example.yaml")).deepCopy();
        ((ObjectNode) leaked.get("stringData")).put("password", "s3cr3t-Pulse!2024");
        assertThat(realLookingSecrets(leaked)).containsExactly("stringData.password is not the placeholder");
    }
}
