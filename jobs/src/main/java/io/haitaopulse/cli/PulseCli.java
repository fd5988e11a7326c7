package io.haitaopulse.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code bin/pulse}. Contract for errors: a bad argument prints one line and exits
 * 2; a failure while running prints one line and exits 1; neither prints a stack trace unless
 * {@code PULSE_DEBUG=1}.
 */
@Command(
        name = "pulse",
        mixinStandardHelpOptions = true,
        version = "Haitao Pulse 0.1.0",
        description = "Real-time analytics for import e-commerce on Apache Flink.",
        footer = {"", "Benchmarks: 'pulse bench --help' (bin/pulse runs them from the bench module; see BENCHMARKS.md)."
        },
        subcommands = {
            DemoCommand.class,
            ReplayCommand.class,
            RunCommand.class,
            SubmitCommand.class,
            SavepointCommand.class,
            StopCommand.class,
            ClusterCommand.class,
            StackCommand.class,
            GenerateCommand.class,
            DashboardCommand.class,
            CommandLine.HelpCommand.class
        })
public final class PulseCli implements Runnable {

    /** Exit code for a bad argument or input. */
    public static final int EXIT_USAGE = 2;
    /** Exit code for a failure while running. */
    public static final int EXIT_FAILURE = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command; try 'pulse --help'");
    }

    public static void main(String[] args) {
        int code = execute(args);
        if (insideFlinkClient()) {
            // Flink's client (submit) or a cluster's application runner owns this JVM: report, do not exit it.
            if (code != 0) {
                throw new IllegalStateException("pulse " + String.join(" ", args) + " failed with exit code " + code);
            }
            return;
        }
        System.exit(code);
    }

    /** Whether this main runs under Flink's client, which supplies the execution environment. */
    private static boolean insideFlinkClient() {
        try {
            return org.apache.flink.streaming.api.environment.StreamExecutionEnvironment.getExecutionEnvironment()
                    instanceof org.apache.flink.client.program.StreamContextEnvironment;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Runs the command line and returns its exit code; never throws. */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new PulseCli());
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("pulse: " + oneLine(ex.getMessage()) + " (see '"
                    + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if ("1".equals(System.getenv("PULSE_DEBUG"))) {
                ex.printStackTrace(err);
            }
            if (ex instanceof IllegalArgumentException) {
                err.println("pulse: " + oneLine(ex.getMessage()));
                return EXIT_USAGE;
            }
            err.println("pulse: " + commandLine.getCommandName() + " failed: " + oneLine(rootMessage(ex))
                    + " (PULSE_DEBUG=1 shows the stack trace)");
            return EXIT_FAILURE;
        });
        return cl.execute(args);
    }

    /** The shaded jobs jar shipped to a cluster. */
    static Path jobJar() {
        return io.haitaopulse.stack.FlinkClient.jobJar();
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return root.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
