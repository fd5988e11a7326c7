package io.haitaopulse.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haitaopulse.stack.LocalPostgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the demo's progress ends: quietly when stopped, whether the interrupt that stops it lands in
 * the pause between lines or while the job's status is asked; with an exception naming the cause
 * when the job stopped or streaming failed. Reads a real embedded PostgreSQL; the job is a stand-in
 * that answers only what the progress asks of it.
 */
class DemoProgressIT {

    @TempDir
    static Path dir;

    private static LocalPostgres pg;

    @BeforeAll
    static void startPostgres() throws IOException {
        pg = LocalPostgres.start(dir.resolve("postgres"), 0);
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        pg.close();
    }

    @Test
    void anInterruptWhileTheJobsStatusIsAskedStopsTheProgressQuietly() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        Job job = new Job(() -> {
            asked.countDown();
            // A status that never comes: the progress waits for it until interrupted.
            return new CompletableFuture<>();
        });
        Running running = start(job, new AtomicReference<>());

        assertThat(asked.await(1, TimeUnit.MINUTES))
                .as("the job's status asked")
                .isTrue();
        running.thread.interrupt();
        running.thread.join(TimeUnit.MINUTES.toMillis(1));

        assertThat(running.thread.isAlive()).as("the progress still runs").isFalse();
        assertThat(running.failure.get()).as("what the progress threw").isNull();
    }

    @Test
    void anInterruptInThePauseBetweenLinesStopsTheProgressQuietly() throws Exception {
        Job job = new Job(() -> CompletableFuture.completedFuture(JobStatus.RUNNING));
        Running running = start(job, new AtomicReference<>());

        // Interrupted at once: in the first pause (or, on a slow machine, a later one).
        running.thread.interrupt();
        running.thread.join(TimeUnit.MINUTES.toMillis(1));

        assertThat(running.thread.isAlive()).as("the progress still runs").isFalse();
        assertThat(running.failure.get()).as("what the progress threw").isNull();
    }

    @Test
    void aJobThatStoppedEndsTheProgressWithItsStatus() {
        Job job = new Job(() -> CompletableFuture.completedFuture(JobStatus.FAILED));

        assertThatThrownBy(() -> progress().run(feed(new AtomicReference<>()), job, pg.jdbcUrl(), new AtomicBoolean()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the Flink job stopped: FAILED");
    }

    @Test
    void aStreamingFailureEndsTheProgressWithItsCause() {
        Job job = new Job(() -> CompletableFuture.completedFuture(JobStatus.RUNNING));
        IOException cause = new IOException("broker gone");

        assertThatThrownBy(() ->
                        progress().run(feed(new AtomicReference<>(cause)), job, pg.jdbcUrl(), new AtomicBoolean()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("streaming into Kafka failed: broker gone")
                .hasCause(cause);
    }

    private static DemoProgress progress() {
        return new DemoProgress(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), null);
    }

    private static DemoProgress.Feed feed(AtomicReference<Throwable> failure) {
        return new DemoProgress.Feed(() -> 0L, () -> Long.MIN_VALUE, failure::get);
    }

    private record Running(Thread thread, AtomicReference<Throwable> failure) {}

    private static Running start(JobClient job, AtomicReference<Throwable> streamingFailure) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                progress().run(feed(streamingFailure), job, pg.jdbcUrl(), new AtomicBoolean());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        thread.start();
        return new Running(thread, failure);
    }

    /** A job that only answers its status, as {@code status} gives it. */
    private static final class Job implements JobClient {

        private final Supplier<CompletableFuture<JobStatus>> status;

        Job(Supplier<CompletableFuture<JobStatus>> status) {
            this.status = status;
        }

        @Override
        public CompletableFuture<JobStatus> getJobStatus() {
            return status.get();
        }

        @Override
        public JobID getJobID() {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Void> cancel() {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<String> stopWithSavepoint(
                boolean advanceToEndOfEventTime, String savepointDirectory, SavepointFormatType formatType) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<String> triggerSavepoint(String savepointDirectory, SavepointFormatType formatType) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Map<String, Object>> getAccumulators() {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<JobExecutionResult> getJobExecutionResult() {
            throw new UnsupportedOperationException();
        }
    }
}
