package io.haitaopulse.runtime;

import io.haitaopulse.dashboard.DashboardServer;
import io.haitaopulse.dashboard.ShopClock;
import io.haitaopulse.live.EventProducer;
import io.haitaopulse.live.KafkaSecurity;
import io.haitaopulse.stack.FlinkClient;
import io.haitaopulse.stack.FlinkRest;
import io.haitaopulse.stack.JdkFlags;
import io.haitaopulse.stack.Leftovers;
import io.haitaopulse.stack.LocalCluster;
import io.haitaopulse.stack.LocalKafka;
import io.haitaopulse.stack.LocalPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.ClusterClientJobClientAdapter;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * What the live demo runs: PostgreSQL, a Kafka broker, the dashboard, a Flink standalone cluster
 * (or none: a MiniCluster in this JVM), the Flink jobs and the producer streaming the simulated
 * shop into Kafka, each started by one method. {@link #close}
 * stops whatever was started, in reverse order of start — also when start-up failed half-way —
 * and carries on past a service that fails to stop, so that no process outlives the demo; the
 * first such failure is thrown at the end, the others suppressed on it.
 */
public final class DemoStack implements AutoCloseable {

    /** How one started service is stopped. */
    private interface Stopper {
        void stop() throws IOException, InterruptedException;
    }

    /** How long a submitted job's tasks may take to deploy and start on a busy machine. */
    private static final Duration TASKS_START = Duration.ofMinutes(2);

    private final Path work;
    private final PrintStream out;
    private final Deque<Stopper> started = new ArrayDeque<>();
    private final AtomicReference<Throwable> streamingFailure = new AtomicReference<>();
    private LocalPostgres postgres;
    private LocalKafka kafka;
    private DashboardServer dashboard;
    private LocalCluster cluster;
    private FutureTask<LocalCluster> clusterStart;
    private JobClient job;
    private volatile EventProducer producer;

    /** A stack whose services keep their data under {@code work} and report stopping on {@code out}. */
    public DemoStack(Path work, PrintStream out) {
        this.work = work;
        this.out = out;
    }

    /**
     * Starts PostgreSQL in {@code work/postgres} on {@code port} (0: any free port). Like the
     * broker it is started detached — no shutdown hook of its own stops it — so that on Ctrl-C it
     * stops only in its turn, after the job has ended; its pid file lets the next demo stop it if
     * this JVM dies without closing the stack.
     */
    public LocalPostgres startPostgres(int port) throws IOException {
        postgres = LocalPostgres.startDetached(work.resolve("postgres"), port);
        started.push(postgres::close);
        return postgres;
    }

    /**
     * Starts a Kafka broker in {@code work/kafka} on {@code port} (0: any free port): with
     * SASL/SCRAM and ACLs and an administrator of {@code adminPassword}, or open when it is null.
     * Detached (a session of its own, no shutdown hook of its own): a Ctrl-C reaches neither it
     * directly nor through a hook racing the stack's, so it stops only after the job, whose
     * exactly-once sinks otherwise wait for a broker that is gone while they are cancelled.
     */
    public LocalKafka startKafka(int port, String adminPassword) throws IOException, InterruptedException {
        kafka = LocalKafka.startDetached(work.resolve("kafka"), port, Duration.ofSeconds(90), adminPassword);
        started.push(kafka::close);
        return kafka;
    }

    /**
     * Starts the dashboard on the loopback address and {@code port}, reading PostgreSQL as {@code user},
     * showing times in the shop's {@code timezoneOffset}. Event time is simulated: the dashboard
     * measures the tables against the newest event time the producer has sent, not the wall clock.
     */
    public DashboardServer startDashboard(String user, String password, int port, Duration timezoneOffset) {
        ShopClock clock = ShopClock.simulated(ShopClock.offsetOf(timezoneOffset), () -> {
            EventProducer sending = producer;
            return sending == null ? Long.MIN_VALUE : sending.newestEventTs();
        });
        dashboard = DashboardServer.start(
                postgres.jdbcUrl(), user, password, InetAddress.getLoopbackAddress(), port, clock);
        started.push(dashboard::close);
        return dashboard;
    }

    /**
     * Starts a Flink standalone session cluster — a JobManager and one TaskManager, JVMs of their
     * own — in {@code work/cluster} with its REST API and web UI on {@code restPort}, configured by
     * {@code template}; returns once the TaskManager offers its slots. Stopping stops both JVMs,
     * also when start-up failed half-way. Their pid files let the next demo stop them if this JVM
     * is killed ({@link Leftovers}).
     */
    public LocalCluster startCluster(Path template, int restPort) throws IOException, InterruptedException {
        startClusterInBackground(template, restPort);
        return awaitCluster();
    }

    /**
     * {@link #startCluster} from a thread of its own, so that the JVMs start while this thread
     * does other work; {@link #awaitCluster} waits for it. Stopping interrupts a start still under
     * way, waits for its thread, then stops whatever JVM it launched.
     */
    public void startClusterInBackground(Path template, int restPort) {
        LocalCluster c = new LocalCluster(work.resolve(Leftovers.CLUSTER_DIR), template, restPort, 1, JdkFlags.FLAGS);
        FutureTask<LocalCluster> task = new FutureTask<>(() -> {
            c.start(Duration.ofMinutes(2));
            return c;
        });
        Thread thread = new Thread(task, "pulse-demo-cluster-start");
        thread.setDaemon(true);
        // Before start: a JobManager that is up when the TaskManager fails to come is stopped too.
        started.push(() -> {
            task.cancel(true);
            // The start thread writes a pid file right after each launch: once it has ended, stop sees them all.
            thread.join(TimeUnit.MINUTES.toMillis(1));
            c.stop();
        });
        clusterStart = task;
        thread.start();
    }

    /** Waits for the cluster {@link #startClusterInBackground} started; throws what its start threw. */
    public LocalCluster awaitCluster() throws IOException, InterruptedException {
        try {
            cluster = clusterStart.get();
            return cluster;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof InterruptedException ie) {
                throw ie;
            }
            throw new IllegalStateException("the Flink cluster did not start: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Submits {@code pulse run --job JOB --config FILE} to the {@link #startCluster cluster} at
     * {@code parallelism}, exactly as {@code pulse submit} does (Flink's client in a child JVM), and
     * returns once every task of the job runs, so that a stream started next is read from its
     * first second; stopping cancels the job.
     */
    public JobClient submitJobs(String jobName, Path config, int parallelism) throws Exception {
        FlinkClient.Result r =
                new FlinkClient(cluster.restAddress()).submitJob(jobName, config, Map.of(), parallelism, null, false);
        if (r.exitCode() != 0 || r.jobId() == null) {
            throw new IllegalStateException("the Flink client could not submit the jobs: " + r.tail());
        }
        Configuration rest = new Configuration();
        rest.set(RestOptions.ADDRESS, "localhost");
        rest.set(RestOptions.PORT, Integer.parseInt(cluster.restAddress().substring("localhost:".length())));
        // The adapter closes the client it gets after every request, so each request gets a new one.
        job = new ClusterClientJobClientAdapter<>(
                () -> {
                    try {
                        return new RestClusterClient<>(rest, StandaloneClusterId.getInstance());
                    } catch (Exception e) {
                        throw new IllegalStateException("no REST client for " + cluster.restAddress(), e);
                    }
                },
                JobID.fromHexString(r.jobId()),
                DemoStack.class.getClassLoader());
        started.push(this::cancelJob);
        cluster.awaitTasksRunning(r.jobId(), TASKS_START);
        return job;
    }

    /**
     * Submits the jobs built in {@code env} as one Flink job named {@code name} to the MiniCluster
     * whose REST API answers at {@code restAddress}, and returns once every task of it runs;
     * stopping cancels it.
     */
    public JobClient startJobs(StreamExecutionEnvironment env, String name, String restAddress) throws Exception {
        job = env.executeAsync(name);
        started.push(this::cancelJob);
        new FlinkRest(restAddress).awaitTasksRunning(job.getJobID().toHexString(), TASKS_START);
        return job;
    }

    /**
     * Streams the records of {@code spool} ({@link EventProducer#spool}) into Kafka at {@code rate}
     * events per second (0: as fast as possible) from a thread of its own, logged in with
     * {@code security}; a failure of that thread is kept for {@link #streamingFailure}.
     */
    public EventProducer startProducer(KafkaSecurity security, Path spool, double rate) {
        EventProducer sending = new EventProducer(kafka.bootstrapServers(), security);
        Thread thread = new Thread(
                () -> {
                    try (sending) {
                        sending.sendSpool(spool, rate);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (Exception e) {
                        streamingFailure.set(e);
                    }
                },
                "pulse-demo-producer");
        thread.start();
        producer = sending;
        started.push(() -> {
            sending.stop();
            thread.join(10_000);
        });
        return sending;
    }

    public LocalPostgres postgres() {
        return postgres;
    }

    public LocalKafka kafka() {
        return kafka;
    }

    public DashboardServer dashboard() {
        return dashboard;
    }

    public JobClient job() {
        return job;
    }

    /** The standalone cluster, or null when the jobs run in this JVM. */
    public LocalCluster cluster() {
        return cluster;
    }

    public EventProducer producer() {
        return producer;
    }

    /** Why streaming into Kafka failed, or null while it has not. */
    public Throwable streamingFailure() {
        return streamingFailure.get();
    }

    private void cancelJob() throws InterruptedException {
        try {
            job.cancel().get(30, TimeUnit.SECONDS);
            // The cancel is acknowledged before the tasks are down; Kafka and PostgreSQL stop only
            // after the job's sinks have closed (their transactions aborted, connections released).
            job.getJobExecutionResult().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException cancelled) {
            // A cancelled job's result is this exception: the job has reached its end.
        } catch (TimeoutException | RuntimeException e) {
            out.println("  the job did not cancel cleanly: " + e);
        }
    }

    /** Stops every started service, the last started first; reports it on the demo's output. */
    @Override
    public void close() throws IOException {
        out.println("Stopping…");
        Exception failure = null;
        boolean interrupted = false;
        while (!started.isEmpty()) {
            try {
                started.pop().stop();
            } catch (InterruptedException e) {
                // Stop the rest all the same; the interrupt is restored once everything is down.
                interrupted = true;
            } catch (IOException | RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        } else if (failure != null) {
            throw (IOException) failure;
        }
        out.println("Stopped: " + stoppedServices() + ". Data stays in " + work);
    }

    /**
     * What stopping ended, for the line that reports it: "job cancelled, Flink cluster, Kafka and
     * PostgreSQL shut down" after a full start, less what a demo stopped during start-up had not
     * started yet.
     */
    private String stoppedServices() {
        List<String> services = new ArrayList<>();
        if (clusterStart != null) {
            services.add("Flink cluster");
        }
        if (kafka != null) {
            services.add("Kafka");
        }
        if (postgres != null) {
            services.add("PostgreSQL");
        }
        String down = services.isEmpty()
                ? "nothing had started"
                : services.size() == 1
                        ? services.get(0) + " shut down"
                        : String.join(", ", services.subList(0, services.size() - 1)) + " and "
                                + services.get(services.size() - 1) + " shut down";
        return job != null ? "job cancelled, " + down : down;
    }
}
