package io.haitaopulse.cli;

import io.haitaopulse.config.ConfigCatalog;
import io.haitaopulse.config.ConfigFile;
import io.haitaopulse.io.InputFormat;
import io.haitaopulse.live.Backfill;
import io.haitaopulse.live.LiveSinks;
import io.haitaopulse.runtime.JobCatalog;
import io.haitaopulse.runtime.JobSettings;
import io.haitaopulse.runtime.Live;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pulse run}: the production entry point (CONTRACTS §1). Reads Kafka, writes Kafka and
 * PostgreSQL, checkpoints. Run locally it starts a MiniCluster; submitted with Flink's client the
 * same main class builds the same graph on the cluster.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Run a job live: Kafka in, Kafka and PostgreSQL out, with checkpoints (see deploy/pulse.yaml).")
final class RunCommand implements Callable<Integer> {

    @Option(
            names = "--job",
            required = true,
            paramLabel = "JOB",
            description = "trends, uplift, sourcing, traffic or all.")
    String job;

    @Option(
            names = "--config",
            required = true,
            paramLabel = "FILE",
            description = "YAML configuration file (Flink's config.yaml form, flat or nested keys): pulse.* options "
                    + "(docs/user/configuration.md) and Flink keys.")
    Path config;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Overrides a key of the configuration file.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(
            names = "--parallelism",
            paramLabel = "N",
            description = "Default parallelism (default: parallelism.default, else the cores).")
    Integer parallelism;

    @Option(
            names = "--backfill",
            paramLabel = "PATH",
            description = "History to read before the topics, in the same job (file or directory, as replay's --input; "
                    + "repeat for several). Restart such a job with the same --backfill (docs/operations/live.md).")
    List<Path> backfill = new ArrayList<>();

    @Option(
            names = "--backfill-format",
            paramLabel = "FORMAT",
            converter = FormatConverter.class,
            description = "Format of the --backfill files: jsonl (default) or userbehavior.")
    InputFormat backfillFormat;

    @Override
    public Integer call() throws Exception {
        Configuration conf = configuration(config, overrides);
        JobCatalog.jobs(job, JobSettings.from(conf)); // an unknown job fails here, before any connection is made
        Backfill history = backfill(backfill, backfillFormat); // so does a bad --backfill
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        if (parallelism != null) {
            if (parallelism < 1) {
                throw new IllegalArgumentException("--parallelism must be at least 1");
            }
            env.setParallelism(parallelism);
        }
        Live.build(env, job, conf, new LiveSinks(conf, job), history);
        io.haitaopulse.privacy.PseudonymKey key =
                io.haitaopulse.privacy.PseudonymKey.resolve(conf, System.getenv(), false);
        System.out.println("pulse run: user ids pseudonymised with key " + key.id() + " (" + key.origin() + ")");
        if (history != null) {
            System.out.println("pulse run: reading " + history.files().size() + " history file(s) (" + history.format()
                    + ") before the topics");
        }
        System.out.println(
                "pulse run: starting job '" + job + "' (Ctrl-C stops it; it resumes from its last checkpoint "
                        + "when started with the same consumer group)");
        env.execute("pulse " + job);
        return 0;
    }

    /**
     * The history of {@code --backfill} in {@code format} (default jsonl), or null without one;
     * throws {@link IllegalArgumentException} with one line for a bad path or a format without paths.
     */
    static Backfill backfill(List<Path> paths, InputFormat format) {
        if (paths == null || paths.isEmpty()) {
            if (format != null) {
                throw new IllegalArgumentException("--backfill-format needs --backfill PATH");
            }
            return null;
        }
        return Backfill.of(paths, format == null ? InputFormat.JSONL : format);
    }

    /**
     * The file's entries overridden by {@code overrides}, with production defaults; every option is
     * validated here, so that a bad value fails before any connection with the file and line of its key.
     */
    static Configuration configuration(Path file, Map<String, String> overrides) {
        String text = ConfigFile.text(file);
        Map<String, String> values = new LinkedHashMap<>(ConfigFile.parse(file.toString(), text));
        ConfigFile.checkKeys(overrides, "--conf");
        values.putAll(overrides);
        Configuration conf = Live.configure(Configuration.fromMap(values));
        try {
            JobSettings.from(conf);
            for (ConfigCatalog.Entry e : ConfigCatalog.all().values()) {
                // Live options have no settings record: reading each one checks that its value parses.
                conf.getOptional(e.option());
            }
        } catch (IllegalArgumentException e) {
            String key = ConfigFile.keyNamedIn(e.getMessage(), values.keySet());
            String where = key == null || overrides.containsKey(key)
                    ? (key == null ? file.toString() : "--conf")
                    : file + ":" + ConfigFile.lineOf(file.toString(), text, key);
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
        return conf;
    }
}
