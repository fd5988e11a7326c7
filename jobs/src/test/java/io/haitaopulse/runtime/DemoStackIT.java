package io.haitaopulse.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haitaopulse.stack.LocalKafka;
import io.haitaopulse.stack.LocalPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's services when start-up fails half-way: PostgreSQL and Kafka are up, the dashboard
 * cannot start (the views it reads were never created), and closing the stack still stops both,
 * leaving no process behind. Starts a real PostgreSQL and a real broker.
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
        Set<Long> running;
        try (DemoStack stack = new DemoStack(work, out)) {
            LocalPostgres pg = stack.startPostgres(0);
            kafka = stack.startKafka(0, null);
            assertThatThrownBy(() -> stack.startDashboard(LocalPostgres.USER, null, 0, Duration.ofHours(8)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(pg.jdbcUrl());
            running = children();
            running.removeAll(before);
            assertThat(kafka.isAlive()).isTrue();
        }
        assertThat(running).as("processes of PostgreSQL and Kafka").isNotEmpty();
        assertThat(kafka.isAlive()).isFalse();
        Set<Long> leftover = children();
        leftover.removeAll(before);
        assertThat(leftover).as("processes the stack started and left running").isEmpty();
        assertThat(buf.toString(StandardCharsets.UTF_8)).startsWith("Stopping…").contains("Stopped: ");
    }

    private static Set<Long> children() {
        return ProcessHandle.current()
                .descendants()
                .filter(ProcessHandle::isAlive)
                .map(ProcessHandle::pid)
                .collect(Collectors.toCollection(HashSet::new));
    }
}
