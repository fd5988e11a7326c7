package io.haitaopulse.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link FlinkRest#awaitTasksRunning} against an HTTP server answering {@code GET /jobs/ID} with
 * the job details a JobManager gives while a job starts (the shape of Flink's
 * {@code JobDetailsInfo}; {@code LiveDemoIT} checks the same wait against a real cluster).
 */
class FlinkRestTest {

    private static final String JOB = "0123456789abcdef0123456789abcdef";

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    /** Serves {@code answers} in turn for the job, the last one from then on. */
    private FlinkRest serving(List<String> answers) throws IOException {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/jobs/" + JOB, exchange -> {
            int i = Math.min(requests.getAndIncrement(), answers.size() - 1);
            byte[] body = answers.get(i).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(body);
            }
        });
        server.start();
        return new FlinkRest("localhost:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static String job(String state, String sourceTasks, String sinkTasks) {
        return "{\"jid\":\"" + JOB + "\",\"state\":\"" + state + "\",\"vertices\":["
                + "{\"name\":\"Source: kafka:clicks\",\"parallelism\":2,\"tasks\":{" + sourceTasks + "}},"
                + "{\"name\":\"hot-items-top-n\",\"parallelism\":2,\"tasks\":{" + sinkTasks + "}}]}";
    }

    @Test
    void returnsOnceEveryTaskOfEveryVertexRuns() throws Exception {
        FlinkRest rest = serving(List.of(
                job("INITIALIZING", "\"CREATED\":2", "\"CREATED\":2"),
                job("RUNNING", "\"DEPLOYING\":2,\"RUNNING\":0", "\"DEPLOYING\":2"),
                // A job is RUNNING while some of its tasks still initialise.
                job("RUNNING", "\"RUNNING\":2", "\"INITIALIZING\":1,\"RUNNING\":1"),
                job("RUNNING", "\"RUNNING\":2", "\"RUNNING\":2")));
        rest.awaitTasksRunning(JOB, Duration.ofSeconds(30));
        assertThat(requests.get()).as("requests until every task ran").isEqualTo(4);
    }

    @Test
    void failsWhenTheJobEndsBeforeItsTasksRun() throws Exception {
        FlinkRest rest = serving(List.of(
                job("RUNNING", "\"DEPLOYING\":2", "\"DEPLOYING\":2"),
                job("FAILED", "\"FAILED\":1,\"CANCELED\":1", "\"CANCELED\":2")));
        assertThatThrownBy(() -> rest.awaitTasksRunning(JOB, Duration.ofSeconds(30)))
                .isInstanceOf(IOException.class)
                .hasMessage("job " + JOB + " is FAILED before its tasks all ran");
    }

    @Test
    void failsAfterTheTimeoutSayingHowFarTheJobGot() throws Exception {
        FlinkRest rest = serving(List.of(job("RUNNING", "\"RUNNING\":2", "\"INITIALIZING\":2")));
        assertThatThrownBy(() -> rest.awaitTasksRunning(JOB, Duration.ofSeconds(1)))
                .isInstanceOf(IOException.class)
                .hasMessage("the tasks did not all start within 1 s: job " + JOB + " RUNNING, 2 of 4 tasks running");
    }

    @Test
    void anUnknownJobIsNoAnswerAndTimesOut() throws Exception {
        FlinkRest rest = serving(List.of(job("RUNNING", "\"RUNNING\":2", "\"RUNNING\":2")));
        assertThatThrownBy(() -> rest.awaitTasksRunning("ffffffffffffffffffffffffffffffff", Duration.ofMillis(300)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no answer from http://localhost:");
    }
}
