package io.haitaopulse.cli;

import io.haitaopulse.stack.FlinkClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pulse stop JOB_ID --savepoint}: stops a job gracefully with a savepoint (resume it with
 * {@code submit --from-savepoint}, at any parallelism); without {@code --savepoint} it cancels.
 */
@Command(
        name = "stop",
        mixinStandardHelpOptions = true,
        description = "Stop a job: with --savepoint gracefully, taking a savepoint to resume from; else cancel it.")
final class StopCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "JOB_ID", description = "The job (see 'pulse cluster status').")
    String jobId;

    @Option(names = "--savepoint", description = "Take a savepoint while stopping (recommended).")
    boolean savepoint;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            description = "With --savepoint: target directory (default: the cluster's).")
    String dir;

    @Option(
            names = "--jobmanager",
            paramLabel = "HOST:PORT",
            description = "REST address of the cluster (default: localhost:8081).")
    String jobManager = "localhost:8081";

    @Override
    public Integer call() throws Exception {
        FlinkClient client = new FlinkClient(jobManager);
        if (!savepoint) {
            FlinkClient.Result r = client.cancel(jobId);
            if (r.exitCode() != 0) {
                throw new IllegalStateException(
                        "could not cancel " + jobId + ": " + SubmitCommand.lastLines(r.output()));
            }
            System.out.println("cancelled job " + jobId);
            return 0;
        }
        FlinkClient.Result r = client.stopWithSavepoint(jobId, dir);
        if (r.exitCode() != 0 || r.savepointPath() == null) {
            throw new IllegalStateException(
                    "could not stop " + jobId + " with a savepoint: " + SubmitCommand.lastLines(r.output()));
        }
        System.out.println("stopped job " + jobId + "; savepoint " + r.savepointPath());
        return 0;
    }
}
