package io.haitaopulse.cli;

import io.haitaopulse.io.InputFormat;
import io.haitaopulse.live.Backfill;
import io.haitaopulse.runtime.JobCatalog;
import io.haitaopulse.runtime.JobSettings;
import io.haitaopulse.stack.FlinkClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pulse submit}: the jobs jar to a running session cluster, detached, through Flink's own
 * client. The cluster runs {@code pulse run --job JOB --config FILE} (the same main class and
 * graph as a local {@code run}); the configuration file is read where this command runs. With
 * {@code --backfill} the program reads that history first; the TaskManagers read the files.
 */
@Command(
        name = "submit",
        mixinStandardHelpOptions = true,
        description = "Submit a live job to a Flink session cluster (detached); prints the job id.")
final class SubmitCommand implements Callable<Integer> {

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
            description = "Configuration file (see 'pulse run').")
    Path config;

    @Option(
            names = "--jobmanager",
            required = true,
            paramLabel = "HOST:PORT",
            description = "REST address of the cluster, e.g. localhost:8081.")
    String jobManager;

    @Option(names = "--parallelism", paramLabel = "N", description = "Job parallelism (default: 1).")
    int parallelism = 1;

    @Option(
            names = "--from-savepoint",
            paramLabel = "PATH",
            description = "Resume from this savepoint (any parallelism).")
    String savepoint;

    @Option(
            names = "--allow-non-restored-state",
            description = "With --from-savepoint: skip state of operators the job no longer has.")
    boolean allowNonRestored;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Overrides a key of the configuration file.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(
            names = "--backfill",
            paramLabel = "PATH",
            description = "As for 'pulse run': history read before the topics; the path must be the same "
                    + "on this machine and on the TaskManagers.")
    List<Path> backfill = new ArrayList<>();

    @Option(
            names = "--backfill-format",
            paramLabel = "FORMAT",
            converter = FormatConverter.class,
            description = "Format of the --backfill files: jsonl (default) or userbehavior.")
    InputFormat backfillFormat;

    @Override
    public Integer call() throws Exception {
        if (parallelism < 1) {
            throw new IllegalArgumentException("--parallelism must be at least 1");
        }
        if (!Files.isRegularFile(config)) {
            throw new IllegalArgumentException("cannot read config file " + config);
        }
        // Fail here, in one line, rather than inside the cluster client.
        JobCatalog.jobs(job, JobSettings.from(RunCommand.configuration(config, overrides)));
        Backfill history = RunCommand.backfill(backfill, backfillFormat);
        List<String> runArgs = new ArrayList<>();
        if (history != null) {
            for (Path p : backfill) {
                runArgs.addAll(List.of("--backfill", p.toAbsolutePath().toString()));
            }
            runArgs.addAll(List.of("--backfill-format", history.format().cliName()));
        }
        FlinkClient.Result r = new FlinkClient(jobManager)
                .submitJob(job, config, overrides, parallelism, savepoint, allowNonRestored, runArgs);
        if (r.exitCode() != 0 || r.jobId() == null) {
            throw new IllegalStateException("the Flink client could not submit the job: " + lastLines(r.output()));
        }
        System.out.println("submitted job " + r.jobId() + " (" + job + ", parallelism " + parallelism
                + (savepoint != null ? ", from savepoint " + savepoint : "") + ") to " + jobManager);
        return 0;
    }

    /** The end of a client's output, where Flink puts the cause, on one line. */
    static String lastLines(String output) {
        String[] lines = output.strip().split("\n");
        StringBuilder b = new StringBuilder();
        for (int i = Math.max(0, lines.length - 3); i < lines.length; i++) {
            b.append(b.length() == 0 ? "" : " | ").append(lines[i].strip());
        }
        return b.toString();
    }
}
