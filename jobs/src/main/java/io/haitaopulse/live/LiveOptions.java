package io.haitaopulse.live;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * Typed options of the live path ({@code bin/pulse run}): where Kafka and PostgreSQL are and how
 * the job talks to them. Checkpointing and state use Flink's own keys
 * ({@code execution.checkpointing.interval}, {@code state.backend.type}, …) with the defaults of
 * {@link Live}.
 */
public final class LiveOptions {

    /** Where a job starts reading when it does not restore from a checkpoint. */
    public enum StartingOffsets {
        /** The consumer group's committed offsets, else the earliest. */
        COMMITTED,
        EARLIEST,
        LATEST
    }

    /** Which systems receive the output tables. */
    public enum SinkKind {
        KAFKA,
        POSTGRES
    }

    /** What a source's fetch waits for, up to {@link #FETCH_WAIT}. */
    static final int FETCH_MIN_KIB = 16;

    public static final ConfigOption<String> BOOTSTRAP_SERVERS = key("pulse.kafka.bootstrap-servers")
            .stringType()
            .defaultValue("localhost:9092")
            .withDescription("Kafka bootstrap servers (host:port, comma-separated) of the input and output topics.");

    public static final ConfigOption<String> GROUP_ID = key("pulse.kafka.group-id")
            .stringType()
            .noDefaultValue()
            .withDescription("Consumer group of the sources (committed offsets, group ACL); default pulse-<job>.");

    public static final ConfigOption<StartingOffsets> STARTING_OFFSETS = key("pulse.kafka.starting-offsets")
            .enumType(StartingOffsets.class)
            .defaultValue(StartingOffsets.COMMITTED)
            .withDescription("Where to start without a checkpoint: COMMITTED (else EARLIEST), EARLIEST or LATEST.");

    public static final ConfigOption<Boolean> BOUNDED = key("pulse.kafka.bounded")
            .booleanType()
            .defaultValue(false)
            .withDescription("Stop at the offsets that are latest when the job starts (backfills, tests); "
                    + "the job then writes its end-of-input rows like a replay.");

    public static final ConfigOption<Duration> PARTITION_DISCOVERY = key("pulse.kafka.partition-discovery")
            .durationType()
            .defaultValue(Duration.ofMinutes(1))
            .withDescription("How often sources look for new partitions of their topics.");

    public static final ConfigOption<Integer> PARTITIONS = key("pulse.kafka.partitions")
            .intType()
            .defaultValue(2)
            .withDescription(
                    "Partitions of the topics Pulse creates when they are missing; a source reads each partition "
                            + "with one subtask, so this caps the useful source parallelism.");

    public static final ConfigOption<Boolean> EXACTLY_ONCE = key("pulse.kafka.exactly-once")
            .booleanType()
            .defaultValue(true)
            .withDescription("Write output topics in Kafka transactions committed on checkpoints "
                    + "(readers use isolation.level=read_committed); false: at least once, visible at once.");

    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT = key("pulse.kafka.transaction-timeout")
            .durationType()
            .defaultValue(Duration.ofMinutes(15))
            .withDescription(
                    "Kafka transaction timeout of the exactly-once sinks: must exceed the longest "
                            + "checkpoint interval plus recovery time, and not exceed the broker's transaction.max.timeout.ms.");

    public static final ConfigOption<Duration> LINGER = key("pulse.kafka.linger")
            .durationType()
            .defaultValue(Duration.ofMillis(100))
            .withDescription("How long an output topic's producer waits to fill a batch (linger.ms): fewer, larger "
                    + "requests cost the job and the broker less CPU; with exactly-once, rows become visible at the "
                    + "checkpoint anyway. 0: send at once. Not negative.");

    public static final ConfigOption<Duration> FETCH_WAIT = key("pulse.kafka.fetch-wait")
            .durationType()
            .defaultValue(Duration.ofMillis(100))
            .withDescription("How long the broker may hold a source's fetch until " + FETCH_MIN_KIB
                    + " KiB are there (fetch.max.wait.ms, fetch.min.bytes): fewer, larger fetches when a topic is "
                    + "busy, at most this much added latency when it is quiet. 0: answer with whatever is there. "
                    + "Not negative.");

    public static final ConfigOption<KafkaSecurity.Protocol> SECURITY_PROTOCOL = key("pulse.kafka.security-protocol")
            .enumType(KafkaSecurity.Protocol.class)
            .defaultValue(KafkaSecurity.Protocol.PLAINTEXT)
            .withDescription("PLAINTEXT (local stack), SASL_PLAINTEXT or SASL_SSL (production): how every Kafka client "
                    + "of the job (sources, sinks, topic set-up) authenticates.");

    public static final ConfigOption<String> SASL_MECHANISM = key("pulse.kafka.sasl-mechanism")
            .stringType()
            .defaultValue("SCRAM-SHA-512")
            .withDescription("SASL mechanism with a SASL_* protocol: SCRAM-SHA-512 or SCRAM-SHA-256.");

    public static final ConfigOption<String> SASL_USERNAME = key("pulse.kafka.sasl-username")
            .stringType()
            .noDefaultValue()
            .withDescription("SCRAM user of the job (its ACLs: docs/operations/security.md).");

    public static final ConfigOption<String> SASL_PASSWORD = key("pulse.kafka.sasl-password")
            .stringType()
            .noDefaultValue()
            .withDescription("SCRAM password; prefer the environment variable " + KafkaSecurity.PASSWORD_ENV + ".");

    public static final ConfigOption<List<SinkKind>> SINKS = key("pulse.sinks")
            .enumType(SinkKind.class)
            .asList()
            .defaultValues(SinkKind.KAFKA, SinkKind.POSTGRES)
            .withDescription("Where output tables go: KAFKA, POSTGRES or both (separated by ';').");

    public static final ConfigOption<String> POSTGRES_URL = key("pulse.postgres.url")
            .stringType()
            .defaultValue("jdbc:postgresql://localhost:5432/pulse")
            .withDescription("JDBC URL of the PostgreSQL database holding the tables of deploy/sql/.");

    public static final ConfigOption<String> POSTGRES_USER = key("pulse.postgres.user")
            .stringType()
            .defaultValue("pulse")
            .withDescription("PostgreSQL user that owns (or may write) the tables.");

    public static final ConfigOption<String> POSTGRES_PASSWORD = key("pulse.postgres.password")
            .stringType()
            .noDefaultValue()
            .withDescription("PostgreSQL password; prefer the environment variable PULSE_POSTGRES_PASSWORD.");

    public static final ConfigOption<Integer> POSTGRES_BATCH_SIZE = key("pulse.postgres.batch-size")
            .intType()
            .defaultValue(5_000)
            .withDescription("Rows buffered per table and subtask before a flush.");

    public static final ConfigOption<Duration> POSTGRES_BATCH_INTERVAL = key("pulse.postgres.batch-interval")
            .durationType()
            .defaultValue(Duration.ofMillis(500))
            .withDescription(
                    "Longest time a row waits in the buffer (freshness); flushes also happen at every checkpoint.");

    public static final ConfigOption<PostgresUpsertSink.Mode> POSTGRES_MODE = key("pulse.postgres.mode")
            .enumType(PostgresUpsertSink.Mode.class)
            .defaultValue(PostgresUpsertSink.Mode.MULTI_ROW)
            .withDescription("MULTI_ROW (INSERT … VALUES …, ON CONFLICT) or COPY (into a staging table, then merge).");

    public static final ConfigOption<Integer> POSTGRES_MAX_RETRIES = key("pulse.postgres.max-retries")
            .intType()
            .defaultValue(5)
            .withDescription(
                    "Retries of a failed flush (with back-off) before the job fails over to its last checkpoint.");

    public static final ConfigOption<Duration> POSTGRES_MAX_RETRY_TIME = key("pulse.postgres.max-retry-time")
            .durationType()
            .defaultValue(Duration.ofMinutes(1))
            .withDescription(
                    "How long a failed flush keeps being retried (the job backs up behind it) before the job "
                            + "fails over to its last checkpoint; at least pulse.postgres.max-retries attempts are made either way.");

    private LiveOptions() {}

    /** Every option of this class, for validating configuration keys. */
    public static List<ConfigOption<?>> all() {
        return List.of(
                BOOTSTRAP_SERVERS,
                GROUP_ID,
                STARTING_OFFSETS,
                BOUNDED,
                PARTITION_DISCOVERY,
                PARTITIONS,
                EXACTLY_ONCE,
                TRANSACTION_TIMEOUT,
                SECURITY_PROTOCOL,
                SASL_MECHANISM,
                SASL_USERNAME,
                SASL_PASSWORD,
                SINKS,
                POSTGRES_URL,
                POSTGRES_USER,
                POSTGRES_PASSWORD,
                POSTGRES_BATCH_SIZE,
                POSTGRES_BATCH_INTERVAL,
                POSTGRES_MODE,
                POSTGRES_MAX_RETRIES,
                POSTGRES_MAX_RETRY_TIME);
    }

    /** The PostgreSQL password: the option, else {@code PULSE_POSTGRES_PASSWORD}, else none. */
    public static String postgresPassword(Configuration conf) {
        return conf.getOptional(POSTGRES_PASSWORD).orElse(System.getenv("PULSE_POSTGRES_PASSWORD"));
    }

    /** The sink settings for PostgreSQL. */
    public static PostgresUpsertSink.Settings postgres(Configuration conf) {
        return new PostgresUpsertSink.Settings(
                conf.get(POSTGRES_URL),
                conf.get(POSTGRES_USER),
                postgresPassword(conf),
                conf.get(POSTGRES_BATCH_SIZE),
                conf.get(POSTGRES_BATCH_INTERVAL).toMillis(),
                conf.get(POSTGRES_MODE),
                conf.get(POSTGRES_MAX_RETRIES),
                conf.get(POSTGRES_MAX_RETRY_TIME).toMillis());
    }
}
