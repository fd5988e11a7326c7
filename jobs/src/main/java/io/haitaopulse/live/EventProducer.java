package io.haitaopulse.live;

import io.haitaopulse.io.EventTime;
import io.haitaopulse.io.InputFormat;
import io.haitaopulse.io.LineParser;
import io.haitaopulse.schema.DeadLetter;
import io.haitaopulse.schema.Item;
import io.haitaopulse.schema.internal.Ingested;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
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
 * the live output of a file set equal to its replay output. Optionally paced to a rate. The records
 * of a file set can also be encoded beforehand into a spool ({@link #spool}) and sent from it
 * ({@link #sendSpool}), the same records in the same order.
 */
public final class EventProducer implements AutoCloseable {

    /**
     * How far behind its schedule a paced producer may count itself: held up for longer, it goes
     * on at its rate instead of bursting, which would show the jobs a load nobody asked for.
     */
    private static final long PACING_SLACK_NANOS = 100_000_000L;

    /**
     * A paced producer waits only once it is this far ahead of its schedule, so it sends in bursts
     * of about a millisecond's records: parking after each record cost a system call and a
     * context switch per record, more than half of the demo producer's CPU at 10,000 records/s.
     */
    private static final long MIN_PARK_NANOS = 1_000_000L;

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
        try (Merged records = new Merged(files)) {
            return send(records, ratePerSecond);
        }
    }

    /**
     * Sends the records {@link #spool} wrote, as {@link #send(List, double)} would send its files:
     * the same records in the same order at the same rate, without reading and encoding each
     * event while the stream runs.
     */
    public long sendSpool(Path spool, double ratePerSecond) throws IOException, InterruptedException {
        try (Spooled records = new Spooled(spool)) {
            return send(records, ratePerSecond);
        }
    }

    /**
     * Reads {@code files} as {@link #send(List, double)} does and writes every record it would send,
     * encoded, in its order, to {@code spool}; returns how many. The demo encodes its stream this
     * way while its cluster starts: reading JSON and encoding Avro was half of the producer's CPU
     * while it streamed.
     */
    public static long spool(List<Path> files, Path spool) throws IOException {
        long count = 0;
        try (Merged records = new Merged(files);
                DataOutputStream o =
                        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(spool), 1 << 16))) {
            for (Outgoing r = records.next(); r != null; r = records.next()) {
                o.writeByte(1);
                o.writeUTF(r.topic());
                o.writeLong(r.eventTs());
                o.writeLong(r.stamp());
                writeBytes(o, r.key());
                writeBytes(o, r.value());
                count++;
            }
            o.writeByte(0);
        }
        return count;
    }

    private static void writeBytes(DataOutputStream o, byte[] b) throws IOException {
        if (b == null) {
            o.writeInt(-1);
        } else {
            o.writeInt(b.length);
            o.write(b);
        }
    }

    private long send(Records records, double ratePerSecond) throws IOException, InterruptedException {
        Pacer pacer = ratePerSecond > 0 ? new Pacer(ratePerSecond, System.nanoTime(), PACING_SLACK_NANOS) : null;
        long count = 0;
        for (Outgoing next = records.next(); next != null && !stopRequested; next = records.next()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("event producer interrupted");
            }
            producer.send(next.toRecord());
            sent.incrementAndGet();
            if (next.eventTs() != EventTime.NONE && next.eventTs() > newestEventTs) {
                newestEventTs = next.eventTs();
            }
            count++;
            if (pacer != null) {
                long wait = pacer.waitNanos(count, System.nanoTime());
                if (wait > MIN_PARK_NANOS) {
                    // Pacing a producer to a rate, not waiting for a result.
                    LockSupport.parkNanos(wait);
                }
            }
        }
        producer.flush();
        return count;
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
        Outgoing record() {
            if (body instanceof DeadLetter) {
                return new Outgoing(topic.name(), null, line, Outgoing.RAW, ts);
            }
            Topics.Input typed = Topics.inputFor(((SpecificRecordBase) body).getClass());
            // A catalogue record has no event time (EventTime): it is stamped with the time it is
            // valid from, and sent where it stands in its file.
            long stamp = body instanceof Item item ? item.getTs().toEpochMilli() : ts;
            return new Outgoing(
                    typed.name(),
                    typed.key((SpecificRecordBase) body),
                    AvroWire.encode((SpecificRecordBase) body),
                    stamp,
                    ts);
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }

    /**
     * One record as it goes to Kafka.
     *
     * @param key null for a raw line
     * @param stamp the time to stamp it with (its CreateTime), or {@link #RAW} for a line that is
     *     not a valid event, which goes out as its bytes with the producer's clock
     * @param eventTs the event time it stands at in the stream (a bad line: the line's before it)
     */
    record Outgoing(String topic, byte[] key, byte[] value, long stamp, long eventTs) {
        static final long RAW = Long.MIN_VALUE;

        ProducerRecord<byte[], byte[]> toRecord() {
            if (stamp == RAW) {
                return new ProducerRecord<>(topic, null, value);
            }
            // CreateTime = the event's time, as a shop's system writing events as they happen would
            // stamp them; never ahead of this clock, where the job's clock-skew rule and the
            // broker's log.message.timestamp.after.max.ms both take over.
            long createTime = Math.min(Math.max(stamp, 0L), System.currentTimeMillis());
            return new ProducerRecord<>(topic, null, createTime, key, value);
        }
    }

    /** Records to send, in order; {@link #next} gives null after the last. */
    interface Records extends AutoCloseable {
        Outgoing next() throws IOException;

        @Override
        void close() throws IOException;
    }

    /** The lines of several files, interleaved by event time, each file's own order kept. */
    static final class Merged implements Records {
        private final List<Cursor> cursors = new ArrayList<>();

        Merged(List<Path> files) throws IOException {
            try {
                for (Path f : files) {
                    Cursor c = new Cursor(f, topicOf(f));
                    if (c.advance()) {
                        cursors.add(c);
                    } else {
                        c.close();
                    }
                }
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        @Override
        public Outgoing next() throws IOException {
            if (cursors.isEmpty()) {
                return null;
            }
            Cursor next = cursors.get(0);
            for (Cursor c : cursors) {
                if (c.ts < next.ts) {
                    next = c;
                }
            }
            Outgoing r = next.record();
            if (!next.advance()) {
                next.close();
                cursors.remove(next);
            }
            return r;
        }

        @Override
        public void close() throws IOException {
            for (Cursor c : cursors) {
                c.close();
            }
            cursors.clear();
        }
    }

    /** The records of a spool file written by {@link #spool}. */
    static final class Spooled implements Records {
        private final Path file;
        private final DataInputStream in;

        Spooled(Path file) throws IOException {
            this.file = file;
            this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
        }

        @Override
        public Outgoing next() throws IOException {
            try {
                if (in.readByte() == 0) {
                    return null;
                }
                String topic = in.readUTF();
                long eventTs = in.readLong();
                long stamp = in.readLong();
                byte[] key = readBytes();
                byte[] value = readBytes();
                return new Outgoing(topic, key, value, stamp, eventTs);
            } catch (EOFException e) {
                throw new IOException(file + " ends before its last record: not a complete spool", e);
            }
        }

        private byte[] readBytes() throws IOException {
            int n = in.readInt();
            if (n < 0) {
                return null;
            }
            byte[] b = new byte[n];
            in.readFully(b);
            return b;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
