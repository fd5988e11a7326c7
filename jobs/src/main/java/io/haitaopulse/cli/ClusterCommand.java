package io.haitaopulse.cli;

import io.haitaopulse.stack.JdkFlags;
import io.haitaopulse.stack.LocalCluster;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pulse cluster start|stop|status}: the local standalone session cluster of CONTRACTS §1. */
@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description =
                "A real Flink standalone session cluster on this machine: JobManager and TaskManager JVMs "
                        + "(config: deploy/local-cluster/config.yaml; logs, checkpoints, savepoints: deploy/local-cluster/run/).")
final class ClusterCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ACTION", description = "start, stop or status.")
    String action;

    @Option(names = "--rest-port", paramLabel = "PORT", description = "REST API and web UI port (default: 8081).")
    int restPort = 8081;

    @Option(
            names = "--taskmanagers",
            paramLabel = "N",
            description = "TaskManagers to start (default: 1, 4 slots each).")
    int taskManagers = 1;

    @Option(names = "--dir", paramLabel = "DIR", description = "Run directory (default: deploy/local-cluster/run).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        if (taskManagers < 1) {
            throw new IllegalArgumentException("--taskmanagers must be at least 1");
        }
        Path home = Paths.get(System.getProperty("pulse.home", "."));
        LocalCluster cluster = new LocalCluster(
                dir != null ? dir : home.resolve("deploy/local-cluster/run"),
                home.resolve("deploy/local-cluster/config.yaml"),
                restPort,
                taskManagers,
                JdkFlags.FLAGS);
        String result = switch (action) {
            case "start" -> cluster.start(Duration.ofMinutes(2)) + "\n" + cluster.status();
            case "stop" -> cluster.stop();
            case "status" -> cluster.status();
            default ->
                throw new IllegalArgumentException(
                        "unknown cluster action '" + action + "'; use start, stop or status");
        };
        System.out.println(result);
        return 0;
    }
}
