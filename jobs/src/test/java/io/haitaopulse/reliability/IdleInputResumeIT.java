package io.haitaopulse.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.haitaopulse.bots.BotOptions;
import io.haitaopulse.common.PulseOptions;
import io.haitaopulse.io.OutputTable;
import io.haitaopulse.live.AvroWire;
import io.haitaopulse.live.LiveOptions;
import io.haitaopulse.live.LiveSetup;
import io.haitaopulse.live.LiveSinks;
import io.haitaopulse.live.Topics;
import io.haitaopulse.privacy.PrivacyOptions;
import io.haitaopulse.privacy.PseudonymKey;
import io.haitaopulse.runtime.Live;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.stack.LocalKafka;
import io.haitaopulse.stack.LocalPostgres;
import io.haitaopulse.testutil.LiveStack;
import io.haitaopulse.testutil.PgRows;
import io.haitaopulse.trends.ShardTopN;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One partition of the clicks topic stalls while the other flows, is declared idle, and then
 * delivers the clicks it held back, now behind everything the job has finalised: a producer outage
 * on one partition, or a broker failover. The live trends job, on a real broker, must count every
 * such click in the hot_items rows that were still open when it arrived and report it in
 * late_events otherwise; no pane may be dropped at a keyed operator.
 *
 * <p>Timeline (event time from {@link #T0}, 1 s apart per partition, a fresh user per click so no
 * bot rule applies): A — both partitions, [0, 60 s); B — partition 0 only, [60 s, 360 s): partition
 * 1 goes idle after the 1 s idle timeout and event time moves on without it, until hot_items has
 * the window ending at 300 s (the last one partition 0's watermark 357,999 can fire); C — partition
 * 1 delivers its held-back clicks of [60 s, 360 s); D — both partitions, [360 s, 480 s), then one
 * click an hour later on each to close every window.
 *
 * <p>Expected values are computed here from the timeline alone: a click of C counts in a window
 * only if that window ends after 300 s (windows of 2 min sliding by 1 min fire when the watermark
 * reaches their end − 1, allowed lateness 0); a click of C with any window at or before 300 s is
 * in late_events.
 */
class IdleInputResumeIT {

    private static final long T0 = 1_700_000_040_000L - 1_700_000_040_000L % 60_000L;
    private static final long S = 1_000L;
    private static final long ITEM_FLOWING = 1L;
    private static final long ITEM_STALLED = 2L;
    private static final long LAST_FIRED_BEFORE_RESUME = T0 + 300 * S;

    private LocalKafka kafka;

    @TempDir
    Path tmp;

    /** A sent click: partition, item, event time. */
    record Sent(int partition, long item, long ts) {}

    private final List<Sent> sent = new ArrayList<>();
    private final List<Sent> resumed = new ArrayList<>();

    @BeforeEach
    void startBroker() {
        // Topic names are fixed, so each run gets a broker of its own.
        kafka = LiveStack.newKafka();
    }

    @AfterEach
    void stopBroker() {
        kafka.close();
    }

    /**
     * With the bot filter, or without it: then nothing but the gathering of the inputs stands
     * between a source and the jobs, and a partition's clicks would be judged against its own
     * watermark only.
     */
    @ParameterizedTest(name = "bot filter on: {0}")
    @ValueSource(booleans = {true, false})
    void clicksOfAPartitionThatResumesBehindAreCountedOrReportedNeverDropped(boolean botFilter) throws Exception {
        String url = LiveStack.freshDatabase("idle_resume");
        Configuration conf = new Configuration();
        conf.set(BotOptions.ENABLED, botFilter);
        conf.set(LiveOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        conf.set(LiveOptions.GROUP_ID, "idle-resume");
        conf.set(LiveOptions.PARTITIONS, 2);
        conf.setString(LiveOptions.SINKS.key(), "POSTGRES");
        conf.set(LiveOptions.POSTGRES_URL, url);
        conf.set(LiveOptions.POSTGRES_USER, LocalPostgres.USER);
        conf.set(PulseOptions.WINDOW, Duration.ofMinutes(2));
        conf.set(PulseOptions.SLIDE, Duration.ofMinutes(1));
        conf.set(PulseOptions.MAX_DELAY, Duration.ofSeconds(1));
        conf.set(PulseOptions.IDLE_TIMEOUT, Duration.ofSeconds(1));
        conf.set(PrivacyOptions.PSEUDONYM_SECRET, PseudonymKey.generate().toBase64());
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(1));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        conf = Live.configure(conf);
        LiveSetup.createTopics(kafka.bootstrapServers(), 2, List.of());

        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        Live.build(env, "trends", conf, new LiveSinks(conf, "trends"));
        JobClient job = env.executeAsync("idle input resumes behind");
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (long t = 0; t < 60; t++) {
                send(producer, 0, ITEM_FLOWING, T0 + t * S, sent);
                send(producer, 1, ITEM_STALLED, T0 + t * S, sent);
            }
            List<Long> heldBack = new ArrayList<>();
            for (long t = 60; t < 360; t++) {
                send(producer, 0, ITEM_FLOWING, T0 + t * S, sent);
                heldBack.add(T0 + t * S);
            }
            producer.flush();
            await(
                    "partition 1 declared idle and the window ending at 300 s emitted without it",
                    () -> windowEnds(url).contains(LAST_FIRED_BEFORE_RESUME));
            for (long ts : heldBack) {
                send(producer, 1, ITEM_STALLED, ts, resumed);
            }
            for (long t = 360; t < 480; t++) {
                send(producer, 0, ITEM_FLOWING, T0 + t * S, sent);
                send(producer, 1, ITEM_STALLED, T0 + t * S, sent);
            }
            send(producer, 0, ITEM_FLOWING, T0 + 3_600 * S, sent);
            send(producer, 1, ITEM_STALLED, T0 + 3_600 * S, sent);
            producer.flush();
            await(
                    "every window up to the last click of D emitted",
                    () -> windowEnds(url).contains(T0 + 540 * S));
        } catch (Throwable t) {
            job.cancel().get(1, TimeUnit.MINUTES);
            throw t;
        }
        // Stopping with a savepoint commits everything emitted before it, and the job's final
        // accumulators are exact (running ones are refreshed only with heartbeats).
        job.stopWithSavepoint(false, tmp.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(2, TimeUnit.MINUTES);
        JobExecutionResult result = job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
        Object dropped = result.getAllAccumulatorResults().getOrDefault(ShardTopN.DROPPED_AFTER_PURGE, 0L);
        System.out.printf(
                "idle input resume (bot filter %s): %d clicks held back; %s = %s%n",
                botFilter, resumed.size(), ShardTopN.DROPPED_AFTER_PURGE, dropped);
        assertThat(((Number) dropped).longValue())
                .as("pane counts dropped at the Top-N after purge")
                .isZero();

        // Each late_events row names the watermark its click was judged against: the click counts
        // in exactly its windows that were still open then.
        Map<Sent, Long> late = lateWatermarks(url);
        long resumedLate = resumed.stream().filter(late::containsKey).count();
        for (int part = 0; part < 2; part++) {
            int pp = part;
            System.out.printf(
                    "  late from partition %d: %s%n",
                    part,
                    late.entrySet().stream()
                            .filter(e -> e.getKey().partition() == pp)
                            .map(e -> (e.getKey().ts() - T0) / S + "@" + (e.getValue() - T0))
                            .sorted()
                            .limit(400)
                            .toList());
        }
        System.out.printf(
                "idle input resume: late_events holds %d of the held-back clicks and %d others%n",
                resumedLate, late.size() - resumedLate);
        assertThat(late.keySet())
                .as("late_events: every held-back click with a window finalised while its partition was idle")
                .containsAll(resumed.stream()
                        .filter(c -> firstWindowEnd(c.ts()) <= LAST_FIRED_BEFORE_RESUME)
                        .toList());
        assertThat(hotItems(url))
                .as("hot_items scope all: every click in every window that was open when it was judged")
                .isEqualTo(expectedHotItems(late));
    }

    /** The judging watermark of every click in late_events, by (partition, event time). */
    private static Map<Sent, Long> lateWatermarks(String url) throws Exception {
        Map<Sent, Long> w = new java.util.HashMap<>();
        for (JsonNode r : PgRows.read(url, OutputTable.LATE_EVENTS)) {
            JsonNode e = r.get("event");
            long item = e.get("item_id").asLong();
            w.put(
                    new Sent(item == ITEM_FLOWING ? 0 : 1, item, e.get("ts").asLong()),
                    r.get("watermark").asLong());
        }
        return w;
    }

    /** Views per (window end, item) of scope "all", as the rows say. */
    private static Map<Long, Map<Long, Long>> hotItems(String url) throws Exception {
        Map<Long, Map<Long, Long>> views = new TreeMap<>();
        for (JsonNode r : PgRows.read(url, OutputTable.HOT_ITEMS)) {
            long end = r.get("window_end").asLong();
            if ("all".equals(r.get("scope").asText()) && end <= T0 + 600 * S) {
                views.computeIfAbsent(end, e -> new TreeMap<>())
                        .put(r.get("item_id").asLong(), r.get("views").asLong());
            }
        }
        return views;
    }

    /**
     * The same from what was sent: every click in each of its windows, except that a click judged
     * late against watermark w misses the windows final at w (end − 1 ≤ w, allowed lateness 0).
     */
    private Map<Long, Map<Long, Long>> expectedHotItems(Map<Sent, Long> late) {
        Map<Long, Map<Long, Long>> views = new TreeMap<>();
        List<Sent> all = new ArrayList<>(sent);
        all.addAll(resumed);
        for (Sent c : all) {
            long judged = late.getOrDefault(c, Long.MIN_VALUE);
            for (long end = firstWindowEnd(c.ts()); end <= c.ts() + 120 * S; end += 60 * S) {
                if (end <= T0 + 600 * S && end - 1 > judged) {
                    views.computeIfAbsent(end, e -> new TreeMap<>()).merge(c.item(), 1L, Long::sum);
                }
            }
        }
        return views;
    }

    /** The end of the first 2-minute window sliding by 1 minute that holds {@code ts}. */
    private static long firstWindowEnd(long ts) {
        return Math.floorDiv(ts, 60 * S) * 60 * S + 60 * S;
    }

    private static TreeSet<Long> windowEnds(String url) {
        try {
            TreeSet<Long> ends = new TreeSet<>();
            for (JsonNode r : PgRows.read(url, OutputTable.HOT_ITEMS)) {
                ends.add(r.get("window_end").asLong());
            }
            return ends;
        } catch (Exception e) {
            // The table appears with the job's first write.
            return new TreeSet<>();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within 2 min").isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private static void send(
            KafkaProducer<byte[], byte[]> producer, int partition, long item, long ts, List<Sent> log) {
        String user = "u" + partition + "-" + ts;
        Click c = new Click(
                user + "-view",
                user,
                item,
                7L,
                ClickAction.VIEW,
                Instant.ofEpochMilli(ts),
                null,
                null,
                null,
                null,
                null,
                null);
        // Record time = event time: the clock-skew rule compares the two.
        producer.send(new ProducerRecord<>(Topics.CLICKS.name(), partition, ts, null, AvroWire.encode(c)));
        log.add(new Sent(partition, item, ts));
    }
}
