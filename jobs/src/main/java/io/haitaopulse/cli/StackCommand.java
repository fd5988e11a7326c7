package io.haitaopulse.cli;

import io.haitaopulse.runtime.BackgroundStack;
import io.haitaopulse.stack.Leftovers;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pulse stack start|stop|status}: just the data services of the live path — a Kafka broker
 * and PostgreSQL — running in the background ({@link BackgroundStack}), for jobs run with
 * {@code pulse run} or submitted to a cluster with {@code pulse submit}. {@code start} returns once
 * both answer and is a no-op when they run; {@code status} exits 0 only when both run;
 * {@code stop} stops whatever runs.
 */
@Command(
        name = "stack",
        mixinStandardHelpOptions = true,
        description = "Kafka and PostgreSQL in the background for 'run' and 'submit': start (topics, tables, "
                + "a config file), status (exit 0 when both run), stop.")
final class StackCommand implements Callable<Integer> {

    /** Exit code of {@code status} when the stack is not (completely) running. */
    static final int NOT_RUNNING = 3;

    @Parameters(index = "0", paramLabel = "ACTION", description = "start, stop or status.")
    String action;

    @Option(
            names = "--work",
            paramLabel = "DIR",
            description = "Data, logs, pid files and the config file (default: stack-work/ in the project; "
                    + "emptied by start).")
    Path work;

    @Option(
            names = "--kafka-port",
            paramLabel = "PORT",
            description = "Broker port (default: 9092, or a free one if taken).")
    int kafkaPort = 9092;

    @Option(
            names = "--postgres-port",
            paramLabel = "PORT",
            description = "PostgreSQL port (default: 5432, or a free one if taken).")
    int postgresPort = 5432;

    @Override
    public Integer call() throws Exception {
        Path home = Paths.get(System.getProperty("pulse.home", "."));
        BackgroundStack stack = new BackgroundStack(work != null ? work : home.resolve("stack-work"));
        PrintStream out = System.out;
        switch (action) {
            case "start" -> {
                if (kafkaPort < 0 || postgresPort < 0) {
                    throw new IllegalArgumentException("ports must not be negative");
                }
                start(stack, out);
                return 0;
            }
            case "status" -> {
                return status(stack, out);
            }
            case "stop" -> {
                List<String> stopped = stack.stop();
                out.println(
                        stopped.isEmpty()
                                ? "stack not running in " + stack.dir()
                                : "stack stopped: " + String.join(", ", stopped) + "; data stays in " + stack.dir());
                return 0;
            }
            default ->
                throw new IllegalArgumentException("unknown stack action '" + action + "'; use start, stop or status");
        }
    }

    private void start(BackgroundStack stack, PrintStream out) throws Exception {
        out.println("Starting PostgreSQL and a Kafka broker in " + stack.dir() + "…");
        BackgroundStack.Started started = stack.start(kafkaPort, postgresPort);
        BackgroundStack.Status s = started.status();
        if (started.alreadyRunning()) {
            out.println("stack already running in " + stack.dir());
        } else if (!started.stoppedFirst().isEmpty()) {
            out.println("  stopped what an earlier stack left running: " + String.join(", ", started.stoppedFirst()));
        }
        out.println();
        out.println("Kafka and PostgreSQL are running; they keep running until 'bin/pulse stack stop'.");
        out.println("  Kafka       " + s.bootstrapServers() + "   (pid " + pid(s.kafka()) + "; input topics and one "
                + "topic per output table)");
        out.println("  PostgreSQL  " + s.jdbcUrl() + "   user " + "postgres, no password (pid " + pid(s.postgres())
                + "; tables, v_* views, roles)");
        out.println("              " + s.psqlCommand());
        out.println("  Dashboard   " + dashboardCommand(stack, s));
        if (started.keyInfo() != null) {
            out.println("  Key         user ids pseudonymised with key " + started.keyInfo() + ", stored in "
                    + stack.dir().resolve(BackgroundStack.KEY_FILE));
        }
        out.println("  Config      " + stack.configFile()
                + "   (pulse.kafka.bootstrap-servers, pulse.postgres.url, pulse.postgres.user,");
        out.println("              pulse.privacy.key-file, execution.checkpointing.dir)");
        out.println("Next: bin/pulse cluster start");
        out.println("      bin/pulse submit --job all --config " + stack.configFile() + " --jobmanager localhost:8081");
        out.println("  or: bin/pulse run --job all --config " + stack.configFile());
    }

    private static int status(BackgroundStack stack, PrintStream out) throws Exception {
        BackgroundStack.Status s = stack.status();
        out.println("PostgreSQL    "
                + s.postgres()
                        .map(p -> "running, pid " + p.process().pid() + ", port "
                                + s.postgresPort().orElse(0) + "   " + s.jdbcUrl())
                        .orElse("not running"));
        out.println("Kafka broker  "
                + s.kafka()
                        .map(p -> "running, pid " + p.process().pid() + ", port "
                                + s.kafkaPort().orElse(0) + "   " + s.bootstrapServers())
                        .orElse("not running"));
        if (s.running()) {
            out.println("Config        " + stack.configFile());
            out.println("Dashboard     " + dashboardCommand(stack, s));
            return 0;
        }
        out.println(
                s.stopped()
                        ? "stack not running in " + stack.dir() + " ('bin/pulse stack start' starts it)"
                        : "stack half running in " + stack.dir() + " ('bin/pulse stack start' restarts it)");
        return NOT_RUNNING;
    }

    /** How to serve the dashboard from this stack's PostgreSQL, as its read-only login. */
    private static String dashboardCommand(BackgroundStack stack, BackgroundStack.Status s) throws Exception {
        return "PULSE_DASHBOARD_PASSWORD=" + stack.dashboardPassword() + " bin/pulse dashboard --postgres-url "
                + s.jdbcUrl() + " --user dashboard";
    }

    private static String pid(java.util.Optional<Leftovers.Server> server) {
        return server.map(p -> Long.toString(p.process().pid())).orElse("?");
    }
}
