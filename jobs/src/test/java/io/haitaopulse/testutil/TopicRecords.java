package io.haitaopulse.testutil;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Every record of a topic, read from the beginning to the end offsets as of the call. */
public final class TopicRecords {

    private TopicRecords() {}

    /**
     * The records of {@code topic}, read with {@code client} (bootstrap servers and security) at
     * {@code isolation} ({@code read_committed} or {@code read_uncommitted}). Meant for topics no
     * one writes any more: the end offsets are taken once, up front ({@code read_committed}: once
     * no transaction is pending any more, see {@link #settledEndOffsets}).
     */
    public static List<ConsumerRecord<byte[], byte[]>> read(Properties client, String topic, String isolation) {
        return read(client, topic, isolation, Map.of());
    }

    /** The end offset of every partition of {@code topic} now: where a later run's records start. */
    public static Map<TopicPartition, Long> endOffsets(Properties client, String topic) {
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(client, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            return c.endOffsets(parts);
        }
    }

    /**
     * The last stable offsets of {@code parts} once no transaction on them is pending: equal to the
     * high watermarks. A producer's {@code commitTransaction()} returns when the coordinator has
     * logged the decision; the commit markers that move the last stable offset are written to the
     * partitions after that, asynchronously. So right after a job that committed its last
     * transaction has ended, a {@code read_committed} end offset can still stop short of that
     * transaction (under CPU load, by whole transactions); reading only that far would look like
     * lost rows. Waits up to 60 s; a transaction still open then is reported as such.
     */
    public static Map<TopicPartition, Long> settledEndOffsets(Properties client, List<TopicPartition> parts) {
        Properties committed = new Properties();
        committed.putAll(client);
        committed.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Properties uncommitted = new Properties();
        uncommitted.putAll(client);
        uncommitted.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (KafkaConsumer<byte[], byte[]> lso =
                        new KafkaConsumer<>(committed, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                KafkaConsumer<byte[], byte[]> hw =
                        new KafkaConsumer<>(uncommitted, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                Map<TopicPartition, Long> stable = lso.endOffsets(parts);
                Map<TopicPartition, Long> high = hw.endOffsets(parts);
                if (stable.equals(high)) {
                    return stable;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(
                            "a transaction is still open: last stable offsets " + stable + ", high watermarks " + high);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }
    }

    /** {@link #read(Properties, String, String)} from {@code from} on (partitions not in it: from the start). */
    public static List<ConsumerRecord<byte[], byte[]>> read(
            Properties client, String topic, String isolation, Map<TopicPartition, Long> from) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            from.forEach(c::seek);
            Map<TopicPartition, Long> end =
                    "read_committed".equals(isolation) ? settledEndOffsets(client, parts) : c.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end offsets " + end);
                }
                c.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }
}
