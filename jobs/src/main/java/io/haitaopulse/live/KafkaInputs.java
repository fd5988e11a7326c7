package io.haitaopulse.live;

import io.haitaopulse.common.OptionChecks;
import io.haitaopulse.common.PulseOptions;
import io.haitaopulse.io.ClockSkew;
import io.haitaopulse.io.HistorySource;
import io.haitaopulse.io.Ingest;
import io.haitaopulse.io.IngestedTypeInfo;
import io.haitaopulse.io.PulseWatermarks;
import io.haitaopulse.schema.internal.Ingested;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.hybrid.HybridSource;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The live sources: one {@link KafkaSource} per input topic, with watermarks assigned inside the
 * source. The Kafka source runs the watermark generator per partition and emits the minimum over
 * its partitions, so one slow partition holds event time back instead of making the others' events
 * late; an idle partition stops holding it back after {@code pulse.idle-timeout}. The topics of
 * definitions ({@link Topics#DEFINITIONS}: campaigns, the catalogue) go idle as soon as they have
 * delivered their records ({@link PulseWatermarks#definitions}), so a campaign published on its
 * quiet topic does not hold every job's event time at its start for an idle timeout.
 *
 * <p>With a {@link Backfill}, each topic's source is a {@link HybridSource}: first the history's
 * events of the topic's type ({@link HistorySource}, the history's dead letters on
 * {@link Backfill#DEAD_LETTERS_TOPIC}), then the same Kafka source as without. The same watermark
 * strategy serves both parts, and the source's watermark never goes back at the switch. Its uid is
 * {@code backfill-source-<topic>}, not {@code kafka-source-<topic>}: the two keep different state
 * (a hybrid source remembers which part it reads), and every operator after the source keeps its
 * uid, so the job's own state is the same in both graphs.
 */
public final class KafkaInputs {

    private KafkaInputs() {}

    /**
     * One stream per input topic, in {@link Topics#INPUTS} order. A source runs at most one reader
     * per partition ({@code partitions}: the topic's partition count): a reader without a partition
     * would hold event time back until the idle timeout.
     */
    public static List<Ingest.Source> open(
            StreamExecutionEnvironment env,
            Configuration conf,
            WatermarkStrategy<Ingested> watermarks,
            String job,
            Map<String, Integer> partitions) {
        return open(env, conf, watermarks, job, partitions, null);
    }

    /**
     * {@link #open(StreamExecutionEnvironment, Configuration, WatermarkStrategy, String, Map)}, each
     * topic read after its part of {@code backfill} (none: exactly the sources without it).
     */
    public static List<Ingest.Source> open(
            StreamExecutionEnvironment env,
            Configuration conf,
            WatermarkStrategy<Ingested> watermarks,
            String job,
            Map<String, Integer> partitions,
            Backfill backfill) {
        List<Ingest.Source> streams = new ArrayList<>();
        WatermarkStrategy<Ingested> definitions =
                PulseWatermarks.definitions(conf.get(PulseOptions.MAX_DELAY), conf.get(PulseOptions.IDLE_TIMEOUT));
        for (Topics.Input<?> topic : Topics.INPUTS) {
            int readers = Math.max(
                    1, Math.min(env.getParallelism(), partitions.getOrDefault(topic.name(), env.getParallelism())));
            KafkaSource<Ingested> kafka = source(topic, conf, job);
            WatermarkStrategy<Ingested> strategy = Topics.DEFINITIONS.contains(topic) ? definitions : watermarks;
            DataStream<Ingested> stream = backfill == null
                    ? env.fromSource(kafka, strategy, "kafka:" + topic.name())
                            .uid("kafka-source-" + topic.name())
                            .setParallelism(readers)
                    : env.fromSource(
                                    HybridSource.<Ingested, SplitEnumerator<?, ?>>builder(
                                                    history(topic, backfill, ClockSkew.of(conf)))
                                            .addSource(kafka)
                                            .build(),
                                    strategy,
                                    "backfill+kafka:" + topic.name(),
                                    IngestedTypeInfo.INSTANCE)
                            .uid("backfill-source-" + topic.name())
                            .setParallelism(readers);
            streams.add(new Ingest.Source(topic.name(), stream));
        }
        return streams;
    }

    /**
     * The history of {@code topic}: the events of its type in the backfill files, parsed and checked
     * as replay does (clock skew against the wall clock), plus every line that is no event when it is
     * {@link Backfill#DEAD_LETTERS_TOPIC}. No file when the format cannot hold the type.
     */
    static HistorySource history(Topics.Input<?> topic, Backfill backfill, ClockSkew skew) {
        boolean deadLetters = topic == Backfill.DEAD_LETTERS_TOPIC;
        List<java.nio.file.Path> files =
                deadLetters || backfill.format().carries(topic.type()) ? backfill.files() : List.of();
        return HistorySource.of(
                files, skew.checking(HistorySource.forRecords(backfill.format().parser(), topic.type(), deadLetters)));
    }

    static <T extends org.apache.avro.specific.SpecificRecordBase> KafkaSource<Ingested> source(
            Topics.Input<T> topic, Configuration conf, String job) {
        Duration fetchWait = OptionChecks.notNegative(conf, LiveOptions.FETCH_WAIT);
        KafkaSourceBuilder<Ingested> b = KafkaSource.<Ingested>builder()
                .setProperties(KafkaSecurity.of(conf, System.getenv())
                        .clientProperties(conf.get(LiveOptions.BOOTSTRAP_SERVERS)))
                .setBootstrapServers(conf.get(LiveOptions.BOOTSTRAP_SERVERS))
                .setTopics(topic.name())
                .setGroupId(conf.getOptional(LiveOptions.GROUP_ID).orElse("pulse-" + job))
                .setClientIdPrefix("pulse-" + job + "-" + topic.name())
                .setStartingOffsets(startingOffsets(conf.get(LiveOptions.STARTING_OFFSETS)))
                .setDeserializer(new KafkaEventDeserializer<>(topic, ClockSkew.of(conf)))
                // Producers may write transactionally; never read what they abort.
                .setProperty("isolation.level", "read_committed")
                // A busy topic's records come in larger fetches, a quiet one's at most FETCH_WAIT later.
                .setProperty(
                        "fetch.min.bytes",
                        fetchWait.isZero() ? "1" : Integer.toString(LiveOptions.FETCH_MIN_KIB * 1024))
                .setProperty("fetch.max.wait.ms", Long.toString(fetchWait.isZero() ? 500 : fetchWait.toMillis()))
                // Offsets are committed on checkpoints for monitoring; the checkpoint holds the truth.
                .setProperty("commit.offsets.on.checkpoint", "true")
                .setProperty(
                        "partition.discovery.interval.ms",
                        Long.toString(conf.get(LiveOptions.PARTITION_DISCOVERY).toMillis()));
        if (conf.get(LiveOptions.BOUNDED)) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b.build();
    }

    // The connector's committedOffsets(...) only takes Kafka's deprecated OffsetResetStrategy.
    @SuppressWarnings("deprecation")
    private static OffsetsInitializer startingOffsets(LiveOptions.StartingOffsets start) {
        return switch (start) {
            case COMMITTED ->
                OffsetsInitializer.committedOffsets(org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST);
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
        };
    }
}
