package io.haitaopulse.bench;

import io.haitaopulse.common.PulseOptions;
import io.haitaopulse.live.AvroWire;
import io.haitaopulse.live.LiveOptions;
import io.haitaopulse.live.Topics;
import io.haitaopulse.runtime.Live;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.Order;
import io.haitaopulse.stack.LocalPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code kafka_freshness}: how soon a hot-items window is queryable in PostgreSQL while the live
 * trends job runs (unbounded, as in production) and a producer streams clicks and orders into
 * Kafka at a fixed rate (default 100K events/s) <em>in real time</em>: each event is re-stamped
 * with the wall clock as it is sent, so event time and wall time advance together and freshness
 * is plain "event time → row": the wall-clock time at which a window's scope-"all" rows are
 * visible in PostgreSQL (polled every 10 ms) minus the window's end. To see many windows in a
 * short run the hot items here are 1 min windows sliding by 2 s, with a bounded disorder of
 * 200 ms (the producer's own order is the only disorder); both add to freshness one for one, so a
 * job with {@code --max-delay 5s} has rows 5 s later.
 */
final class KafkaFreshness {

    static final String NAME = "kafka_freshness";

    static final Duration WINDOW = Duration.ofMinutes(1);
    static final Duration SLIDE = Duration.ofSeconds(2);
    static final Duration MAX_DELAY = Duration.ofMillis(200);

    private KafkaFreshness() {}

    static BenchReport.Case run(
            BenchRunner runner,
            BenchData data,
            Configuration jobConf,
            Path work,
            double rate,
            Duration duration,
            Profiler.Target profiled)
            throws Exception {
        try (BenchStack stack = BenchStack.start(work.toAbsolutePath().resolve(NAME), runner.parallelism())) {
            int partitions = stack.partitions;
            Configuration conf = stack.liveConf(jobConf, "bench-freshness");
            conf.set(PulseOptions.WINDOW, WINDOW);
            conf.set(PulseOptions.SLIDE, SLIDE);
            conf.set(PulseOptions.MAX_DELAY, MAX_DELAY);
            conf.set(LiveOptions.POSTGRES_BATCH_INTERVAL, Duration.ofMillis(100));
            // Campaigns, exposures and reviews stay empty here: a short idle timeout lets event time move without them.
            conf.set(PulseOptions.IDLE_TIMEOUT, Duration.ofMillis(500));
            Configuration live = Live.configure(conf);
            StreamExecutionEnvironment env = runner.environment(live);
            Live.build(env, "trends", live);
            JobID job = runner.submit(env, NAME);
            try {
                Map<Long, Long> visible = new ConcurrentSkipListMap<>();
                AtomicBoolean polling = new AtomicBoolean(true);
                Thread poller = new Thread(() -> poll(stack.pg.jdbcUrl(), visible, polling), "freshness-poller");
                poller.setDaemon(true);
                poller.start();
                long wallStart = System.currentTimeMillis();
                BenchStack.ServiceCpu servicesBefore = stack.cpu();
                long cpuBefore = BenchRunner.processCpuNanos();
                long t0 = System.nanoTime();
                long sent = Profiler.around(
                        profiled, () -> produce(stack.kafka.bootstrapServers(), data, partitions, rate, duration));
                double seconds = (System.nanoTime() - t0) / 1e9;
                // While the stream lasts: this JVM (job and producer), the broker and PostgreSQL.
                double cpuSeconds = (BenchRunner.processCpuNanos() - cpuBefore) / 1e9;
                BenchStack.ServiceCpu services = stack.cpu().since(servicesBefore);
                long wallEnd = System.currentTimeMillis();
                // Windows ending from 10 s (a quarter of short runs) into the stream — the job is long-running
                // in production; its first seconds are JIT and connection set-up — to the last the stream closes.
                long slide = SLIDE.toMillis();
                long firstEnd = (wallStart + Math.min(10_000, (wallEnd - wallStart) / 4)) / slide * slide + slide;
                long lastEnd = (wallEnd - MAX_DELAY.toMillis() - 1000) / slide * slide;
                // A job behind the stream drains its backlog after the stream ends: one that ingested
                // at half the rate asked needs about as long again. Waiting twice the stream's length
                // (at least 20 s) tells a job that falls behind from windows that never appear.
                long waitNanos = Math.max(20_000_000_000L, 2 * (System.nanoTime() - t0));
                long deadline = System.nanoTime() + waitNanos;
                while (System.nanoTime() < deadline && !visible.containsKey(lastEnd)) {
                    LockSupport.parkNanos(20_000_000L);
                }
                polling.set(false);
                poller.join();
                List<Double> latencies = new ArrayList<>();
                int missing = 0;
                for (long end = firstEnd; end <= lastEnd; end += slide) {
                    Long seen = visible.get(end);
                    if (seen == null) {
                        missing++;
                    } else {
                        latencies.add((double) (seen - end));
                    }
                }
                if (latencies.isEmpty() || missing > 0) {
                    throw new IllegalStateException(String.format(
                            "%s: %d windows visible in PostgreSQL, %d not within %.0f s after the stream ended",
                            NAME, latencies.size(), missing, waitNanos / 1e9));
                }
                latencies.sort(Double::compare);
                double p50 = latencies.get((int) Math.floor(0.50 * (latencies.size() - 1)));
                double p99 = latencies.get((int) Math.ceil(0.99 * (latencies.size() - 1)));
                return new BenchReport.Case(
                        NAME,
                        String.format(
                                "live trends job, clicks and orders into Kafka at %,.0f events/s in real time; hot items 1 min / 2 s, "
                                        + "max delay 200 ms; window end → rows in PostgreSQL over %d windows",
                                rate, latencies.size()),
                        sent,
                        seconds,
                        cpuSeconds,
                        null,
                        latencies.size(),
                        -1,
                        -1,
                        p50,
                        p99,
                        services,
                        null);
            } finally {
                runner.cancel(job);
            }
        }
    }

    /**
     * Sends clicks and orders, merged in event-time order and cycled if needed, at {@code rate} for
     * {@code duration}, each re-stamped with the wall clock at sending (decoded, {@code ts} set,
     * encoded again).
     */
    private static long produce(String bootstrap, BenchData data, int partitions, double rate, Duration duration)
            throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        BenchData.Topic clicks = data.topic(Topics.CLICKS);
        BenchData.Topic orders = data.topic(Topics.ORDERS);
        AvroWire.Decoder<Click> clickDecoder = AvroWire.decoder(Click.class);
        AvroWire.Decoder<Order> orderDecoder = AvroWire.decoder(Order.class);
        if (clicks.size() + orders.size() == 0) {
            throw new IllegalArgumentException(NAME + ": the dataset holds no clicks or orders to stream");
        }
        int c = 0;
        int o = 0;
        long sent = 0;
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            long stop = start + duration.toNanos();
            while (System.nanoTime() < stop) {
                if (c >= clicks.size() && o >= orders.size()) {
                    // Cycle: every event is re-stamped anyway, and popularity stays the dataset's.
                    c = 0;
                    o = 0;
                }
                boolean click = o >= orders.size() || (c < clicks.size() && clicks.timestamp(c) <= orders.timestamp(o));
                long now = System.currentTimeMillis();
                byte[] value;
                String topic;
                int partition;
                if (click) {
                    Click e = clickDecoder.decode(clicks.record(c));
                    e.setTs(Instant.ofEpochMilli(now));
                    value = AvroWire.encode(e);
                    topic = Topics.CLICKS.name();
                    partition = c++ % partitions;
                } else {
                    Order e = orderDecoder.decode(orders.record(o));
                    e.setTs(Instant.ofEpochMilli(now));
                    value = AvroWire.encode(e);
                    topic = Topics.ORDERS.name();
                    partition = o++ % partitions;
                }
                producer.send(new ProducerRecord<>(topic, partition, now, null, value));
                sent++;
                long due = start + (long) (sent * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 1_000_000L) {
                    LockSupport.parkNanos(wait);
                }
            }
            producer.flush();
        }
        return sent;
    }

    /** Records the first wall-clock time (epoch ms) each window end of scope "all" is visible in hot_items. */
    private static void poll(String url, Map<Long, Long> visible, AtomicBoolean polling) {
        long seenUpTo = Long.MIN_VALUE;
        try (Connection c = DriverManager.getConnection(url, LocalPostgres.USER, "");
                Statement st = c.createStatement()) {
            while (polling.get()) {
                try (ResultSet rs = st.executeQuery(
                        "SELECT DISTINCT window_end FROM hot_items WHERE scope = 'all' AND window_end > " + seenUpTo)) {
                    long now = System.currentTimeMillis();
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
