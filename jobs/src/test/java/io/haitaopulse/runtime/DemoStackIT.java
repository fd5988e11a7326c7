package io.haitaopulse.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haitaopulse.stack.LocalCluster;
import io.haitaopulse.stack.LocalKafka;
import io.haitaopulse.stack.LocalPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's services when start-up fails half-way: PostgreSQL, Kafka and the Flink cluster are
 * up, the dashboard cannot start (the views it reads were never created), and closing the stack
 * still stops all of them — the JobManager and TaskManager JVMs too — leaving no process behind.
 * Starts a real PostgreSQL, a real broker and a real standalone cluster.
 */
class DemoStackIT {

    @TempDir
    Path work;

    @Test
    void closingAfterAFailedStartStopsEverythingStartedBeforeIt() throws Exception {
        Set<Long> before = children();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        LocalKafka kafka;
        List<ProcessHandle> clusterJvms;
        Set<Long> running;
        try (DemoStack stack = new DemoStack(work, out)) {
            LocalPostgres pg = stack.startPostgres(0);
            kafka = stack.startKafka(0, null);
            LocalCluster cluster = stack.startCluster(
                    Paths.get(System.getProperty("pulse.home", ".."), "deploy/local-cluster/config.yaml"),
                    LocalKafka.freePort());
            clusterJvms = LiveDemoIT.clusterProcesses(work.resolve("cluster"));
            assertThat(clusterJvms).as("JobManager and TaskManager").hasSize(2);
            assertThat(cluster.overview()).as("the cluster's REST API").isPresent();
            assertThatThrownBy(() -> stack.startDashboard(LocalPostgres.USER, null, 0, Duration.ofHours(8)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(pg.jdbcUrl());
            running = children();
            running.removeAll(before);
            assertThat(kafka.isAlive()).isTrue();
        }
        assertThat(running).as("processes of PostgreSQL and Kafka").isNotEmpty();
        assertThat(kafka.isAlive()).isFalse();
        assertThat(clusterJvms.stream().filter(ProcessHandle::isAlive))
                .as("JobManager and TaskManager after close")
                .isEmpty();
        Set<Long> leftover = children();
        leftover.removeAll(before);
        assertThat(leftover).as("processes the stack started and left running").isEmpty();
        assertThat(buf.toString(StandardCharsets.UTF_8))
                .startsWith("Stopping…")
                .contains("Stopped: Flink cluster, Kafka and PostgreSQL shut down.");
    }

    private static Set<Long> children() {
        return ProcessHandle.current()
                .descendants()
                .filter(ProcessHandle::isAlive)
                .map(ProcessHandle::pid)
                .collect(Collectors.toCollection(HashSet::new));
    }
}
