package io.haitaopulse.bench;

import io.haitaopulse.cli.Live;
import io.haitaopulse.common.PulseOptions;
import io.haitaopulse.live.LiveOptions;
import io.haitaopulse.live.LiveSetup;
import io.haitaopulse.live.Topics;
import io.haitaopulse.stack.LocalKafka;
import io.haitaopulse.stack.LocalPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.commons.io.file.PathUtils;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code kafka_freshness}: how soon a hot-items window is queryable in PostgreSQL while the live
 * trends job runs (unbounded, as in production) and a producer streams the dataset into Kafka at
 * a fixed rate (default 100K events/s) in event-time order. The stream is time-compressed (a
 * simulated day in under a minute), so a window's end is "reached" at the wall-clock moment the
 * producer sends the first event at or after it; freshness is the wall time from then until its
 * scope-"all" rows are visible in PostgreSQL (polled every 10 ms). The watermark's bounded
 * disorder ({@code --max-delay}, 5 s of event time) is compressed with the stream here; in real
 * time it adds to freshness one for one, so a live job wanting rows within 2 s must run with a
 * smaller max delay.
 */
final class KafkaFreshness {

    static final String NAME = "kafka_freshness";

    private KafkaFreshness() {}

    static BenchReport.Case run(BenchRunner runner, BenchData data, Configuration jobConf, Path work, double rate) throws Exception {
        Path dir = work.toAbsolutePath().resolve(NAME);
        if (dir.toFile().exists()) {
            PathUtils.deleteDirectory(dir);
        }
        int partitions = runner.parallelism();
        try (LocalPostgres pg = LocalPostgres.start(dir.resolve("postgres"), 0);
                LocalKafka kafka = LocalKafka.start(dir.resolve("kafka"), 0, Duration.ofSeconds(90))) {
            LiveSetup.createTopics(kafka.bootstrapServers(), partitions, List.of());
            Configuration conf = new Configuration(jobConf);
            conf.set(LiveOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            conf.set(LiveOptions.GROUP_ID, "bench-freshness");
            conf.setString(LiveOptions.STARTING_OFFSETS.key(), "EARLIEST");
            conf.set(LiveOptions.PARTITIONS, partitions);
            conf.set(LiveOptions.POSTGRES_URL, pg.jdbcUrl());
            conf.set(LiveOptions.POSTGRES_USER, LocalPostgres.USER);
            conf.set(LiveOptions.POSTGRES_BATCH_INTERVAL, Duration.ofMillis(100));
            // Campaigns and reviews are sparse: without a short idle timeout they hold event time back.
            conf.set(PulseOptions.IDLE_TIMEOUT, Duration.ofMillis(500));
            Configuration live = Live.configure(conf);
            StreamExecutionEnvironment env = runner.environment(live);
            Live.build(env, "trends", live);
            JobID job = runner.submit(env, NAME);
            try {
                long windowMs = jobConf.get(PulseOptions.SLIDE).toMillis();
                Map<Long, Long> reached = new ConcurrentSkipListMap<>();
                Map<Long, Long> visible = new ConcurrentSkipListMap<>();
                AtomicBoolean polling = new AtomicBoolean(true);
                Thread poller = new Thread(() -> poll(pg.jdbcUrl(), visible, polling), "freshness-poller");
                poller.setDaemon(true);
                poller.start();
                long t0 = System.nanoTime();
                long sent = produce(kafka.bootstrapServers(), data, partitions, rate, windowMs, reached);
                double seconds = (System.nanoTime() - t0) / 1e9;
                // The last windows close only when later events arrive; wait for those that can.
                long deadline = System.nanoTime() + 20_000_000_000L;
                long lastReached = reached.isEmpty() ? Long.MIN_VALUE : ((ConcurrentSkipListMap<Long, Long>) reached).lastKey();
                while (System.nanoTime() < deadline && visible.keySet().stream().noneMatch(w -> w >= lastReached - windowMs)) {
                    LockSupport.parkNanos(50_000_000L);
                }
                polling.set(false);
                poller.join();
                List<Double> latencies = new ArrayList<>();
                reached.forEach((end, at) -> {
                    Long seen = visible.get(end);
                    if (seen != null) {
                        latencies.add((seen - at) / 1e6);
                    }
                });
                if (latencies.size() < 5) {
                    throw new IllegalStateException(NAME + ": only " + latencies.size() + " windows became visible in PostgreSQL");
                }
                latencies.sort(Double::compare);
                double p50 = latencies.get((int) Math.floor(0.50 * (latencies.size() - 1)));
                double p99 = latencies.get((int) Math.ceil(0.99 * (latencies.size() - 1)));
                return new BenchReport.Case(NAME, String.format(
                        "live trends job, producer at %,.0f events/s into Kafka; latency from the stream reaching a window end to its "
                                + "rows in PostgreSQL, over %d windows", rate, latencies.size()),
                        sent, seconds, latencies.size(), -1, -1, p50, p99);
            } finally {
                runner.cancel(job);
            }
        }
    }

    /** Sends every topic merged in event-time order at {@code rate}; records when each window end was reached. */
    private static long produce(String bootstrap, BenchData data, int partitions, double rate, long slideMs, Map<Long, Long> reached) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        List<BenchData.Topic> topics = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Topics.Input<?> t : Topics.INPUTS) {
            topics.add(data.topic(t));
            names.add(t.name());
        }
        int[] next = new int[topics.size()];
        long sent = 0;
        long nextEnd = Long.MIN_VALUE;
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            while (true) {
                int best = -1;
                for (int i = 0; i < topics.size(); i++) {
                    if (next[i] < topics.get(i).size()
                            && (best < 0 || topics.get(i).timestamp(next[i]) < topics.get(best).timestamp(next[best]))) {
                        best = i;
                    }
                }
                if (best < 0) {
                    break;
                }
                BenchData.Topic t = topics.get(best);
                int i = next[best]++;
                long ts = t.timestamp(i);
                producer.send(new ProducerRecord<>(names.get(best), i % partitions, ts, null, t.record(i)));
                sent++;
                long now = System.nanoTime();
                if (nextEnd == Long.MIN_VALUE) {
                    nextEnd = Math.floorDiv(ts, slideMs) * slideMs + slideMs;
                }
                while (ts >= nextEnd) {
                    reached.put(nextEnd, now);
                    nextEnd += slideMs;
                }
                long due = start + (long) (sent * 1e9 / rate);
                if (due > now + 1_000_000L) {
                    LockSupport.parkNanos(due - now);
                }
            }
            producer.flush();
        }
        return sent;
    }

    /** Records the first time each window end of scope "all" is visible in hot_items. */
    private static void poll(String url, Map<Long, Long> visible, AtomicBoolean polling) {
        long seenUpTo = Long.MIN_VALUE;
        try (Connection c = DriverManager.getConnection(url, LocalPostgres.USER, ""); Statement st = c.createStatement()) {
            while (polling.get()) {
                try (ResultSet rs = st.executeQuery("SELECT DISTINCT window_end FROM hot_items WHERE scope = 'all' AND window_end > "
                        + seenUpTo)) {
                    long now = System.nanoTime();
                    while (rs.next()) {
                        long end = rs.getLong(1);
                        visible.putIfAbsent(end, now);
                        seenUpTo = Math.max(seenUpTo, end);
                    }
                }
                LockSupport.parkNanos(10_000_000L);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot poll hot_items: " + e.getMessage(), e);
        }
    }
}
