package io.haitaopulse.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;

/**
 * A real Flink standalone session cluster on this machine: a JobManager
 * ({@code StandaloneSessionClusterEntrypoint}) and TaskManagers ({@code TaskManagerRunner}) as
 * separate, detached JVMs on the classpath of the {@code deploy/local-cluster} module (there is
 * no flink-dist on Maven Central). Memory settings are derived exactly as Flink's own scripts do,
 * with {@code BashJavaUtils}, and the {@code env.java.opts.*} options of the configuration are
 * passed to the JVMs as Flink's scripts pass them. The run directory holds the effective
 * configuration, pid files, logs, checkpoints and savepoints.
 *
 * <p>{@link #start} and {@link #stop} are idempotent: starting a running cluster does nothing,
 * stopping a stopped one does nothing, and stop only signals processes whose command line is one
 * of this cluster's (a recycled pid is never killed).
 */
public final class LocalCluster {

    private static final String JM_CLASS = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    private static final String TM_CLASS = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path runDir;
    private final Path template;
    private final int restPort;
    private final int taskManagers;
    private final List<String> jvmFlags;
    private final FlinkRest rest;

    /**
     * @param runDir where configuration, pids, logs, checkpoints and savepoints go
     * @param template the checked-in {@code config.yaml}
     * @param jvmFlags flags every Flink JVM needs (the JDK 17 module flags)
     */
    public LocalCluster(Path runDir, Path template, int restPort, int taskManagers, List<String> jvmFlags) {
        this.runDir = runDir.toAbsolutePath().normalize();
        this.template = template;
        this.restPort = restPort;
        this.taskManagers = taskManagers;
        this.jvmFlags = List.copyOf(jvmFlags);
        this.rest = new FlinkRest(restAddress());
    }

    /** {@code localhost:PORT} of the REST API (and web UI). */
    public String restAddress() {
        return "localhost:" + restPort;
    }

    /** The configuration directory clients should use. */
    public Path confDir() {
        return runDir.resolve("conf");
    }

    /** Where savepoints go unless a path is given. */
    public Path savepointDir() {
        return runDir.resolve("savepoints");
    }

    /** Starts the cluster unless it is running; returns once every TaskManager has registered. */
    public String start(Duration timeout) throws IOException, InterruptedException {
        if (overview().isPresent()) {
            return "cluster already running at http://" + restAddress();
        }
        stopProcesses(); // stale pids of a crashed cluster
        Files.createDirectories(runDir.resolve("log"));
        Files.createDirectories(confDir());
        writeConfig();
        String classpath = classpath();
        Configuration effective =
                GlobalConfiguration.loadConfiguration(confDir().toString());
        List<String> jmParams = resourceParams(classpath, "GET_JM_RESOURCE_PARAMS");
        Process jm = launch(classpath, JM_CLASS, jmParams, javaOptions(effective, true), "jobmanager");
        writePid("jobmanager", jm.pid());
        long deadline = System.nanoTime() + timeout.toNanos();
        awaitRest(jm, deadline);
        List<String> tmParams = resourceParams(classpath, "GET_TM_RESOURCE_PARAMS");
        List<String> tmOptions = javaOptions(effective, false);
        for (int i = 0; i < taskManagers; i++) {
            Process tm = launch(classpath, TM_CLASS, tmParams, tmOptions, "taskmanager-" + i);
            writePid("taskmanager-" + i, tm.pid());
        }
        // Registered and offering slots: a TaskManager appears in the overview a moment before its slots do.
        while (overview()
                .map(o -> o.path("taskmanagers").asInt() < taskManagers
                        || o.path("slots-total").asInt() < taskManagers)
                .orElse(true)) {
            if (System.nanoTime() > deadline) {
                throw new IOException("TaskManagers did not register within " + timeout.toSeconds() + " s; see "
                        + runDir.resolve("log"));
            }
            // Polling the REST API: a TaskManager registering gives no other signal to this process.
            TimeUnit.MILLISECONDS.sleep(250);
        }
        return "cluster started: http://" + restAddress() + " (" + taskManagers + " TaskManager(s)); logs in "
                + runDir.resolve("log");
    }

    /** Stops every process of the cluster; returns what it did. */
    public String stop() throws InterruptedException {
        int stopped = stopProcesses();
        return stopped == 0 ? "cluster not running" : "cluster stopped (" + stopped + " process(es))";
    }

    /** REST address, TaskManagers, slots and jobs, or that the cluster is not running. */
    public String status() throws IOException, InterruptedException {
        Optional<JsonNode> o = overview();
        if (o.isEmpty()) {
            return "cluster not running (no REST API at http://" + restAddress() + ")";
        }
        StringBuilder b = new StringBuilder();
        b.append("cluster running: http://")
                .append(restAddress())
                .append(" (REST API and web UI), Flink ")
                .append(o.get().path("flink-version").asText())
                .append('\n');
        b.append("  TaskManagers: ")
                .append(o.get().path("taskmanagers").asInt())
                .append(", slots: ")
                .append(o.get().path("slots-total").asInt())
                .append(" total, ")
                .append(o.get().path("slots-available").asInt())
                .append(" free\n");
        JsonNode jobs = get("/jobs/overview").map(j -> j.path("jobs")).orElse(JSON.createArrayNode());
        if (jobs.isEmpty()) {
            b.append("  jobs: none\n");
        }
        for (JsonNode j : jobs) {
            b.append("  job ")
                    .append(j.path("jid").asText())
                    .append("  ")
                    .append(j.path("state").asText())
                    .append("  ")
                    .append(j.path("name").asText())
                    .append('\n');
        }
        return b.toString().stripTrailing();
    }

    /** The cluster's {@code /overview}, or empty when nothing answers. */
    public Optional<JsonNode> overview() throws InterruptedException {
        return get("/overview");
    }

    /** {@code GET path} of the REST API as JSON, or empty when nothing answers. */
    public Optional<JsonNode> get(String path) throws InterruptedException {
        return rest.get(path);
    }

    /** Returns once every task of job {@code jobId} runs ({@link FlinkRest#awaitTasksRunning}). */
    public void awaitTasksRunning(String jobId, Duration timeout) throws IOException, InterruptedException {
        rest.awaitTasksRunning(jobId, timeout);
    }

    private void writeConfig() throws IOException {
        String conf = Files.readString(template) + "\n# Written by bin/pulse cluster start for this run:\n"
                + "rest.port: " + restPort + "\n"
                // A free RPC port, so a second cluster (or a test's) never collides with 6123.
                + "jobmanager.rpc.port: " + LocalKafka.freePort() + "\n"
                + "execution.checkpointing.dir: "
                + runDir.resolve("checkpoints").toUri() + "\n"
                + "execution.checkpointing.savepoint-dir: " + savepointDir().toUri() + "\n"
                + "io.tmp.dirs: " + runDir.resolve("tmp") + "\n"
                + "web.tmpdir: " + runDir.resolve("web-tmp") + "\n"
                + "web.upload.dir: " + runDir.resolve("web-upload") + "\n";
        Files.createDirectories(runDir.resolve("tmp"));
        Files.createDirectories(runDir.resolve("web-upload"));
        Files.writeString(confDir().resolve("config.yaml"), conf);
    }

    /** JVM flags and -D dynamic properties for a JM or TM, computed by Flink's BashJavaUtils. */
    private List<String> resourceParams(String classpath, String command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(LocalKafka.javaBin()));
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of(
                "-cp",
                classpath,
                "org.apache.flink.runtime.util.bash.BashJavaUtils",
                command,
                "--configDir",
                confDir().toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("Flink's BashJavaUtils " + command + " failed: " + out.strip());
        }
        List<String> params = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith(RESULT_PREFIX)) {
                params.addAll(Arrays.asList(
                        line.substring(RESULT_PREFIX.length()).trim().split("\\s+")));
            }
        }
        return params;
    }

    private Process launch(
            String classpath, String mainClass, List<String> resourceParams, List<String> javaOptions, String name)
            throws IOException {
        List<String> jvm = new ArrayList<>();
        List<String> dynamic = new ArrayList<>();
        // BashJavaUtils prints JVM options (-Xmx…, -XX:…) and then "-D key=value" dynamic properties.
        for (int i = 0; i < resourceParams.size(); i++) {
            String p = resourceParams.get(i);
            if (p.equals("-D") && i + 1 < resourceParams.size()) {
                dynamic.add("-D");
                dynamic.add(resourceParams.get(++i));
            } else if (!p.isEmpty()) {
                jvm.add(p);
            }
        }
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Paths.get("/usr/bin/setsid"))) {
            // Its own session: a Ctrl-C in the terminal that started the cluster does not reach it.
            cmd.add("/usr/bin/setsid");
        }
        cmd.add(LocalKafka.javaBin());
        cmd.addAll(jvmFlags);
        cmd.addAll(jvm);
        cmd.addAll(javaOptions);
        // Before the classpath: Linux shows only the first 4 KB of a command line to other processes.
        cmd.add("-Dpulse.cluster.dir=" + runDir);
        cmd.add("-Dpulse.cluster.role=" + (mainClass.equals(JM_CLASS) ? "jobmanager" : "taskmanager"));
        cmd.add("-Dlog.file=" + runDir.resolve("log").resolve(name + ".log"));
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
        cmd.addAll(List.of("-cp", classpath, mainClass, "--configDir", confDir().toString()));
        cmd.addAll(dynamic);
        Path log = runDir.resolve("log").resolve(name + ".out");
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
    }

    /**
     * The JVM options of Flink's {@code env.java.opts.all} and of the role's own key
     * ({@code env.java.opts.jobmanager} or {@code env.java.opts.taskmanager}), split at whitespace
     * as Flink's launch scripts split them: the template chooses the TaskManagers' garbage collector
     * there (docs/operations/cluster.md).
     */
    static List<String> javaOptions(Configuration conf, boolean jobManager) {
        List<String> opts = new ArrayList<>();
        for (ConfigOption<String> key : List.of(
                CoreOptions.FLINK_JVM_OPTIONS,
                jobManager ? CoreOptions.FLINK_JM_JVM_OPTIONS : CoreOptions.FLINK_TM_JVM_OPTIONS)) {
            for (String opt : conf.get(key).trim().split("\\s+")) {
                if (!opt.isEmpty()) {
                    opts.add(opt);
                }
            }
        }
        return opts;
    }

    private void awaitRest(Process jm, long deadline) throws IOException, InterruptedException {
        while (overview().isEmpty()) {
            if (!jm.isAlive()) {
                throw new IOException(
                        "the JobManager exited with " + jm.exitValue() + "; see " + runDir.resolve("log"));
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the JobManager's REST API did not answer at http://" + restAddress() + "; see "
                        + runDir.resolve("log"));
            }
            // Polling the REST API: the JobManager gives no other start-up signal to this process.
            TimeUnit.MILLISECONDS.sleep(250);
        }
    }

    private void writePid(String name, long pid) throws IOException {
        Files.writeString(runDir.resolve(name + ".pid"), Long.toString(pid));
    }

    /** Signals every recorded process that is still one of ours; waits for them; returns how many. */
    private int stopProcesses() throws InterruptedException {
        List<ProcessHandle> ours = new ArrayList<>();
        List<Path> pidFiles = new ArrayList<>();
        if (Files.isDirectory(runDir)) {
            try (var s = Files.list(runDir)) {
                s.filter(p -> p.getFileName().toString().endsWith(".pid")).forEach(pidFiles::add);
            } catch (IOException e) {
                throw new IllegalStateException("cannot list " + runDir, e);
            }
        }
        for (Path f : pidFiles) {
            try {
                long pid = Long.parseLong(Files.readString(f).trim());
                ProcessHandle.of(pid)
                        .filter(ProcessHandle::isAlive)
                        .filter(this::isOurs)
                        .ifPresent(ours::add);
                Files.deleteIfExists(f);
            } catch (IOException | NumberFormatException e) {
                // An unreadable pid file names no process we could safely stop.
            }
        }
        // TaskManagers first, so the JobManager does not try to restart their tasks elsewhere.
        ours.sort((a, b) -> Boolean.compare(isJobManager(a), isJobManager(b)));
        for (ProcessHandle h : ours) {
            h.destroy();
            try {
                h.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                h.destroyForcibly();
                try {
                    h.onExit().get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ignored) {
                    // Reported by status: a process that survives SIGKILL is beyond this tool.
                }
            }
        }
        return ours.size();
    }

    private boolean isOurs(ProcessHandle h) {
        String cmd = h.info().commandLine().orElse("");
        return cmd.contains("-Dpulse.cluster.dir=" + runDir + " ") && cmd.contains("-Dpulse.cluster.role=");
    }

    private static boolean isJobManager(ProcessHandle h) {
        return h.info().commandLine().orElse("").contains("-Dpulse.cluster.role=jobmanager");
    }

    /** The cluster classpath written by the deploy/local-cluster module. */
    public static String classpath() throws IOException {
        String explicit = System.getProperty("pulse.cluster.classpath");
        Path file = explicit != null
                ? Paths.get(explicit)
                : Paths.get(
                        System.getProperty("pulse.home", "."), "deploy", "local-cluster", "target", "classpath.txt");
        if (!Files.isRegularFile(file)) {
            throw new IOException("Flink cluster classpath " + file
                    + " not found; build the project first (mvn -DskipTests install)");
        }
        return Files.readString(file).trim();
    }
}
