package io.haitaopulse.bench;

import io.haitaopulse.live.LiveOptions;
import io.haitaopulse.live.Topics;
import io.haitaopulse.runtime.Live;
import io.haitaopulse.stack.LocalPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code kafka_e2e}: the trends job as {@code bin/pulse run} runs it, from a real Kafka broker
 * (child JVM, KRaft) to Kafka topics (exactly-once) and embedded PostgreSQL. The dataset is
 * produced into the five input topics first (one partition per parallel subtask, round-robin,
 * record timestamp = event time); the job then reads them to the end ({@code pulse.kafka.bounded})
 * and the time from RUNNING to FINISHED counts, as for every case. Broker and database share the
 * machine's cores with the job, as they would on one box.
 */
final class KafkaE2e {

    private KafkaE2e() {}

    /** One run; {@code profiled} (may be null) records the timed part with JFR. */
    static BenchReport.Case run(
            BenchRunner runner, BenchData data, Configuration jobConf, Path work, Profiler.Target profiled)
            throws Exception {
        try (BenchStack stack = BenchStack.start(work.toAbsolutePath().resolve("kafka_e2e"), runner.parallelism())) {
            int partitions = stack.partitions;
            produce(stack.kafka.bootstrapServers(), data, partitions);
            Configuration conf = stack.liveConf(jobConf, "bench-e2e");
            conf.set(LiveOptions.BOUNDED, true);
            Configuration live = Live.configure(conf);
            StreamExecutionEnvironment env = runner.environment(live);
            Live.build(env, "trends", live);
            BenchStack.ServiceCpu before = stack.cpu();
            BenchRunner.Measured m = Profiler.around(profiled, () -> runner.run(env, "kafka_e2e", data.totalEvents()));
            BenchStack.ServiceCpu services = stack.cpu().since(before);
            long rows = count(stack.pg.jdbcUrl(), "hot_items");
            if (rows == 0) {
                throw new IllegalStateException("kafka_e2e wrote no hot_items rows to PostgreSQL");
            }
            return new BenchReport.Case(
                    "kafka_e2e",
                    "Kafka (5 topics, " + partitions + " partitions) → trends job → Kafka (exactly-once) + PostgreSQL; "
                            + rows + " hot_items rows in PostgreSQL",
                    m.events(),
                    m.seconds(),
                    m.cpuSeconds(),
                    m.jitSeconds(),
                    rows,
                    m.peakHeapBytes(),
                    m.peakStateBytes(),
                    null,
                    null,
                    services,
                    m.phases());
        }
    }

    private static void produce(String bootstrap, BenchData data, int partitions) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(512 * 1024));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Topics.Input<?> t : Topics.INPUTS) {
                BenchData.Topic topic = data.topic(t);
                for (int i = 0; i < topic.size(); i++) {
                    producer.send(
                            new ProducerRecord<>(t.name(), i % partitions, topic.timestamp(i), null, topic.record(i)));
                }
            }
            producer.flush();
        }
    }

    private static long count(String url, String table) throws Exception {
        try (Connection c = DriverManager.getConnection(url, LocalPostgres.USER, "");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
