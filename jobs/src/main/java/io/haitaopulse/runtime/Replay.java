package io.haitaopulse.runtime;

import io.haitaopulse.bots.BotFilter;
import io.haitaopulse.common.PulseJob;
import io.haitaopulse.io.ClockSkew;
import io.haitaopulse.io.FileInputs;
import io.haitaopulse.io.Ingest;
import io.haitaopulse.io.InputFormat;
import io.haitaopulse.io.OutputTable;
import io.haitaopulse.io.PulseWatermarks;
import io.haitaopulse.io.ReplayOutput;
import io.haitaopulse.privacy.KAnonymity;
import io.haitaopulse.privacy.PseudonymKey;
import io.haitaopulse.privacy.Pseudonymizer;
import io.haitaopulse.privacy.RawRedactor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A bounded run of the production job graph, files in and files out: every input file is a
 * source, dead letters and late events are tables like any other, and when the job has finished
 * each table is one sorted {@code <out>/<table>.jsonl}.
 */
public final class Replay {

    /** What to run. {@code jobManager} is {@code host:port} of a session cluster, or null for a MiniCluster. */
    public record Spec(
            String job,
            List<Path> inputs,
            Path out,
            InputFormat format,
            Configuration options,
            int parallelism,
            String jobManager,
            Path jobJar) {}

    /**
     * What happened: record counts from the job's accumulators, rows written per table, and the
     * pseudonymisation key used (its public id and origin, never the key), and the segment rows
     * suppressed for k-anonymity.
     */
    public record Result(
            long read,
            long deadLettered,
            long late,
            Map<String, Long> rowsPerTable,
            long wallMillis,
            String keyId,
            String keyOrigin,
            long kSuppressed,
            Map<String, Long> botCounts) {
        /** The one-line summary printed at the end of a replay. */
        public String summary(String job) {
            StringBuilder tables = new StringBuilder();
            rowsPerTable.forEach((t, n) -> tables.append(tables.length() == 0 ? "" : ", ")
                    .append(t)
                    .append(' ')
                    .append(n));
            return String.format(
                    "replay %s: read %d events (%d valid, %d dead-lettered, %d late); rows written: %s; %.1f s",
                    job, read, read - deadLettered, deadLettered, late, tables, wallMillis / 1000.0);
        }
    }

    private Replay() {}

    /** Runs {@code spec}; throws {@link IllegalArgumentException} for bad arguments or inputs. */
    public static Result run(Spec spec) throws Exception {
        long started = System.nanoTime();
        JobSettings settings = JobSettings.from(spec.options());
        // A replay's pseudonyms need only agree within the run, so without a configured key a
        // random one will do; a configured key makes them comparable with the live tables.
        PseudonymKey key = PseudonymKey.resolve(spec.options(), System.getenv(), true);
        List<Path> files = FileInputs.expand(spec.inputs(), spec.format());
        List<PulseJob> jobs = JobCatalog.jobs(spec.job(), settings);

        List<OutputTable<?>> tables = JobCatalog.tables(jobs, settings.bots());
        ReplayOutput output = new ReplayOutput(spec.out());
        output.prepare(tables);

        StreamExecutionEnvironment env = environment(spec);
        List<Ingest.Source> sources = FileInputs.open(
                env,
                files,
                spec.format(),
                PulseWatermarks.strategy(
                        settings.pulse().maxDelay(), settings.pulse().idleTimeout()),
                ClockSkew.of(spec.options()));
        JobCatalog.wire(
                sources,
                jobs,
                settings.bots(),
                new Pseudonymizer(key),
                spec.format() == InputFormat.USERBEHAVIOR ? RawRedactor.USER_BEHAVIOR : RawRedactor.JSON,
                output);

        JobExecutionResult result = env.execute("pulse replay " + spec.job());
        Map<String, Long> rows = output.finish(tables);
        return new Result(
                counter(result, Ingest.Counters.READ),
                counter(result, Ingest.Counters.DEAD),
                counter(result, Ingest.Counters.LATE),
                rows,
                (System.nanoTime() - started) / 1_000_000L,
                key.id(),
                key.origin(),
                counter(result, KAnonymity.ACCUMULATOR),
                botCounts(result));
    }

    private static StreamExecutionEnvironment environment(Spec spec) {
        Configuration conf = new Configuration();
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.STREAMING);
        // Every type on the wire has a real serializer; Kryo fallbacks are bugs.
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        // As live (Live.configure): chained operators hand records on without an Avro deep copy
        // each. Without it a third of the busiest task (the bot filter fanning every event out to
        // the routes of all jobs) was spent copying records nobody changes.
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        // Bad input never fails a job, so a failure is a bug: report it instead of retrying forever.
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        if (spec.jobManager() == null) {
            return StreamExecutionEnvironment.createLocalEnvironment(spec.parallelism(), conf);
        }
        int colon = spec.jobManager().lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--jobmanager must be HOST:PORT, got '" + spec.jobManager() + "'");
        }
        int port;
        try {
            port = Integer.parseInt(spec.jobManager().substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--jobmanager must be HOST:PORT, got '" + spec.jobManager() + "'");
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createRemoteEnvironment(
                spec.jobManager().substring(0, colon), port, conf, spec.jobJar().toString());
        env.setParallelism(spec.parallelism());
        return env;
    }

    /** Suspicious events and newly blacklisted users per bot rule, by accumulator name. */
    private static Map<String, Long> botCounts(JobExecutionResult result) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String rule : List.of(BotFilter.REPEAT_ITEM, BotFilter.NO_DWELL)) {
            counts.put(BotFilter.eventsCounter(rule), counter(result, BotFilter.eventsCounter(rule)));
            counts.put(BotFilter.usersCounter(rule), counter(result, BotFilter.usersCounter(rule)));
        }
        return counts;
    }

    private static long counter(JobExecutionResult result, String name) {
        Object v = result.getAccumulatorResult(name);
        return v instanceof Number n ? n.longValue() : 0L;
    }
}
