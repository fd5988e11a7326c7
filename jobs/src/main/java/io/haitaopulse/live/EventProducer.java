package io.haitaopulse.live;

import io.haitaopulse.io.EventTime;
import io.haitaopulse.io.InputFormat;
import io.haitaopulse.io.LineParser;
import io.haitaopulse.schema.DeadLetter;
import io.haitaopulse.schema.Item;
import io.haitaopulse.schema.internal.Ingested;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Streams event files in the {@code jsonl} format of CONTRACTS §2 (e.g. a simulator's output) into
 * the input topics: each event Avro-encoded on the topic of its type and keyed like
 * {@link Topics}; a line that is not a valid event is sent <em>as its raw bytes</em> to the topic
 * of its file, exactly the bad input a real producer might write, so the job's dead-letter path sees
 * it. Files are interleaved by event time while each file's own order is kept, which is what makes
 * the live output of a file set equal to its replay output. Optionally paced to a rate.
 */
public final class EventProducer implements AutoCloseable {

    /**
     * How far behind its schedule a paced producer may count itself: held up for longer, it goes
     * on at its rate instead of bursting, which would show the jobs a load nobody asked for.
     */
    private static final long PACING_SLACK_NANOS = 100_000_000L;

    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicLong sent = new AtomicLong();
    private volatile long newestEventTs = Long.MIN_VALUE;
    private volatile boolean stopRequested;

    public EventProducer(String bootstrapServers) {
        this(bootstrapServers, KafkaSecurity.NONE);
    }

    /** A producer that authenticates as {@code security} says. */
    public EventProducer(String bootstrapServers, KafkaSecurity security) {
        Properties p = security.clientProperties(bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // Idempotence keeps a partition's order even when a batch is retried.
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "pulse-event-producer");
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Makes a running {@link #send} return after the record it is sending (safe from any thread). */
    public void stop() {
        stopRequested = true;
    }

    /** Records sent so far. */
    public long sent() {
        return sent.get();
    }

    /** The largest event time sent so far (epoch ms), or {@code Long.MIN_VALUE}. */
    public long newestEventTs() {
        return newestEventTs;
    }

    /** The input topic for a file named after it ({@code clicks.jsonl} → {@code clicks}). */
    public static Topics.Input<?> topicOf(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        for (Topics.Input<?> t : Topics.INPUTS) {
            if (name.startsWith(t.name())) {
                return t;
            }
        }
        throw new IllegalArgumentException(
                "cannot tell the topic of " + file + "; name it after one of " + Topics.INPUTS);
    }

    /**
     * Sends every line of {@code files}, interleaved by event time, at most {@code ratePerSecond}
     * records a second (0: as fast as possible; after being held up it goes on at that rate, at
     * most 100 ms of records ahead of it), then flushes. Returns early, between records,
     * after {@link #stop}; throws {@link InterruptedException} when the thread is interrupted.
     */
    public long send(List<Path> files, double ratePerSecond) throws IOException, InterruptedException {
        List<Cursor> cursors = new ArrayList<>();
        try {
            for (Path f : files) {
                Cursor c = new Cursor(f, topicOf(f));
                if (c.advance()) {
                    cursors.add(c);
                } else {
                    c.close();
                }
            }
            Pacer pacer = ratePerSecond > 0 ? new Pacer(ratePerSecond, System.nanoTime(), PACING_SLACK_NANOS) : null;
            long count = 0;
            while (!cursors.isEmpty() && !stopRequested) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("event producer interrupted");
                }
                Cursor next = cursors.get(0);
                for (Cursor c : cursors) {
                    if (c.ts < next.ts) {
                        next = c;
                    }
                }
                producer.send(next.record());
                sent.incrementAndGet();
                if (next.ts != EventTime.NONE && next.ts > newestEventTs) {
                    newestEventTs = next.ts;
                }
                count++;
                if (pacer != null) {
                    long wait = pacer.waitNanos(count, System.nanoTime());
                    if (wait > 0) {
                        // Pacing a producer to a rate, not waiting for a result.
                        LockSupport.parkNanos(wait);
                    }
                }
                if (!next.advance()) {
                    next.close();
                    cursors.remove(next);
                }
            }
            producer.flush();
            return count;
        } finally {
            for (Cursor c : cursors) {
                c.close();
            }
        }
    }

    /** Sends one already-built event to its topic and waits until the broker has it. */
    public <T extends SpecificRecordBase> void sendNow(Topics.Input<T> topic, T event) throws IOException {
        sendRawNow(topic.name(), topic.key(event), AvroWire.encode(event));
    }

    /** Sends raw bytes to a topic and waits until the broker has them. */
    public void sendRawNow(String topic, byte[] key, byte[] value) throws IOException {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
            sent.incrementAndGet();
        } catch (ExecutionException e) {
            throw new IOException(
                    "sending to " + topic + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending to " + topic, e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }

    /** One file being read: its current line, parsed, and that line's event time. */
    private static final class Cursor implements AutoCloseable {
        private static final LineParser PARSER = InputFormat.JSONL.parser();
        private final BufferedReader reader;
        private final Topics.Input<?> topic;
        private final String source;
        private byte[] line;
        private Object body;
        private long ts = Long.MIN_VALUE;

        Cursor(Path file, Topics.Input<?> topic) throws IOException {
            this.reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
            this.topic = topic;
            this.source = file.toString();
        }

        /** Reads the next non-blank line; false at the end of the file. */
        boolean advance() throws IOException {
            String l;
            while ((l = reader.readLine()) != null) {
                // ISO-8859-1 maps bytes 1:1, so this recovers the file's exact bytes, valid UTF-8 or not.
                byte[] bytes = l.getBytes(StandardCharsets.ISO_8859_1);
                Ingested parsed = PARSER.parse(bytes, 0, bytes.length, source, 0L);
                if (parsed == null) {
                    continue;
                }
                line = bytes;
                body = parsed.getBody();
                long t = EventTime.ofBody(body);
                // A bad line keeps its place in the file: it goes out right after the line before it.
                if (t != EventTime.NONE) {
                    ts = t;
                }
                return true;
            }
            return false;
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        ProducerRecord<byte[], byte[]> record() {
            if (body instanceof DeadLetter) {
                return new ProducerRecord<>(topic.name(), null, line);
            }
            Topics.Input typed = Topics.inputFor(((SpecificRecordBase) body).getClass());
            // CreateTime = the event's time, as a shop's system writing events as they happen would
            // stamp them; never ahead of this clock, where the job's clock-skew rule and the
            // broker's log.message.timestamp.after.max.ms both take over.
            // A catalogue record has no event time (EventTime): it is stamped with the time it is
            // valid from, and sent where it stands in its file.
            long stamp = body instanceof Item item ? item.getTs().toEpochMilli() : ts;
            long createTime = Math.min(Math.max(stamp, 0L), System.currentTimeMillis());
            return new ProducerRecord<>(
                    typed.name(),
                    null,
                    createTime,
                    typed.key((SpecificRecordBase) body),
                    AvroWire.encode((SpecificRecordBase) body));
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }
}
