package io.haitaopulse.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;

/**
 * Reads a Flink cluster's REST API (a standalone cluster's, or a MiniCluster's): GET requests
 * answered as JSON, and the wait until a job's tasks all run.
 */
public final class FlinkRest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String address;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** @param address {@code host:port} of the REST API */
    public FlinkRest(String address) {
        this.address = address;
    }

    /** {@code GET path} as JSON, or empty when nothing answers or the answer is not 200. */
    public Optional<JsonNode> get(String path) throws InterruptedException {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://" + address + path))
                            .timeout(Duration.ofSeconds(5))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(JSON.readTree(r.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Returns once every task of job {@code jobId} is RUNNING: deployed, its state restored, reading
     * its inputs. A job is RUNNING while its tasks are still being deployed and initialised, which
     * on two busy cores takes seconds. Throws when the job ends first or {@code timeout} passes.
     */
    public void awaitTasksRunning(String jobId, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer from http://" + address;
        while (true) {
            Optional<JsonNode> job = get("/jobs/" + jobId);
            if (job.isPresent()) {
                String state = job.get().path("state").asText();
                if (ended(state)) {
                    throw new IOException("job " + jobId + " is " + state + " before its tasks all ran");
                }
                JsonNode vertices = job.get().path("vertices");
                int tasks = 0;
                int running = 0;
                for (JsonNode v : vertices) {
                    tasks += v.path("parallelism").asInt();
                    running += v.path("tasks").path("RUNNING").asInt();
                }
                if (tasks > 0 && running == tasks) {
                    return;
                }
                last = "job " + jobId + " " + state + ", " + running + " of " + tasks + " tasks running";
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the tasks did not all start within " + timeout.toSeconds() + " s: " + last);
            }
            // Polling the REST API: a task starting gives no other signal to this process.
            TimeUnit.MILLISECONDS.sleep(250);
        }
    }

    /** Whether a job in {@code state} (Flink's {@link JobStatus} name) will never have all its tasks run. */
    private static boolean ended(String state) {
        JobStatus s;
        try {
            s = JobStatus.valueOf(state);
        } catch (IllegalArgumentException unknown) {
            return false;
        }
        return s.isTerminalState() || s == JobStatus.FAILING || s == JobStatus.CANCELLING;
    }
}
