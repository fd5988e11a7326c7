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
     * one writes any more: the end offsets are taken once, up front.
     */
    public static List<ConsumerRecord<byte[], byte[]>> read(Properties client, String topic, String isolation) {
        return read(client, topic, isolation, Map.of());
    }

    /** The end offset of every partition of {@code topic} now: where a later run's records start. */
    public static Map<TopicPartition, Long> endOffsets(Properties client, String topic) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(client, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            return c.endOffsets(parts);
        }
    }

    /** {@link #read(Properties, String, String)} from {@code from} on (partitions not in it: from the start). */
    public static List<ConsumerRecord<byte[], byte[]>> read(Properties client, String topic, String isolation,
            Map<TopicPartition, Long> from) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            from.forEach(c::seek);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
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
