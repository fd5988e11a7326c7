package io.haitaopulse.runtime;

import io.haitaopulse.dashboard.DashboardServer;
import io.haitaopulse.generator.MarketSimulator;
import io.haitaopulse.generator.SimulatorConfig;
import io.haitaopulse.generator.SpikePlan;
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
import io.haitaopulse.stack.Leftovers;
import io.haitaopulse.stack.LocalKafka;
import io.haitaopulse.stack.LocalPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The live demo: a real Kafka broker (child JVM), a real PostgreSQL (embedded), a real Flink
 * standalone cluster (JobManager and TaskManager JVMs, {@link io.haitaopulse.stack.LocalCluster}) running every job —
 * submitted as {@code pulse submit} does, with a configuration file in the work directory — and
 * the market simulator streaming into Kafka at a steady rate. {@link #onMiniCluster} runs the
 * jobs in a MiniCluster in this JVM instead (less memory, no web UI). Prints where to look, then
 * a progress line every two seconds ({@link DemoProgress}) until Ctrl-C, {@link #stop} or
 * {@code --duration}; stopping ({@link DemoStack}) cancels the job and stops the cluster, the
 * broker and the database, so no process outlives the demo.
 */
public final class LiveDemo {

    /** The dashboard's port when it is free. */
    public static final int DASHBOARD_PORT = 8088;

    /** The Flink web UI's port when it is free. */
    public static final int FLINK_PORT = 8081;

    /** Parallelism of the demo's job, on the cluster as in the MiniCluster. */
    private static final int PARALLELISM = 2;

    private final Path work;
    private final String scenario;
    private final long seed;
    private final double rate;
    private final Duration duration;
    private final int kafkaPort;
    private final int postgresPort;
    private final PrintStream out;
    private final AtomicBoolean stop = new AtomicBoolean();
    /** The thread running the demo while it starts or shows progress; null while it stops. */
    private Thread runner;

    private boolean secureKafka;
    private boolean miniCluster;
    private int flinkPort = FLINK_PORT;

    public LiveDemo(
            Path work,
            String scenario,
            long seed,
            double rate,
            Duration duration,
            int kafkaPort,
            int postgresPort,
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
    public LiveDemo secureKafka() {
        this.secureKafka = true;
        return this;
    }

    /** Runs the jobs in a MiniCluster in this JVM instead of a standalone cluster. */
    public LiveDemo onMiniCluster() {
        this.miniCluster = true;
        return this;
    }

    /** The cluster's REST and web UI port: this one when free, else any free port (0: any free port). */
    public LiveDemo flinkPort(int port) {
        this.flinkPort = port;
        return this;
    }

    /** Asks a running demo to stop, as Ctrl-C does; {@link #run} then stops everything and returns. */
    public void stop() {
        synchronized (stop) {
            stop.set(true);
            if (runner != null) {
                // Cuts short whatever start-up or the progress waits for.
                runner.interrupt();
            }
        }
    }

    /**
     * From here on the demo only stops: a later {@link #stop} no longer interrupts it, and an
     * interrupt that {@link #stop} sent and nothing consumed is cleared, so that stopping can wait
     * for the job to cancel and the services to shut down.
     */
    private void stopInterrupting() {
        synchronized (stop) {
            runner = null;
            Thread.interrupted();
        }
    }

    /**
     * Eight ×6 step spikes of large items, lasting 4 hours each: four with onsets 3–16 h into the
     * first shop day and four 24–33 h in. The simulated shop's own shocks come on its second
     * afternoon, minutes of the demo later, and the Trending page should not stay empty that long.
     * Onsets are spread over the day rather than bunched at its start because on the first day an
     * item's expected share is learnt from the hours before: a spike in the first hours is soon
     * part of that baseline and trends for minutes, one later in the day for an hour or more.
     * Checked on the demo's data ({@code FirstImpressionIT}): every spike trends, and from the
     * ninth to the eighteenth shop hour of day one the page always has an alert, open or ended
     * within its 6 hours.
     */
    static final SpikePlan FIRST_IMPRESSION = SpikePlan.trendEval()
            .withSpikes(8)
            .withDeal(
                    List.of(6.0),
                    List.of(SpikePlan.SizeBand.LARGE),
                    List.of(SpikePlan.Shape.STEP),
                    List.of(SpikePlan.Phase.FIRST_HOURS, SpikePlan.Phase.DAY_2))
            .withOnsets(Duration.ofHours(3), Duration.ofHours(16), Duration.ofHours(24), Duration.ofHours(33))
            .withSpikeDuration(Duration.ofHours(4))
            .withDecoys(0, 8.0, SpikePlan.SizeBand.MEDIUM);

    /**
     * The shop the demo simulates for {@code scenario}: two click bots, 5 % of unbought baskets
     * checked out and left unpaid, and the {@link #FIRST_IMPRESSION} spikes unless the scenario
     * plants its own: all eight in a shop of two days or more with 200 items per category (the
     * default), two on the first day in smaller shops.
     */
    public static SimulatorConfig simulatorConfig(String scenario) {
        SimulatorConfig cfg = SimulatorConfig.scenario(scenario).withBotsAndUnpaid(2, 0.05);
        if (cfg.spikePlan().active() || cfg.duration().compareTo(FIRST_IMPRESSION.firstHoursTo()) <= 0) {
            return cfg;
        }
        if (cfg.duration().compareTo(FIRST_IMPRESSION.day2To()) > 0
                && cfg.itemsPerCategory() >= FULL_PLAN_ITEMS_PER_CATEGORY) {
            return cfg.withSpikePlan(FIRST_IMPRESSION);
        }
        // A smaller or one-day shop has a handful of large items per category, and some of them
        // carry other plants: two first-day spikes fit every scenario.
        return cfg.withSpikePlan(FIRST_IMPRESSION
                .withSpikes(2)
                .withDeal(
                        FIRST_IMPRESSION.multipliers(),
                        FIRST_IMPRESSION.bands(),
                        FIRST_IMPRESSION.shapes(),
                        List.of(SpikePlan.Phase.FIRST_HOURS)));
    }

    /** Items per category from which a shop's large band has room for all eight spikes. */
    private static final int FULL_PLAN_ITEMS_PER_CATEGORY = 200;

    /**
     * Runs the demo until it is stopped; returns the exit code. Refuses, touching nothing, a work
     * directory that another running demo holds ({@link WorkDirLock}) or that holds files of the
     * user's.
     */
    public int run() throws Exception {
        // The demo shows the bot filter and the payment timeouts at work, and trends from its first day.
        SimulatorConfig cfg = simulatorConfig(scenario);
        // Checked before the lock file is created in it: a directory of the user's stays untouched.
        BackgroundStack.checkWorkDir(work, WORK_ENTRIES, "--work", "an empty or earlier demo directory");
        // Before anything is taken for leftovers: the servers of a demo still running are not.
        WorkDirLock lock = WorkDirLock.acquire(work, "--work");
        try {
            List<String> leftovers = Leftovers.stop(work);
            if (!leftovers.isEmpty()) {
                out.println(
                        "Stopped what an earlier demo left running in " + work + ": " + String.join(", ", leftovers));
            }
            BackgroundStack.emptyWorkDirKeeping(work, WorkDirLock.FILE);
            return runLocked(cfg);
        } finally {
            lock.close();
        }
    }

    private int runLocked(SimulatorConfig cfg) throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        synchronized (stop) {
            runner = Thread.currentThread();
        }
        Thread hook = stopOnCtrlC(stopped);
        try (DemoStack stack = new DemoStack(work, out)) {
            try {
                return startAndShowProgress(cfg, stack);
            } catch (InterruptedException e) {
                if (!stop.get()) {
                    throw e;
                }
                // Stopped while starting: what started stops as after a run.
                return 0;
            } finally {
                stopInterrupting();
            }
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is what is running.
            }
        }
    }

    /** Starts the demo's services and jobs in {@code stack}, then shows progress until stopped. */
    private int startAndShowProgress(SimulatorConfig cfg, DemoStack stack) throws Exception {
        out.println("Haitao Pulse demo: simulating the shop (" + scenario + ", seed " + seed + ")"
                + (miniCluster ? "" : " while a Flink cluster starts (JobManager and TaskManager JVMs)") + "…");
        if (!miniCluster) {
            // The JobManager and TaskManager start while the shop is simulated and the broker and
            // database start, rather than after them: the demo is up tens of seconds sooner.
            int port = flinkPort == 0 ? 0 : portOrFree(flinkPort);
            stack.startClusterInBackground(
                    Paths.get(System.getProperty("pulse.home", "."), "deploy", "local-cluster", "config.yaml"),
                    port == 0 ? LocalKafka.freePort() : port);
        }
        Path events = work.resolve("events");
        long lines = new MarketSimulator(cfg, seed).run(events);
        out.printf(
                "  %,d events over %d days written to %s%n",
                lines, cfg.duration().toDays(), events);

        // The stream, encoded for Kafka while the broker, the database and the cluster start:
        // streaming then only sends, and the jobs get the cores the encoding would have taken.
        List<Path> files;
        try (Stream<Path> s = Files.list(events)) {
            files = s.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        }
        Path spool = work.resolve(SPOOL_FILE);
        FutureTask<Long> encoding = new FutureTask<>(() -> EventProducer.spool(files, spool));
        Thread encoder = new Thread(encoding, "pulse-demo-encode");
        // Nothing to wait for when the demo stops before streaming: what it wrote is left as data.
        encoder.setDaemon(true);
        encoder.start();

        out.println("Starting PostgreSQL and a Kafka broker…");
        LocalPostgres pg = stack.startPostgres(portOrFree(postgresPort));
        String adminPassword = secureKafka ? LiveSetup.randomSecret() : null;
        LocalKafka kafka = stack.startKafka(portOrFree(kafkaPort), adminPassword);
        KafkaSecurity jobSecurity =
                secureKafka ? KafkaSecurity.scram("pulse", LiveSetup.randomSecret()) : KafkaSecurity.NONE;
        KafkaSecurity producerSecurity =
                secureKafka ? KafkaSecurity.scram("shop", LiveSetup.randomSecret()) : KafkaSecurity.NONE;
        if (secureKafka) {
            secureUsersAndTopics(kafka, KafkaSecurity.scram("admin", adminPassword), jobSecurity, producerSecurity);
        }

        Map<String, String> jobConfig = jobConfiguration(kafka, jobSecurity, pg);
        Configuration conf = Live.configure(Configuration.fromMap(jobConfig));
        PostgresUpsertSink.Settings pgSettings = LiveOptions.postgres(conf);
        String password = LiveSetup.prepareDatabaseWithDashboardLogin(pgSettings);
        // The dashboard logs in exactly as any other dashboard would: the read-only role, views only.
        // A stable address when it is free (bookmarks survive restarts), any free port otherwise.
        DashboardServer dashboard = stack.startDashboard(
                "dashboard",
                password,
                portOrFree(DASHBOARD_PORT),
                conf.get(io.haitaopulse.common.PulseOptions.TIMEZONE_OFFSET));

        if (miniCluster) {
            // The MiniCluster's REST API, on a free port: the demo asks it when every task runs.
            int restPort = LocalKafka.freePort();
            Configuration local = new Configuration(conf);
            local.set(RestOptions.ADDRESS, "localhost");
            local.set(RestOptions.BIND_PORT, Integer.toString(restPort));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(PARALLELISM, local);
            Live.build(env, "all", local);
            stack.startJobs(env, "pulse demo (all jobs)", "localhost:" + restPort);
        } else {
            out.println(
                    "Submitting the jobs to the Flink cluster (JobManager and TaskManager JVMs); the stream starts once every task runs…");
            stack.awaitCluster();
            // The file 'pulse submit --config' reads: the job is built by Flink's client, in a JVM of its own.
            Path config = work.resolve(BackgroundStack.CONFIG_FILE);
            BackgroundStack.writeConfig(
                    config,
                    jobConfig,
                    List.of("The demo's jobs: written by 'bin/pulse demo', submitted with it to the demo's cluster."));
            stack.submitJobs("all", config, PARALLELISM);
        }

        try {
            encoding.get();
        } catch (ExecutionException e) {
            throw new IOException("could not encode the stream into " + spool + ": " + e.getCause(), e.getCause());
        }
        stack.startProducer(producerSecurity, spool, rate);

        printWhereToLook(kafka, pg, password, dashboard, stack);
        new DemoProgress(out, duration).run(stack, stop);
        return 0;
    }

    /**
     * Installs the hook Ctrl-C runs: it asks the demo to stop, interrupts the thread running it and
     * waits (up to a minute) for {@code stopped}, so the services stop in order before the JVM exits.
     */
    private Thread stopOnCtrlC(CountDownLatch stopped) {
        Thread hook = new Thread(
                () -> {
                    stop();
                    try {
                        // Let the main thread cancel the job and stop the services in order.
                        stopped.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "pulse-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /** Creates the jobs' and the simulator's users with their ACLs, and the topics, as {@code admin}. */
    private void secureUsersAndTopics(
            LocalKafka kafka, KafkaSecurity admin, KafkaSecurity jobSecurity, KafkaSecurity producerSecurity) {
        Properties adminClient = admin.clientProperties(kafka.bootstrapServers());
        KafkaAcls.createUser(adminClient, jobSecurity.username(), jobSecurity.password());
        KafkaAcls.grant(adminClient, KafkaAcls.jobUser(jobSecurity.username()));
        KafkaAcls.createUser(adminClient, producerSecurity.username(), producerSecurity.password());
        KafkaAcls.grant(adminClient, KafkaAcls.producerUser(producerSecurity.username()));
        LiveSetup.createTopics(
                kafka.bootstrapServers(),
                admin,
                LiveOptions.PARTITIONS.defaultValue(),
                Topics.outputs(OutputTable.all()));
        out.println("  Kafka with SASL/SCRAM-SHA-512 and ACLs: admin / " + admin.password() + ", jobs as pulse / "
                + jobSecurity.password() + ", simulator as shop / " + producerSecurity.password());
    }

    /**
     * The configuration of the demo's jobs, as the entries of a configuration file: this Kafka and
     * PostgreSQL, demo pacing, the demo's key.
     */
    private Map<String, String> jobConfiguration(LocalKafka kafka, KafkaSecurity jobSecurity, LocalPostgres pg)
            throws IOException {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put(LiveOptions.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
        if (secureKafka) {
            conf.put(LiveOptions.SECURITY_PROTOCOL.key(), jobSecurity.protocol().name());
            conf.put(LiveOptions.SASL_USERNAME.key(), jobSecurity.username());
            conf.put(LiveOptions.SASL_PASSWORD.key(), jobSecurity.password());
        }
        conf.put(LiveOptions.GROUP_ID.key(), "pulse-demo");
        conf.put(LiveOptions.STARTING_OFFSETS.key(), LiveOptions.StartingOffsets.EARLIEST.name());
        conf.put(LiveOptions.POSTGRES_URL.key(), pg.jdbcUrl());
        conf.put(LiveOptions.POSTGRES_USER.key(), LocalPostgres.USER);
        conf.put(CheckpointingOptions.CHECKPOINTING_INTERVAL.key(), "5s");
        // The demo runs days of shop time in minutes: a partition quiet for 10 s of wall time (one
        // that got no records yet, or a quiet one of the reviews) is quiet for hours of shop time
        // and must stop holding event time back. Not shorter: with 2 s, a busy partition
        // whose reader the two cores starved for 2 s went idle, came back behind the others,
        // and the trends job dropped its panes as after purge (measured: 237,712 views in one
        // run, 2 or 3 runs in 8 with hot items or demand trends empty); 10 s: 0 in 5 runs.
        conf.put(io.haitaopulse.common.PulseOptions.IDLE_TIMEOUT.key(), "10s");
        conf.put(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY.key(),
                work.resolve("checkpoints").toUri().toString());
        // An absolute path: Flink's client, which builds the job on the cluster path, reads it too.
        conf.put(PrivacyOptions.KEY_FILE.key(), demoKey().toString());
        return conf;
    }

    /** Where to look: the addresses and logins of every service, what runs, how to stop. */
    private void printWhereToLook(
            LocalKafka kafka, LocalPostgres pg, String password, DashboardServer dashboard, DemoStack stack) {
        out.println();
        out.println("Haitao Pulse is running.");
        out.println("  Kafka       " + kafka.bootstrapServers() + "   inputs: "
                + String.join(
                        ", ", Topics.INPUTS.stream().map(Topics.Input::name).toList())
                + "; every output table is also a topic of its name");
        out.println("  PostgreSQL  " + pg.psqlCommand() + "   (tables and v_* views)");
        out.println("              dashboards: postgresql://dashboard:" + password + "@localhost:" + pg.port() + "/"
                + LocalPostgres.DATABASE + " (may read the v_* views only)");
        out.println("  Dashboard   http://localhost:" + dashboard.port()
                + "/   (trending, hot items, traffic, campaigns, sourcing; ?lang=zh)");
        if (stack.cluster() != null) {
            out.println("  Flink       http://" + stack.cluster().restAddress()
                    + "/   (web UI of the standalone cluster: " + "JobManager and TaskManager JVMs; job "
                    + stack.job().getJobID() + ")");
            out.println(
                    "              trends, uplift, sourcing and traffic (bot filter in front), checkpoints every 5 s;"
                            + " submitted with " + work.resolve(BackgroundStack.CONFIG_FILE));
        } else {
            out.println("  Flink       MiniCluster in this process: trends, uplift, sourcing and traffic (bot filter in"
                    + " front), checkpoints every 5 s");
        }
        out.println("  Streaming   " + (rate > 0 ? String.format("%,.0f events/s", rate) : "as fast as possible")
                + " of simulated shop time into Kafka");
        out.println("Ctrl-C stops everything."
                + (duration != null ? " Stopping by itself after " + duration.toSeconds() + " s." : ""));
        out.println();
    }

    /** {@code port} when it is free, else 0 (any free port). */
    public static int portOrFree(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            s.setReuseAddress(true);
            return port;
        } catch (IOException taken) {
            return 0;
        }
    }

    /**
     * The demo's pseudonymisation key: {@code PULSE_PSEUDONYM_KEY} when set, else a fresh random
     * key. Either way it is written to a file only this user can read, as a production key file
     * would be, and the job reads it from there.
     */
    private Path demoKey() throws IOException {
        Path file = work.resolve(BackgroundStack.KEY_FILE);
        PseudonymKey key = BackgroundStack.writeKey(file);
        out.println("  user ids pseudonymised with key " + key.id() + " (" + BackgroundStack.keyOrigin(key)
                + "), stored in " + file);
        return file;
    }

    /** The stream as the producer sends it ({@link EventProducer#spool}), in the work directory. */
    static final String SPOOL_FILE = "stream.spool";

    /**
     * Everything a demo run writes into its work directory; a directory holding only these is an
     * earlier demo's, which the next run may empty.
     */
    static final List<String> WORK_ENTRIES = List.of(
            "events",
            SPOOL_FILE,
            "postgres",
            "kafka",
            Leftovers.CLUSTER_DIR,
            "checkpoints",
            BackgroundStack.KEY_FILE,
            BackgroundStack.CONFIG_FILE,
            WorkDirLock.FILE);
}
