package io.haitaopulse.stack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.file.PathUtils;

/**
 * A real single-node KRaft Kafka broker in a child JVM, built from the {@code kafka_2.13} Maven
 * artifacts (there is no Docker here). Its classpath is the file written by the
 * {@code deploy/kafka-broker} module, found through the system property
 * {@code pulse.kafka.broker-classpath} or next to {@code pulse.home}. The child gets its own
 * classpath so the broker's Kafka libraries never meet the connector's.
 *
 * <p>{@link #close} stops the broker with SIGTERM (a clean shutdown) and kills it if it has not
 * exited within 20 s; a JVM shutdown hook does the same if the owner never closes it, so no broker
 * outlives its parent.
 */
public final class LocalKafka implements AutoCloseable {

    /** The file in the broker's directory that holds its process id while it runs ({@link Leftovers}). */
    public static final String PID_FILE = "broker.pid";

    /** The start of the system property that marks a broker JVM's command line with its directory. */
    public static final String BROKER_MARK = "-Dpulse.local-kafka=";

    private static final String SETSID = "/usr/bin/setsid";

    private final Process process;
    private final int port;
    private final Path dir;
    private final Thread shutdownHook;

    private LocalKafka(Process process, int port, Path dir, boolean detached) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.shutdownHook = detached ? null : new Thread(this::stopProcess, "local-kafka-shutdown");
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /**
     * Formats a fresh log directory under {@code dir} and starts a broker on {@code port} (0 picks
     * a free one); returns once it accepts connections. The broker's output goes to
     * {@code dir/broker.log}.
     */
    public static LocalKafka start(Path dir, int port, Duration timeout) throws IOException, InterruptedException {
        return start(dir, port, timeout, null, false);
    }

    /**
     * {@link #start(Path, int, Duration)} for a broker that outlives this JVM: no shutdown hook
     * stops it, and it runs in a session of its own (setsid), so neither this JVM's exit nor a
     * Ctrl-C or hang-up of the terminal that started it reaches it. It is stopped through its pid
     * file ({@link Leftovers}); {@link #close} still stops it if called.
     */
    public static LocalKafka startDetached(Path dir, int port, Duration timeout)
            throws IOException, InterruptedException {
        return start(dir, port, timeout, null, true);
    }

    /**
     * {@link #startDetached(Path, int, Duration)}, secured as {@link #startSecured} when
     * {@code adminPassword} is not null.
     */
    public static LocalKafka startDetached(Path dir, int port, Duration timeout, String adminPassword)
            throws IOException, InterruptedException {
        return start(dir, port, timeout, adminPassword, true);
    }

    /**
     * {@link #start(Path, int, Duration)} with SASL/SCRAM-SHA-512 on the client listener and ACLs
     * enforced (StandardAuthorizer, nothing allowed without an ACL): the local stack's secured
     * mode. {@code adminPassword} is the password of super user {@code admin}, created when the
     * log directory is formatted; other users and their ACLs are made with {@code KafkaAcls}.
     * The controller listener stays on plain localhost and its peer is a super user, as the
     * single-node broker must be allowed to talk to its own controller.
     */
    public static LocalKafka startSecured(Path dir, int port, Duration timeout, String adminPassword)
            throws IOException, InterruptedException {
        return start(dir, port, timeout, adminPassword, false);
    }

    private static LocalKafka start(Path dir, int port, Duration timeout, String adminPassword, boolean detached)
            throws IOException, InterruptedException {
        return start(dir, port, timeout, adminPassword, detached, LocalKafka::freePort);
    }

    /** Where a start gets each port it chooses itself: {@link #freePort}, but in tests. */
    @FunctionalInterface
    interface PortSource {
        int next() throws IOException;
    }

    /**
     * How many times a start tries when a port it was given is taken before the broker binds it:
     * a free port is only free when it is chosen, and on a machine where other servers start at the
     * same time (the demo's Flink cluster binds ports of its own) another process can take it first.
     * Each try chooses new ports, but for a broker port the caller fixed.
     */
    static final int BIND_ATTEMPTS = 3;

    /** The broker's log directory under its {@code dir}. */
    private static final String KRAFT_LOGS = "kraft-logs";

    static LocalKafka start(
            Path dir, int port, Duration timeout, String adminPassword, boolean detached, PortSource ports)
            throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(dir, port == 0 ? ports.next() : port, ports.next(), timeout, adminPassword, detached);
            } catch (PortTakenException e) {
                if (attempt == BIND_ATTEMPTS) {
                    throw e;
                }
                // The failed try formatted the log directory for its ports: the next formats it afresh.
                PathUtils.deleteDirectory(dir.resolve(KRAFT_LOGS));
            }
        }
    }

    private static LocalKafka startOnce(
            Path dir, int brokerPort, int controllerPort, Duration timeout, String adminPassword, boolean detached)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path logs = dir.resolve(KRAFT_LOGS);
        Path props = dir.resolve("server.properties");
        String client = adminPassword == null ? "PLAINTEXT" : "SASL_PLAINTEXT";
        List<String> security = adminPassword == null
                ? List.of()
                : List.of(
                        "sasl.enabled.mechanisms=SCRAM-SHA-512",
                        "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512",
                        "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config="
                                + "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" password=\""
                                + adminPassword.replace("\\", "\\\\").replace("\"", "\\\"") + "\";",
                        "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                        "super.users=User:admin;User:ANONYMOUS",
                        "allow.everyone.if.no.acl.found=false");
        List<String> lines = new ArrayList<>(List.of(
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@localhost:" + controllerPort,
                "listeners=" + client + "://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort,
                "advertised.listeners=" + client + "://localhost:" + brokerPort,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=" + client + ":" + client + ",CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=" + client));
        lines.addAll(security);
        lines.addAll(List.of(
                "log.dirs=" + logs.toAbsolutePath(),
                "num.partitions=2",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=4",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // Exactly-once sinks hold transactions open for a checkpoint interval; 15 min is Kafka's default cap.
                "transaction.max.timeout.ms=900000",
                "auto.create.topics.enable=false",
                // Records are stamped with their event time, which in replays of history is long past:
                // time-based retention would delete them. The local stack keeps everything.
                "log.retention.ms=-1",
                ""));
        Files.writeString(props, String.join("\n", lines));
        String classpath = brokerClasspath();
        Path log = dir.resolve("broker.log");
        List<String> format = new ArrayList<>(List.of(
                javaBin(),
                "-Xmx512m",
                "-cp",
                classpath,
                "kafka.tools.StorageTool",
                "format",
                "-t",
                clusterId(),
                "-c",
                props.toString()));
        if (adminPassword != null) {
            // KRaft has no ZooKeeper to hold the first credentials: they are written into the metadata log at format
            // time.
            format.addAll(List.of("--add-scram", "SCRAM-SHA-512=[name=admin,password=" + adminPassword + "]"));
        }
        run(format, log, Duration.ofSeconds(60));
        return launch(dir, brokerPort, timeout, detached);
    }

    /**
     * Stops this broker (as {@link #close} does: a clean shutdown) and starts it again on the same
     * log directory and port, as after a rolling restart; returns once it accepts connections.
     * This instance is closed; use the returned one.
     */
    public LocalKafka restart(Duration timeout) throws IOException, InterruptedException {
        close();
        return launch(dir, port, timeout, shutdownHook == null);
    }

    private static LocalKafka launch(Path dir, int brokerPort, Duration timeout, boolean detached)
            throws IOException, InterruptedException {
        String classpath = brokerClasspath();
        Path props = dir.resolve("server.properties");
        Path log = dir.resolve("broker.log");
        List<String> cmd = new ArrayList<>();
        if (detached && Files.isExecutable(Paths.get(SETSID))) {
            // A session of its own, as the local cluster's JVMs: the terminal's signals do not reach it.
            cmd.add(SETSID);
        }
        cmd.addAll(List.of(
                javaBin(),
                "-Xmx768m",
                "-XX:+UseG1GC",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                // Before the long classpath: how Leftovers recognises this broker by its command line
                // (which the JDK may truncate).
                BROKER_MARK + dir.toAbsolutePath().normalize(),
                "-cp",
                classpath,
                "kafka.Kafka",
                props.toString()));
        // Where this launch's output starts in the log, which earlier runs appended to.
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        LocalKafka kafka = new LocalKafka(p, brokerPort, dir, detached);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            // Found by the next run if this JVM is killed before it can stop the broker.
            Files.writeString(dir.resolve(PID_FILE), p.pid() + "\n", StandardCharsets.US_ASCII);
            while (!accepts(brokerPort)) {
                if (!p.isAlive()) {
                    if (logSince(log, logStart).contains(ADDRESS_IN_USE)) {
                        throw new PortTakenException("the Kafka broker could not bind a port (" + ADDRESS_IN_USE
                                + ") and exited during start-up; see " + log);
                    }
                    throw new IOException(
                            "the Kafka broker exited with " + p.exitValue() + " during start-up; see " + log);
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("the Kafka broker did not open port " + brokerPort + " within "
                            + timeout.toSeconds() + " s; see " + log);
                }
                // Polling a socket: the broker offers no other start-up signal to a parent process.
                TimeUnit.MILLISECONDS.sleep(200);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // Interrupted too (a demo stopped while it starts): nobody else holds the broker to stop it.
            kafka.close();
            throw e;
        }
        return kafka;
    }

    /** {@code localhost:PORT}. */
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
    }

    /** The directory holding the broker's data and log. */
    public Path dir() {
        return dir;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        stopProcess();
        if (shutdownHook == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or has run; nothing left to undo.
        }
    }

    private void stopProcess() {
        try {
            Files.deleteIfExists(dir.resolve(PID_FILE));
        } catch (IOException e) {
            // Harmless: the next run checks that the pid still names a live broker.
        }
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The broker classpath written by the deploy/kafka-broker module. */
    static String brokerClasspath() throws IOException {
        String explicit = System.getProperty("pulse.kafka.broker-classpath");
        Path file = explicit != null
                ? Paths.get(explicit)
                : Paths.get(System.getProperty("pulse.home", "."), "deploy", "kafka-broker", "target", "classpath.txt");
        if (!Files.isRegularFile(file)) {
            throw new IOException(
                    "Kafka broker classpath " + file + " not found; build the project first (mvn -DskipTests install)");
        }
        return Files.readString(file).trim();
    }

    private static void run(List<String> cmd, Path log, Duration timeout) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("'" + cmd.get(cmd.size() - 4) + "' did not finish within " + timeout.toSeconds()
                    + " s; see " + log);
        }
        if (p.exitValue() != 0) {
            throw new IOException("formatting the Kafka log directory failed (exit " + p.exitValue() + "); see " + log);
        }
    }

    /** A KRaft cluster id: 16 random bytes, URL-safe base64 without padding, as Kafka's Uuid prints. */
    private static String clusterId() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        // Kafka refuses ids that start with '-' (they look like command-line flags).
        return id.startsWith("-") ? "A" + id.substring(1) : id;
    }

    static String javaBin() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A port no server listens on right now (the OS's choice). */
    /** What the broker logs when a port it binds is taken (java.net.BindException's message). */
    static final String ADDRESS_IN_USE = "Address already in use";

    /** A broker that exited during start-up because a port it was given was taken. */
    static final class PortTakenException extends IOException {
        private static final long serialVersionUID = 1L;

        PortTakenException(String message) {
            super(message);
        }
    }

    /** The text {@code log} holds after its first {@code from} bytes. */
    private static String logSince(Path log, long from) throws IOException {
        byte[] all = Files.readAllBytes(log);
        int start = (int) Math.min(from, all.length);
        return new String(all, start, all.length - start, StandardCharsets.UTF_8);
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("localhost", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
