package io.haitaopulse.cli;

import io.haitaopulse.dashboard.DashboardServer;
import io.haitaopulse.generator.MarketSimulator;
import io.haitaopulse.generator.SimulatorConfig;
import io.haitaopulse.io.OutputTable;
import io.haitaopulse.live.EventProducer;
import io.haitaopulse.live.KafkaAcls;
import io.haitaopulse.live.KafkaSecurity;
import io.haitaopulse.live.LiveOptions;
import io.haitaopulse.live.LiveSetup;
import io.haitaopulse.live.PostgresUpsertSink;
import io.haitaopulse.live.Topics;
import io.haitaopulse.privacy.PrivacyOptions;
import io.haitaopulse.privacy.PseudonymKey;
import io.haitaopulse.stack.LocalKafka;
import io.haitaopulse.stack.LocalPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The live demo: a real Kafka broker (child JVM), a real PostgreSQL (embedded), Flink (a
 * MiniCluster in this JVM) running every job, and the market simulator streaming into Kafka at a
 * steady rate. Prints where to look, then a progress line every two seconds until Ctrl-C or
 * {@code --duration}; stopping cancels the job and stops the broker and the database, so no
 * process outlives the demo.
 */
final class LiveDemo {

    /** The dashboard's port when it is free. */
    static final int DASHBOARD_PORT = 8088;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneOffset.ofHours(8));
    private static final List<String> SHOWN = List.of("hot_items", "demand_trends", "campaign_uplift", "sourcing_shortlist",
            "dead_letters", "late_events");

    private final Path work;
    private final String scenario;
    private final long seed;
    private final double rate;
    private final Duration duration;
    private final int kafkaPort;
    private final int postgresPort;
    private final PrintStream out;
    private boolean secureKafka;

    LiveDemo(Path work, String scenario, long seed, double rate, Duration duration, int kafkaPort, int postgresPort,
            PrintStream out) {
        this.work = work.toAbsolutePath().normalize();
        this.scenario = scenario;
        this.seed = seed;
        this.rate = rate;
        this.duration = duration;
        this.kafkaPort = kafkaPort;
        this.postgresPort = postgresPort;
        this.out = out;
    }

    /**
     * Runs the broker with SASL/SCRAM and ACLs: the jobs log in as user {@code pulse} with
     * {@link KafkaAcls#jobUser}, the simulator as {@code shop} with {@link KafkaAcls#producerUser},
     * an administrator makes the topics; every password is random and printed.
     */
    LiveDemo secureKafka() {
        this.secureKafka = true;
        return this;
    }

    int run() throws Exception {
        // The demo shows the bot filter and the payment timeouts at work: two bots, 5 % of unbought
        // baskets checked out and left unpaid.
        SimulatorConfig cfg = SimulatorConfig.scenario(scenario).withBotsAndUnpaid(2, 0.05);
        clean(work);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread main = Thread.currentThread();
        Thread hook = new Thread(() -> {
            stop.set(true);
            main.interrupt();
            try {
                // Let the main thread cancel the job and stop the services in order.
                stopped.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pulse-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);

        LocalPostgres pg = null;
        LocalKafka kafka = null;
        JobClient job = null;
        Thread producerThread = null;
        EventProducer producer = null;
        DashboardServer dashboard = null;
        try {
            out.println("Haitao Pulse demo: simulating the shop (" + scenario + ", seed " + seed + ")…");
            Path events = work.resolve("events");
            long lines = new MarketSimulator(cfg, seed).run(events);
            out.printf("  %,d events over %d days written to %s%n", lines, cfg.duration().toDays(), events);

            out.println("Starting PostgreSQL and a Kafka broker…");
            pg = LocalPostgres.start(work.resolve("postgres"), portOrFree(postgresPort));
            String adminPassword = secureKafka ? randomSecret() : null;
            kafka = secureKafka
                    ? LocalKafka.startSecured(work.resolve("kafka"), portOrFree(kafkaPort), Duration.ofSeconds(90), adminPassword)
                    : LocalKafka.start(work.resolve("kafka"), portOrFree(kafkaPort), Duration.ofSeconds(90));
            KafkaSecurity jobSecurity = KafkaSecurity.NONE;
            KafkaSecurity producerSecurity = KafkaSecurity.NONE;
            if (secureKafka) {
                KafkaSecurity admin = KafkaSecurity.scram("admin", adminPassword);
                jobSecurity = KafkaSecurity.scram("pulse", randomSecret());
                producerSecurity = KafkaSecurity.scram("shop", randomSecret());
                Properties adminClient = admin.clientProperties(kafka.bootstrapServers());
                KafkaAcls.createUser(adminClient, jobSecurity.username(), jobSecurity.password());
                KafkaAcls.grant(adminClient, KafkaAcls.jobUser(jobSecurity.username()));
                KafkaAcls.createUser(adminClient, producerSecurity.username(), producerSecurity.password());
                KafkaAcls.grant(adminClient, KafkaAcls.producerUser(producerSecurity.username()));
                LiveSetup.createTopics(kafka.bootstrapServers(), admin, LiveOptions.PARTITIONS.defaultValue(),
                        OutputTable.all().stream().map(Topics::output).toList());
                out.println("  Kafka with SASL/SCRAM-SHA-512 and ACLs: admin / " + adminPassword + ", jobs as pulse / "
                        + jobSecurity.password() + ", simulator as shop / " + producerSecurity.password());
            }

            Configuration conf = new Configuration();
            conf.set(LiveOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            if (secureKafka) {
                conf.set(LiveOptions.SECURITY_PROTOCOL, jobSecurity.protocol());
                conf.set(LiveOptions.SASL_USERNAME, jobSecurity.username());
                conf.set(LiveOptions.SASL_PASSWORD, jobSecurity.password());
            }
            conf.set(LiveOptions.GROUP_ID, "pulse-demo");
            conf.set(LiveOptions.STARTING_OFFSETS, LiveOptions.StartingOffsets.EARLIEST);
            conf.set(LiveOptions.POSTGRES_URL, pg.jdbcUrl());
            conf.set(LiveOptions.POSTGRES_USER, LocalPostgres.USER);
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(5));
            // The demo runs days of shop time in minutes: a topic quiet for 10 s of wall time (the
            // campaigns topic after its few records, an empty partition) is quiet for hours of shop
            // time and must stop holding event time back. Not shorter: with 2 s, a busy partition
            // whose reader the two cores starved for 2 s went idle, came back behind the others,
            // and the trends job dropped its panes as after purge (measured: 237,712 views in one
            // run, 2 or 3 runs in 8 with hot items or demand trends empty); 10 s: 0 in 5 runs.
            conf.set(io.haitaopulse.common.PulseOptions.IDLE_TIMEOUT, Duration.ofSeconds(10));
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, work.resolve("checkpoints").toUri().toString());
            conf.set(PrivacyOptions.KEY_FILE, demoKey().toString());
            conf = Live.configure(conf);
            PostgresUpsertSink.Settings pgSettings = LiveOptions.postgres(conf);
            for (String script : LiveSetup.SQL_SCRIPTS) {
                LiveSetup.execute(pgSettings, LiveSetup.script(script));
            }
            String password = randomSecret();
            LiveSetup.execute(pgSettings, "CREATE ROLE dashboard LOGIN PASSWORD '" + password + "' IN ROLE pulse_dashboard");
            // The dashboard logs in exactly as any other dashboard would: the read-only role, views only.
            // A stable address when it is free (bookmarks survive restarts), any free port otherwise.
            dashboard = DashboardServer.start(pg.jdbcUrl(), "dashboard", password, InetAddress.getLoopbackAddress(),
                    portOrFree(DASHBOARD_PORT));

            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
            Live.build(env, "all", conf);
            job = env.executeAsync("pulse demo (all jobs)");

            producer = new EventProducer(kafka.bootstrapServers(), producerSecurity);
            EventProducer sending = producer;
            List<Path> files;
            try (Stream<Path> s = Files.list(events)) {
                files = s.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
            }
            AtomicReference<Throwable> producerFailure = new AtomicReference<>();
            producerThread = new Thread(() -> {
                try (sending) {
                    sending.send(files, rate);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    producerFailure.set(e);
                }
            }, "pulse-demo-producer");
            producerThread.start();

            out.println();
            out.println("Haitao Pulse is running.");
            out.println("  Kafka       " + kafka.bootstrapServers() + "   inputs: "
                    + String.join(", ", Topics.INPUTS.stream().map(Topics.Input::name).toList())
                    + "; every output table is also a topic of its name");
            out.println("  PostgreSQL  " + pg.psqlCommand() + "   (tables and v_* views)");
            out.println("              dashboards: postgresql://dashboard:" + password + "@localhost:" + pg.port() + "/"
                    + LocalPostgres.DATABASE + " (may read the v_* views only)");
            out.println("  Dashboard   http://localhost:" + dashboard.port() + "/   (trending, hot items, traffic, campaigns, sourcing; ?lang=zh)");
            out.println("  Flink       MiniCluster in this process: trends, uplift, sourcing and traffic (bot filter in front), checkpoints every 5 s");
            out.println("  Streaming   " + (rate > 0 ? String.format("%,.0f events/s", rate) : "as fast as possible")
                    + " of simulated shop time into Kafka");
            out.println("Ctrl-C stops everything." + (duration != null ? " Stopping by itself after " + duration.toSeconds() + " s." : ""));
            out.println();
            progress(pg, producer, job, stop, producerFailure);
            return 0;
        } finally {
            out.println("Stopping…");
            if (dashboard != null) {
                dashboard.close();
            }
            if (producer != null) {
                producer.stop();
                producerThread.join(10_000);
            }
            if (job != null) {
                try {
                    job.cancel().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    out.println("  the job did not cancel cleanly: " + e.getMessage());
                }
            }
            if (kafka != null) {
                kafka.close();
            }
            if (pg != null) {
                pg.close();
            }
            out.println("Stopped: job cancelled, Kafka and PostgreSQL shut down. Data stays in " + work);
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is what is running.
            }
        }
    }

    private void progress(LocalPostgres pg, EventProducer producer, JobClient job, AtomicBoolean stop,
            AtomicReference<Throwable> producerFailure) throws Exception {
        long started = System.nanoTime();
        long lastSent = 0;
        long lastTime = started;
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), LocalPostgres.USER, null)) {
            while (!stop.get()) {
                try {
                    // A progress line every two seconds: pacing output, not waiting for a result.
                    Thread.sleep(2_000);
                } catch (InterruptedException e) {
                    break;
                }
                if (producerFailure.get() != null) {
                    throw new IllegalStateException("streaming into Kafka failed: " + producerFailure.get().getMessage(),
                            producerFailure.get());
                }
                if (job.getJobStatus().get().isGloballyTerminalState()) {
                    throw new IllegalStateException("the Flink job stopped: " + job.getJobStatus().get());
                }
                long now = System.nanoTime();
                long sent = producer.sent();
                double perSecond = (sent - lastSent) / ((now - lastTime) / 1e9);
                lastSent = sent;
                lastTime = now;
                out.println(line((now - started) / 1_000_000_000L, sent, perSecond, producer.newestEventTs(), counts(c),
                        newestWindow(c)));
                if (duration != null && now - started >= duration.toNanos()) {
                    break;
                }
            }
        }
    }

    static String line(long elapsedSeconds, long sent, double perSecond, long newestEvent, Map<String, Long> counts,
            long newestWindow) {
        StringBuilder b = new StringBuilder(String.format("[%3d s] in %,7.0f ev/s, %,d sent", elapsedSeconds, perSecond, sent));
        if (newestEvent != Long.MIN_VALUE) {
            b.append(", shop time ").append(TIME.format(Instant.ofEpochMilli(newestEvent)));
        }
        b.append(" | rows");
        counts.forEach((t, n) -> b.append(' ').append(t).append(' ').append(String.format("%,d", n)));
        if (newestWindow != Long.MIN_VALUE && newestEvent != Long.MIN_VALUE) {
            b.append(String.format(" | hot items up to %s (%d min behind the stream)", TIME.format(Instant.ofEpochMilli(newestWindow)),
                    Math.max(0, (newestEvent - newestWindow) / 60_000)));
        }
        return b.toString();
    }

    private static Map<String, Long> counts(Connection c) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Statement st = c.createStatement()) {
            for (String t : SHOWN) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + t)) {
                    rs.next();
                    counts.put(t, rs.getLong(1));
                }
            }
        }
        return counts;
    }

    private static long newestWindow(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT max(window_end) FROM hot_items")) {
            rs.next();
            long v = rs.getLong(1);
            return rs.wasNull() ? Long.MIN_VALUE : v;
        }
    }

    /** {@code port} when it is free, else 0 (any free port). */
    static int portOrFree(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            s.setReuseAddress(true);
            return port;
        } catch (IOException taken) {
            return 0;
        }
    }

    private static String randomSecret() {
        return HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
    }

    /**
     * The demo's pseudonymisation key: {@code PULSE_PSEUDONYM_KEY} when set, else a fresh random
     * key. Either way it is written to a file only this user can read, as a production key file
     * would be, and the job reads it from there.
     */
    private Path demoKey() throws IOException {
        String fromEnv = System.getenv(PrivacyOptions.KEY_ENV);
        PseudonymKey key = fromEnv != null && !fromEnv.isBlank()
                ? PseudonymKey.resolve(new Configuration(), System.getenv(), false)
                : PseudonymKey.generate();
        Path file = work.resolve("pseudonym.key");
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, key.toBase64() + "\n", StandardCharsets.US_ASCII);
        out.println("  user ids pseudonymised with key " + key.id() + " (" + key.origin() + "), stored in " + file);
        return file;
    }

    /** Empties the demo's own work directory (refuses anything that does not look like one). */
    private static void clean(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                List<String> names = s.map(p -> p.getFileName().toString()).toList();
                if (!List.of("events", "postgres", "kafka", "checkpoints").containsAll(names)) {
                    throw new IllegalArgumentException("--work " + dir + " holds other files (" + names
                            + "); give an empty or earlier demo directory");
                }
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
    }
}
