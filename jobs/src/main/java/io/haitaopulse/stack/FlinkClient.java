package io.haitaopulse.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Flink's own command-line client ({@code CliFrontend}) in a child JVM on the cluster classpath,
 * pointed at a session cluster's REST address. A child JVM because the client runs the submitted
 * program's {@code main} in its own JVM and would share this one's classpath otherwise.
 */
public final class FlinkClient {

    private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");
    private static final Pattern SAVEPOINT = Pattern.compile("Savepoint completed\\. Path: (\\S+)");

    private final String host;
    private final int port;

    /** A client for the cluster whose REST API is at {@code host:port}. */
    public FlinkClient(String jobManager) {
        int colon = jobManager.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--jobmanager must be HOST:PORT, got '" + jobManager + "'");
        }
        this.host = jobManager.substring(0, colon);
        try {
            this.port = Integer.parseInt(jobManager.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--jobmanager must be HOST:PORT, got '" + jobManager + "'");
        }
    }

    /** What a client command printed and how it ended. */
    public record Result(int exitCode, String output) {
        /** The job id it printed, or null. */
        public String jobId() {
            Matcher m = JOB_ID.matcher(output);
            String last = null;
            while (m.find()) {
                last = m.group(1);
            }
            return last;
        }

        /** The last three lines of its output, where Flink puts the cause of a failure, as one line. */
        public String tail() {
            String[] lines = output.strip().split("\n");
            StringBuilder b = new StringBuilder();
            for (int i = Math.max(0, lines.length - 3); i < lines.length; i++) {
                b.append(b.length() == 0 ? "" : " | ").append(lines[i].strip());
            }
            return b.toString();
        }

        /** The savepoint path it printed, or null. */
        public String savepointPath() {
            Matcher m = SAVEPOINT.matcher(output);
            return m.find() ? m.group(1) : null;
        }
    }

    /**
     * What {@code pulse submit} sends: {@code pulse run --job JOB --config FILE} (plus a
     * {@code --conf KEY=VALUE} per override) in the {@link #jobJar() jobs jar}, detached. The
     * program's {@code main} runs in the client JVM, so {@code config} and the key file it names
     * are read on this machine. {@code savepoint} may be null.
     */
    public Result submitJob(
            String job,
            Path config,
            Map<String, String> overrides,
            int parallelism,
            String savepoint,
            boolean allowNonRestoredState)
            throws IOException, InterruptedException {
        return submitJob(job, config, overrides, parallelism, savepoint, allowNonRestoredState, List.of());
    }

    /**
     * {@link #submitJob(String, Path, Map, int, String, boolean)} with {@code runArgs} appended to
     * the {@code pulse run} arguments (a backfill: {@code --backfill PATH …}).
     */
    public Result submitJob(
            String job,
            Path config,
            Map<String, String> overrides,
            int parallelism,
            String savepoint,
            boolean allowNonRestoredState,
            List<String> runArgs)
            throws IOException, InterruptedException {
        List<String> programArgs = new ArrayList<>(
                List.of("run", "--job", job, "--config", config.toAbsolutePath().toString()));
        overrides.forEach((k, v) -> programArgs.addAll(List.of("--conf", k + "=" + v)));
        programArgs.addAll(runArgs);
        return submit(jobJar(), parallelism, savepoint, allowNonRestoredState, programArgs);
    }

    /** The shaded jobs jar shipped to a cluster, under {@code pulse.home}. */
    public static Path jobJar() {
        String home = System.getProperty("pulse.home");
        Path jar = Paths.get(home == null ? "." : home, "jobs", "target", "haitao-pulse-jobs.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(
                    "jobs jar not found at " + jar + "; build it with 'mvn -DskipTests package'");
        }
        return jar;
    }

    /** Submits {@code jar} detached with {@code programArgs}; {@code savepoint} may be null. */
    public Result submit(
            Path jar, int parallelism, String savepoint, boolean allowNonRestoredState, List<String> programArgs)
            throws IOException, InterruptedException {
        List<String> args =
                new ArrayList<>(List.of("run", "-d", "-m", host + ":" + port, "-p", Integer.toString(parallelism)));
        if (savepoint != null) {
            args.addAll(List.of("-s", savepoint));
            if (allowNonRestoredState) {
                args.add("-n");
            }
        }
        args.add(jar.toString());
        args.addAll(programArgs);
        return run(args);
    }

    /** Triggers a savepoint of a running job into {@code dir} (null: the cluster's default). */
    public Result savepoint(String jobId, String dir) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("savepoint", "-m", host + ":" + port, jobId));
        if (dir != null) {
            args.add(dir);
        }
        return run(args);
    }

    /** Stops a job gracefully with a savepoint into {@code dir} (null: the cluster's default). */
    public Result stopWithSavepoint(String jobId, String dir) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("stop", "-m", host + ":" + port));
        if (dir != null) {
            args.addAll(List.of("--savepointPath", dir));
        }
        args.add(jobId);
        return run(args);
    }

    /** Cancels a job without a savepoint. */
    public Result cancel(String jobId) throws IOException, InterruptedException {
        return run(List.of("cancel", "-m", host + ":" + port, jobId));
    }

    private Result run(List<String> clientArgs) throws IOException, InterruptedException {
        Path conf = Files.createTempDirectory("pulse-flink-client");
        try {
            Files.writeString(
                    conf.resolve("config.yaml"),
                    "rest.address: " + host + "\nrest.port: " + port + "\n" + "jobmanager.rpc.address: " + host + "\n");
            List<String> cmd = new ArrayList<>(List.of(LocalKafka.javaBin()));
            cmd.addAll(JdkFlags.FLAGS);
            cmd.addAll(List.of(
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    "-cp",
                    LocalCluster.classpath(),
                    "org.apache.flink.client.cli.CliFrontend"));
            cmd.addAll(clientArgs);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("FLINK_CONF_DIR", conf.toString());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("the Flink client did not finish within 5 minutes");
            }
            return new Result(p.exitValue(), out);
        } finally {
            Files.deleteIfExists(conf.resolve("config.yaml"));
            Files.deleteIfExists(conf);
        }
    }
}
