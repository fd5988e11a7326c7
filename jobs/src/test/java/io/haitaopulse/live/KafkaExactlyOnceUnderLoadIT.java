package io.haitaopulse.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.generator.SimulatorConfig;
import io.haitaopulse.io.OutputTable;
import io.haitaopulse.schema.HotItem;
import io.haitaopulse.testutil.LiveStack;
import io.haitaopulse.testutil.PgRows;
import io.haitaopulse.testutil.TopicRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once Kafka output under CPU load: the live job of every table, bounded, with
 * checkpoints every 300 ms while CPU burners ({@code yes > /dev/null}, killed at the end) compete
 * for the cores. After each run the {@code hot_items} topic read {@code read_committed} holds
 * exactly the rows of the PostgreSQL table (and the replay's). Restarts are on, as in production:
 * records of transactions a recovery aborted show in {@code read_uncommitted} only, and each run
 * prints how many; with {@code -Dpulse.eos.restarts=false} a failure fails the run and no record
 * may be aborted.
 *
 * <p>Repetitions: system property {@code pulse.eos.runs} (default 1), burners
 * {@code pulse.eos.burners} (default 2). Each run prints the counts it compared, and at job end
 * how far the last stable offset still was behind the high watermark: the commit markers of the
 * last transactions are written after {@code commitTransaction()} has returned, so a reader that
 * takes the {@code read_committed} end offsets at once reads short (see
 * {@link TopicRecords#settledEndOffsets}).
 */
class KafkaExactlyOnceUnderLoadIT extends LiveFixture {

    @Override
    SimulatorConfig config() {
        SimulatorConfig small = SimulatorConfig.scenario("small");
        return small.withDisorder(small.maxDelay(), 0.002, 0.002);
    }

    @Test
    void topicEqualsTableAt300msCheckpointsUnderCpuLoad() throws Exception {
        int runs = Integer.getInteger("pulse.eos.runs", 1);
        int burners = Integer.getInteger("pulse.eos.burners", 2);
        String topicName = Topics.output(OutputTable.HOT_ITEMS);
        List<String> report = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            String url = LiveStack.freshDatabase("eos");
            Configuration conf = liveConf(url, "eos-" + run, "KAFKA;POSTGRES");
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(300));
            // Restarts as in production: under load the 5.0.0 source can fail (docs/operations/live.md,
            // "Exactly once"); recovery aborts the transactions since the checkpoint and writes the rows again.
            // pulse.eos.restarts=false fails the run instead, and then every aborted record is a fault.
            boolean restarts = Boolean.parseBoolean(System.getProperty("pulse.eos.restarts", "true"));
            if (restarts) {
                restarting(conf, 5, Duration.ofSeconds(1));
            } else {
                conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            }
            Map<TopicPartition, Long> from = TopicRecords.endOffsets(client(), topicName);

            List<Process> load = new ArrayList<>();
            long started = System.nanoTime();
            try {
                for (int i = 0; i < burners; i++) {
                    load.add(new ProcessBuilder("yes")
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .redirectError(ProcessBuilder.Redirect.DISCARD)
                            .start());
                }
                runLive(conf, null);
            } finally {
                load.forEach(Process::destroyForcibly);
            }
            long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
            // At once, as the job has just ended: how far read_committed could read, and the log's end.
            Map<TopicPartition, Long> stableAtEnd = endOffsets(topicName, "read_committed");
            Map<TopicPartition, Long> highAtEnd = endOffsets(topicName, "read_uncommitted");

            List<ConsumerRecord<byte[], byte[]>> committed =
                    TopicRecords.read(client(), topicName, "read_committed", from);
            List<ConsumerRecord<byte[], byte[]>> uncommitted =
                    TopicRecords.read(client(), topicName, "read_uncommitted", from);
            long shortAtEnd = committed.stream()
                    .filter(r -> r.offset() >= stableAtEnd.get(new TopicPartition(r.topic(), r.partition())))
                    .count();
            AvroWireRows rows = new AvroWireRows();
            List<String> topic = canonical(
                    committed.stream().map(r -> json(rows.decode(r.value()))).toList());
            List<String> table = canonical(PgRows.read(url, OutputTable.HOT_ITEMS));
            List<String> replay = canonical(replayRows(OutputTable.HOT_ITEMS));

            String line = String.format(
                    "run %d/%d (%d s, %d burners, 300 ms checkpoints): hot_items PostgreSQL %d rows, replay %d; "
                            + "topic read_committed %d, read_uncommitted %d (aborted %d); at job end LSO %s vs HW %s (%d committed rows not yet readable)",
                    run,
                    runs,
                    seconds,
                    burners,
                    table.size(),
                    replay.size(),
                    topic.size(),
                    uncommitted.size(),
                    uncommitted.size() - committed.size(),
                    stableAtEnd,
                    highAtEnd,
                    shortAtEnd);
            System.out.println("[eos-under-load] " + line);
            report.add(line);
            if (!topic.equals(table)
                    || !table.equals(replay)
                    || (!restarts && uncommitted.size() != committed.size())) {
                failures.add(line);
            }
        }
        assertThat(failures)
                .as("runs whose topic differs from the table:\n" + String.join("\n", report))
                .isEmpty();
    }

    private Properties client() {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        return p;
    }

    private Map<TopicPartition, Long> endOffsets(String topic, String isolation) {
        Properties p = client();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            return c.endOffsets(c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition()))
                    .toList());
        }
    }

    /** Decodes hot_items records. */
    private static final class AvroWireRows {
        private final AvroWire.Decoder<HotItem> decoder = AvroWire.decoder(HotItem.class);

        HotItem decode(byte[] value) {
            try {
                return decoder.decode(value);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
