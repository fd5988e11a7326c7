package io.haitaopulse.runtime;

import io.haitaopulse.live.EventProducer;
import io.haitaopulse.stack.LocalPostgres;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;

/**
 * The live demo's progress: every two seconds one line with the streaming rate, the shop time
 * reached, the rows of the main tables and how far the hot items lag behind the stream. Stops on
 * request, after the demo's duration, or with an exception when streaming or the job failed.
 */
public final class DemoProgress {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneOffset.ofHours(8));
    private static final List<String> SHOWN = List.of(
            "hot_items", "demand_trends", "campaign_uplift", "sourcing_shortlist", "dead_letters", "late_events");

    private final PrintStream out;
    private final Duration duration;

    /** Prints on {@code out} until stopped, or for {@code duration} when it is not null. */
    public DemoProgress(PrintStream out, Duration duration) {
        this.out = out;
        this.duration = duration;
    }

    /**
     * Prints progress of the running {@code stack} until {@code stop} is set, the thread is
     * interrupted or the duration is over; throws when streaming failed or the job stopped.
     */
    public void run(DemoStack stack, AtomicBoolean stop) throws Exception {
        EventProducer producer = stack.producer();
        run(
                new Feed(producer::sent, producer::newestEventTs, stack::streamingFailure),
                stack.job(),
                stack.postgres().jdbcUrl(),
                stop);
    }

    /**
     * What the progress reads of the stream into Kafka: records sent, the newest event time sent
     * ({@code Long.MIN_VALUE} before the first) and why streaming failed (null while it has not).
     */
    record Feed(LongSupplier sent, LongSupplier newestEventTs, Supplier<Throwable> failure) {}

    /**
     * {@link #run(DemoStack, AtomicBoolean)} on its parts. An interrupt is a request to stop
     * wherever it lands: in the pause between lines or while the job's status is asked.
     */
    void run(Feed feed, JobClient job, String jdbcUrl, AtomicBoolean stop) throws Exception {
        long started = System.nanoTime();
        long lastSent = 0;
        long lastTime = started;
        try (Connection c = DriverManager.getConnection(jdbcUrl, LocalPostgres.USER, null)) {
            while (!stop.get()) {
                JobStatus status;
                try {
                    // A progress line every two seconds: pacing output, not waiting for a result.
                    Thread.sleep(2_000);
                    Throwable streamingFailure = feed.failure().get();
                    if (streamingFailure != null) {
                        throw new IllegalStateException(
                                "streaming into Kafka failed: " + streamingFailure.getMessage(), streamingFailure);
                    }
                    status = job.getJobStatus().get();
                } catch (InterruptedException e) {
                    break;
                }
                if (status.isGloballyTerminalState()) {
                    throw new IllegalStateException("the Flink job stopped: " + status);
                }
                long now = System.nanoTime();
                long sent = feed.sent().getAsLong();
                double perSecond = (sent - lastSent) / ((now - lastTime) / 1e9);
                lastSent = sent;
                lastTime = now;
                out.println(line(
                        (now - started) / 1_000_000_000L,
                        sent,
                        perSecond,
                        feed.newestEventTs().getAsLong(),
                        counts(c),
                        newestWindow(c)));
                if (duration != null && now - started >= duration.toNanos()) {
                    break;
                }
            }
        }
    }

    /** One progress line; {@code Long.MIN_VALUE} for an event time or window not seen yet. */
    public static String line(
            long elapsedSeconds,
            long sent,
            double perSecond,
            long newestEvent,
            Map<String, Long> counts,
            long newestWindow) {
        StringBuilder b =
                new StringBuilder(String.format("[%3d s] in %,7.0f ev/s, %,d sent", elapsedSeconds, perSecond, sent));
        if (newestEvent != Long.MIN_VALUE) {
            b.append(", shop time ").append(TIME.format(Instant.ofEpochMilli(newestEvent)));
        }
        b.append(" | rows");
        counts.forEach((t, n) -> b.append(' ').append(t).append(' ').append(String.format("%,d", n)));
        if (newestWindow != Long.MIN_VALUE && newestEvent != Long.MIN_VALUE) {
            b.append(String.format(
                    " | hot items up to %s (%d min behind the stream)",
                    TIME.format(Instant.ofEpochMilli(newestWindow)),
                    Math.max(0, (newestEvent - newestWindow) / 60_000)));
        }
        return b.toString();
    }

    private static Map<String, Long> counts(Connection c) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Statement st = c.createStatement()) {
            for (String t : SHOWN) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + t)) {
                    rs.next();
                    counts.put(t, rs.getLong(1));
                }
            }
        }
        return counts;
    }

    private static long newestWindow(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT max(window_end) FROM hot_items")) {
            rs.next();
            long v = rs.getLong(1);
            return rs.wasNull() ? Long.MIN_VALUE : v;
        }
    }
}
