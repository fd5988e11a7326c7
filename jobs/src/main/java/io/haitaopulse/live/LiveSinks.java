package io.haitaopulse.live;

import io.haitaopulse.common.OptionChecks;
import io.haitaopulse.io.OutputTable;
import io.haitaopulse.io.TableSinks;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The production {@link TableSinks}: every table to its Kafka topic and to its PostgreSQL table
 * (either may be switched off with {@code pulse.sinks}); the reference tables (items, campaigns)
 * to PostgreSQL only ({@link OutputTable#onKafka()}).
 *
 * <p>Kafka is written exactly once: records go into a transaction per checkpoint that commits
 * when the checkpoint completes, so {@code read_committed} consumers see each row once and see
 * it one checkpoint interval late. The transaction timeout must outlast a checkpoint interval
 * plus a restart, or the broker aborts a transaction Flink still means to commit (data loss); a
 * long timeout, in turn, lets an abandoned transaction block {@code read_committed} readers for
 * that long. Defaults: interval 10 s, timeout 15 min (the broker's default maximum).
 *
 * <p>PostgreSQL is written at least once with idempotent upserts ({@link PostgresUpsertSink}),
 * which makes the table exact.
 */
public final class LiveSinks implements TableSinks {

    private final Configuration conf;
    private final String job;

    /** Sinks for {@code job} (part of transactional ids, which must be unique per sink). */
    public LiveSinks(Configuration conf, String job) {
        this.conf = conf;
        this.job = job;
    }

    @Override
    public <T extends SpecificRecordBase> void write(OutputTable<T> table, DataStream<T> rows) {
        List<LiveOptions.SinkKind> kinds = conf.get(LiveOptions.SINKS);
        // A reference table's topic of the same name is the input it is made from.
        if (kinds.contains(LiveOptions.SinkKind.KAFKA) && table.onKafka()) {
            boolean exactlyOnce = conf.get(LiveOptions.EXACTLY_ONCE);
            KafkaSink<T> sink = KafkaSink.<T>builder()
                    .setKafkaProducerConfig(KafkaSecurity.of(conf, System.getenv())
                            .clientProperties(conf.get(LiveOptions.BOOTSTRAP_SERVERS)))
                    .setBootstrapServers(conf.get(LiveOptions.BOOTSTRAP_SERVERS))
                    .setRecordSerializer(new TableRecordSerializer<>(table))
                    .setDeliveryGuarantee(
                            exactlyOnce ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE)
                    .setTransactionalIdPrefix("pulse-" + job + "-" + table.name())
                    .setProperty(
                            "transaction.timeout.ms",
                            Long.toString(
                                    conf.get(LiveOptions.TRANSACTION_TIMEOUT).toMillis()))
                    .setProperty("compression.type", "lz4")
                    .setProperty(
                            "linger.ms",
                            Long.toString(OptionChecks.notNegative(conf, LiveOptions.LINGER)
                                    .toMillis()))
                    // Room for a linger's worth of rows of the busiest table in one request.
                    .setProperty("batch.size", Integer.toString(256 * 1024))
                    .build();
            rows.sinkTo(sink)
                    .name("kafka:" + table.name())
                    .uid("kafka-sink-" + table.name())
                    .setParallelism(rows.getParallelism());
        }
        if (kinds.contains(LiveOptions.SinkKind.POSTGRES)) {
            rows.sinkTo(new PostgresUpsertSink<>(new PgTable<>(table), LiveOptions.postgres(conf)))
                    .name("postgres:" + table.name())
                    .uid("postgres-sink-" + table.name())
                    // Same parallelism as the producer: rows flow forward, so two versions of one key
                    // (a re-fired window) reach the same writer in order and the newer one wins.
                    .setParallelism(rows.getParallelism());
        }
    }
}
