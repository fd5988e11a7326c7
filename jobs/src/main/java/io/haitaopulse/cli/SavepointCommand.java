package io.haitaopulse.cli;

import io.haitaopulse.stack.FlinkClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pulse savepoint JOB_ID}: a savepoint of a running job; the job keeps running. */
@Command(
        name = "savepoint",
        mixinStandardHelpOptions = true,
        description = "Take a savepoint of a running job; prints its path.")
final class SavepointCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "JOB_ID", description = "The job (see 'pulse cluster status').")
    String jobId;

    @Option(
            names = "--jobmanager",
            paramLabel = "HOST:PORT",
            description = "REST address of the cluster (default: localhost:8081).")
    String jobManager = "localhost:8081";

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            description = "Target directory (default: the cluster's savepoint directory).")
    String dir;

    @Override
    public Integer call() throws Exception {
        FlinkClient.Result r = new FlinkClient(jobManager).savepoint(jobId, dir);
        if (r.exitCode() != 0 || r.savepointPath() == null) {
            throw new IllegalStateException("no savepoint: " + SubmitCommand.lastLines(r.output()));
        }
        System.out.println("savepoint " + r.savepointPath());
        return 0;
    }
}
