package io.haitaopulse.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting a real broker when things go wrong: a start interrupted while the broker comes up (a
 * demo stopped during start-up) stops the broker itself, as the caller never got it; a port taken
 * between its choice and the broker's bind is chosen anew.
 */
class LocalKafkaIT {

    @TempDir
    Path dir;

    @Test
    void aStartInterruptedWhileTheBrokerComesUpStopsTheBroker() throws Exception {
        AtomicReference<LocalKafka> started = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread starting = new Thread(() -> {
            try {
                started.set(LocalKafka.startDetached(dir, 0, Duration.ofSeconds(90)));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        starting.start();
        long pid = awaitPid(dir.resolve(LocalKafka.PID_FILE), starting);

        starting.interrupt();
        starting.join(TimeUnit.MINUTES.toMillis(1));

        if (started.get() != null) {
            started.get().close();
        }
        assertThat(started.get())
                .as("a broker that came up before the interrupt")
                .isNull();
        assertThat(failure.get()).isInstanceOf(InterruptedException.class);
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
                .as("the broker's process")
                .isEmpty();
        assertThat(dir.resolve(LocalKafka.PID_FILE)).doesNotExist();
    }

    @Test
    void aPortTakenBeforeTheBrokerBindsItIsChosenAnew() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            // The first controller port chosen is taken, as when another server binds it between
            // the choice and the broker's start; every other choice is free. (Not the client port:
            // the start would take the server holding it for a broker that accepts connections.)
            Deque<Integer> chosen = new ArrayDeque<>(List.of(LocalKafka.freePort(), taken.getLocalPort()));
            LocalKafka.PortSource ports = () -> chosen.isEmpty() ? LocalKafka.freePort() : chosen.poll();

            try (LocalKafka kafka = LocalKafka.start(dir, 0, Duration.ofSeconds(90), null, false, ports)) {
                assertThat(kafka.port()).isNotEqualTo(taken.getLocalPort());
                assertThat(LocalKafka.accepts(kafka.port()))
                        .as("the broker accepts connections")
                        .isTrue();
            }
            assertThat(Files.readString(dir.resolve("broker.log")))
                    .as("the first broker's log")
                    .contains(LocalKafka.ADDRESS_IN_USE);
        }
    }

    /** The pid the start wrote once the broker's process runs. */
    private static long awaitPid(Path file, Thread starting) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            Optional<Long> pid = Files.exists(file)
                    ? Optional.of(Files.readString(file).strip())
                            .filter(s -> !s.isEmpty())
                            .map(Long::parseLong)
                    : Optional.empty();
            if (pid.isPresent()) {
                return pid.get();
            }
            assertThat(starting.isAlive()).as("the start runs").isTrue();
            assertThat(System.nanoTime())
                    .as("the broker's pid file within 2 min")
                    .isLessThan(deadline);
            // Polling the file the start writes: it gives no other signal that the process runs.
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }
}
