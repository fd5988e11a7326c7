package io.haitaopulse.runtime;

import io.haitaopulse.common.PulseJob;
import io.haitaopulse.io.Ingest;
import io.haitaopulse.io.OutputTable;
import io.haitaopulse.io.PulseWatermarks;
import io.haitaopulse.io.TableSinks;
import io.haitaopulse.live.Backfill;
import io.haitaopulse.live.KafkaInputs;
import io.haitaopulse.live.LiveSetup;
import io.haitaopulse.live.LiveSinks;
import io.haitaopulse.privacy.PseudonymKey;
import io.haitaopulse.privacy.Pseudonymizer;
import io.haitaopulse.privacy.RawRedactor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The production job graph: Kafka topics in, Kafka topics and PostgreSQL tables out, the same
 * {@link PulseJob}s as replay. {@link #configure} fills in the defaults a production job needs
 * (max parallelism pinned at 128, checkpointing every 10 s, exactly-once barriers, HashMap state unless RocksDB is asked for,
 * checkpoints kept on cancellation, no Kryo, object reuse); {@link #build} adds the graph to an environment.
 */
public final class Live {

    /**
     * Default {@code pipeline.max-parallelism}: the number of key groups keyed state is split
     * into, fixed for the life of a job's savepoints (a savepoint restores only into the same
     * value). 128 is what Flink derived for every parallelism up to 85, so savepoints taken
     * before it was pinned keep restoring; it also caps rescaling at 128 subtasks per operator.
     */
    public static final int DEFAULT_MAX_PARALLELISM = 128;

    /** Default checkpoint interval: the latency of exactly-once Kafka output. */
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(10);

    private Live() {}

    /** {@code conf} with production defaults for every Flink key it leaves unset. */
    public static Configuration configure(Configuration conf) {
        Configuration c = new Configuration(conf);
        c.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.STREAMING);
        c.set(PipelineOptions.GENERIC_TYPES, false);
        // Chained operators hand records on as they are instead of an Avro deep copy per branch: the
        // task behind the bot filter fans every event out to the routes of every job, and without
        // reuse it spent a third of its time copying records no operator changes (they are built
        // once by the source and never mutated after the ingest stage).
        if (!c.contains(PipelineOptions.OBJECT_REUSE)) {
            c.set(PipelineOptions.OBJECT_REUSE, true);
        }
        if (!c.contains(PipelineOptions.MAX_PARALLELISM)) {
            c.set(PipelineOptions.MAX_PARALLELISM, DEFAULT_MAX_PARALLELISM);
        }
        if (!c.contains(CheckpointingOptions.CHECKPOINTING_INTERVAL)) {
            c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, DEFAULT_CHECKPOINT_INTERVAL);
        }
        c.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        if (!c.contains(StateBackendOptions.STATE_BACKEND)) {
            c.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        }
        if (!c.contains(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION)) {
            c.set(
                    CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    org.apache.flink.configuration.ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        }
        return c;
    }

    /**
     * Adds the live graph of {@code job} to {@code env}: checks that Kafka and PostgreSQL answer,
     * creates missing topics and tables, then wires sources, jobs and sinks. Throws
     * {@link IllegalArgumentException} with one line when a dependency is unreachable.
     */
    public static void build(StreamExecutionEnvironment env, String job, Configuration conf) {
        build(env, job, conf, new LiveSinks(conf, job));
    }

    /** {@link #build(StreamExecutionEnvironment, String, Configuration)} writing to {@code sinks} (tests wrap the live sinks). */
    public static void build(StreamExecutionEnvironment env, String job, Configuration conf, TableSinks sinks) {
        build(env, job, conf, sinks, null);
    }

    /**
     * The live graph of {@code job} reading {@code backfill} before the topics ({@link KafkaInputs});
     * without a backfill (null) exactly the graph of {@link #build(StreamExecutionEnvironment, String,
     * Configuration, TableSinks)}.
     */
    public static void build(
            StreamExecutionEnvironment env, String job, Configuration conf, TableSinks sinks, Backfill backfill) {
        JobSettings settings = JobSettings.from(conf);
        // Before any connection: a live job's pseudonyms must be the same after every restart and
        // upgrade, so there is no ephemeral key here.
        PseudonymKey key = PseudonymKey.resolve(conf, System.getenv(), false);
        List<PulseJob> jobs = JobCatalog.jobs(job, settings);
        List<OutputTable<?>> tables = JobCatalog.tables(jobs, settings.bots());
        Map<String, Integer> partitions = LiveSetup.prepare(conf, tables);

        List<Ingest.Source> sources = KafkaInputs.open(
                env,
                conf,
                PulseWatermarks.strategy(
                        settings.pulse().maxDelay(), settings.pulse().idleTimeout()),
                job,
                partitions,
                backfill);
        // Kafka values that are text are JSON written to the wrong topic more often than not.
        RawRedactor redactor = backfill == null ? RawRedactor.JSON : backfill.redactor();
        JobCatalog.wire(sources, jobs, settings.bots(), new Pseudonymizer(key), redactor, sinks);
    }
}
