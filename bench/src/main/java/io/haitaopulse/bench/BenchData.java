package io.haitaopulse.bench;

import io.haitaopulse.generator.MarketSimulator;
import io.haitaopulse.generator.SimulatorConfig;
import io.haitaopulse.io.EventTime;
import io.haitaopulse.live.AvroWire;
import io.haitaopulse.live.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * The benchmark's input: the market simulator's events, held in memory as the records of the
 * five input topics exactly as they lie on Kafka (Avro single-object encoding), in delivery order,
 * with each record's event time beside it. Every case reads the same bytes and pays the same
 * decoding.
 *
 * <p>Sources running in this JVM find a dataset by its {@link #id()} ({@link #lookup}); the
 * benchmark runs on an in-process MiniCluster, so no bytes are copied into the job graph.
 */
public final class BenchData {

    /**
     * Events per simulated user per simulated day at the simulator's default rhythm, measured on
     * seeds 1–3 (7.4–7.8); used to size the user base for a wanted event count.
     */
    static final double EVENTS_PER_USER_DAY = 7.4;

    private static final Map<String, BenchData> REGISTRY = new ConcurrentHashMap<>();
    private static final AtomicInteger IDS = new AtomicInteger();

    /** One topic's records in delivery order. */
    public static final class Topic {
        private final String name;
        private byte[][] records = new byte[1024][];
        private long[] timestamps = new long[1024];
        private int size;

        Topic(String name) {
            this.name = name;
        }

        /** The first {@code n} records of this topic, sharing its arrays. */
        Topic head(int n) {
            Topic t = new Topic(name);
            t.records = records;
            t.timestamps = timestamps;
            t.size = Math.min(n, size);
            return t;
        }

        void add(byte[] record, long ts) {
            if (size == records.length) {
                records = Arrays.copyOf(records, size * 2);
                timestamps = Arrays.copyOf(timestamps, size * 2);
            }
            records[size] = record;
            timestamps[size] = ts;
            size++;
        }

        public String name() {
            return name;
        }

        public int size() {
            return size;
        }

        public byte[] record(int i) {
            return records[i];
        }

        /** Event time of record {@code i}. */
        public long timestamp(int i) {
            return timestamps[i];
        }

        long bytes() {
            long b = 0;
            for (int i = 0; i < size; i++) {
                b += records[i].length;
            }
            return b;
        }
    }

    private final String id;
    private final Topic[] topics;

    private BenchData(String id, Topic[] topics) {
        this.id = id;
        this.topics = topics;
    }

    /**
     * Simulates a shop with {@code items} items (spread over the simulator's 10 categories) for
     * {@code span} and keeps the first {@code events} events in delivery order; the user base is
     * sized so that the span holds about that many. No late or malformed events: every engine
     * compared here must see the same valid input.
     */
    public static BenchData generate(long events, int items, Duration span, long seed) {
        if (events < 1) {
            throw new IllegalArgumentException("--events must be at least 1");
        }
        if (items < 50 || items > 999_990) {
            // The simulator numbers items category * 100000 + k: at most 99,999 per category, 10 categories.
            throw new IllegalArgumentException("--items must be within 50..999990");
        }
        double days = span.toMillis() / 86_400_000.0;
        double users = Math.max(10, Math.ceil(events * 1.15 / (EVENTS_PER_USER_DAY * days)));
        // Short spans at night hold fewer events than the daily mean: grow the user base until enough.
        for (int attempt = 0; ; attempt++) {
            SimulatorConfig cfg = new SimulatorConfig(
                    SimulatorConfig.DEFAULT_START,
                    span,
                    (int) Math.min(Integer.MAX_VALUE, users),
                    Math.max(5, items / 10),
                    1.2,
                    Duration.ofSeconds(5),
                    0.0,
                    0.0,
                    6,
                    true,
                    0,
                    0.0);
            Topic[] topics = simulate(cfg, seed, events);
            long n = 0;
            for (Topic t : topics) {
                n += t.size;
            }
            if (n >= events || attempt == 4) {
                BenchData data = new BenchData("bench-" + IDS.incrementAndGet(), topics);
                REGISTRY.put(data.id, data);
                return data;
            }
            users = Math.ceil(users * events * 1.2 / Math.max(1, n));
        }
    }

    private static Topic[] simulate(SimulatorConfig cfg, long seed, long events) {
        Topic[] topics = new Topic[Topics.INPUTS.size()];
        for (int i = 0; i < topics.length; i++) {
            topics[i] = new Topic(Topics.INPUTS.get(i).name());
        }
        // The simulator's files are in the order of Topics.INPUTS: clicks, orders, campaigns, exposures, reviews.
        if (!MarketSimulator.FILES.get(0).startsWith(topics[0].name)
                || !MarketSimulator.FILES.get(4).startsWith(topics[4].name)) {
            throw new IllegalStateException("simulator files and topics are out of step");
        }
        long[] kept = {0};
        try {
            new MarketSimulator(cfg, seed).run(new MarketSimulator.Output() {
                @Override
                public void event(int file, SpecificRecord event) {
                    if (kept[0] < events) {
                        topics[file].add(AvroWire.encode((SpecificRecordBase) event), EventTime.ofBody(event));
                        kept[0]++;
                    }
                }

                @Override
                public void malformed(int file, String line) {
                    throw new IllegalStateException("the benchmark simulates no malformed lines");
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return topics;
    }

    /** The dataset registered under {@code id} in this JVM. */
    public static BenchData lookup(String id) {
        BenchData d = REGISTRY.get(id);
        if (d == null) {
            throw new IllegalStateException(
                    "no benchmark data '" + id + "' in this JVM (benchmarks run on a local MiniCluster)");
        }
        return d;
    }

    /**
     * The events before one instant, about {@code n} of them: each topic cut where its records
     * reach the event time that clicks reach after their share of {@code n} (the topics are each
     * in delivery order, so the cut keeps them consistent in time). Shares the arrays.
     */
    public BenchData prefix(long n) {
        Topic clicks = topics[0];
        int k = (int) Math.min(clicks.size - 1L, Math.max(0L, n * clicks.size / Math.max(1L, totalEvents())));
        long cutoff = clicks.size == 0 ? Long.MAX_VALUE : clicks.timestamps[k];
        Topic[] cut = new Topic[topics.length];
        for (int i = 0; i < topics.length; i++) {
            Topic t = topics[i];
            int end = 0;
            while (end < t.size && t.timestamps[end] < cutoff) {
                end++;
            }
            cut[i] = t.head(end);
        }
        BenchData data = new BenchData("bench-" + IDS.incrementAndGet(), cut);
        REGISTRY.put(data.id, data);
        return data;
    }

    /** Frees the memory of this dataset once no job reads it. */
    public void release() {
        REGISTRY.remove(id);
    }

    public String id() {
        return id;
    }

    /** The topic named like {@code input}. */
    public Topic topic(Topics.Input<?> input) {
        for (Topic t : topics) {
            if (t.name.equals(input.name())) {
                return t;
            }
        }
        throw new IllegalArgumentException("no topic " + input.name());
    }

    /** Events of the given topics. */
    public long events(List<Topics.Input<?>> inputs) {
        long n = 0;
        for (Topics.Input<?> in : inputs) {
            n += topic(in).size();
        }
        return n;
    }

    /** Events of every topic. */
    public long totalEvents() {
        return events(Topics.INPUTS);
    }

    /** Encoded size of every record, bytes. */
    public long totalBytes() {
        long b = 0;
        for (Topic t : topics) {
            b += t.bytes();
        }
        return b;
    }
}
