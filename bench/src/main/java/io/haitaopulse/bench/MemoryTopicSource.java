package io.haitaopulse.bench;

import io.haitaopulse.io.IngestedTypeInfo;
import io.haitaopulse.live.KafkaEventDeserializer;
import io.haitaopulse.live.Topics;
import io.haitaopulse.schema.internal.Ingested;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceReader;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceSplit;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A bounded source over one in-memory topic of a {@link BenchData}, decoding each record exactly
 * as the live Kafka source does ({@link KafkaEventDeserializer}). The topic is read as
 * {@code parallelism} partitions: partition k holds records k, k + p, k + 2p, … in delivery
 * order, like a Kafka topic with round-robin partitioning, and reader k reads partition k, so
 * every reader's event time advances together and window state stays as small as live.
 */
public final class MemoryTopicSource
        implements Source<Ingested, MemoryTopicSource.Partition, Collection<MemoryTopicSource.Partition>>,
                ResultTypeQueryable<Ingested> {

    private static final long serialVersionUID = 1L;

    private final String dataId;
    private final Topics.Input<?> topic;
    private final int partitions;

    /** A source over {@code topic} of {@code data}, read as {@code partitions} partitions. */
    public MemoryTopicSource(BenchData data, Topics.Input<?> topic, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be positive");
        }
        this.dataId = data.id();
        this.topic = topic;
        this.partitions = partitions;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<Ingested, Partition> createReader(SourceReaderContext readerContext) {
        return new IteratorSourceReader<>(readerContext);
    }

    @Override
    public SplitEnumerator<Partition, Collection<Partition>> createEnumerator(
            SplitEnumeratorContext<Partition> context) {
        List<Partition> all = new ArrayList<>();
        // No empty partitions: Flink's iterator reader takes a record from a split as soon as it gets one.
        int size = BenchData.lookup(dataId).topic(topic).size();
        for (int k = 0; k < Math.min(partitions, size); k++) {
            all.add(new Partition(dataId, topic, k, k, partitions));
        }
        return new Enumerator(context, all);
    }

    @Override
    public SplitEnumerator<Partition, Collection<Partition>> restoreEnumerator(
            SplitEnumeratorContext<Partition> context, Collection<Partition> checkpoint) {
        return new Enumerator(context, new ArrayList<>(checkpoint));
    }

    @Override
    public SimpleVersionedSerializer<Partition> getSplitSerializer() {
        return new PartitionSerializer();
    }

    @Override
    public SimpleVersionedSerializer<Collection<Partition>> getEnumeratorCheckpointSerializer() {
        return new PendingSerializer();
    }

    @Override
    public TypeInformation<Ingested> getProducedType() {
        return IngestedTypeInfo.INSTANCE;
    }

    /** Partition {@code number} of a topic, positioned at record {@code next}. */
    public static final class Partition implements IteratorSourceSplit<Ingested, RecordIterator> {
        final String dataId;
        final Topics.Input<?> topic;
        final int number;
        final long next;
        final int stride;

        Partition(String dataId, Topics.Input<?> topic, int number, long next, int stride) {
            this.dataId = dataId;
            this.topic = topic;
            this.number = number;
            this.next = next;
            this.stride = stride;
        }

        @Override
        public String splitId() {
            return topic.name() + "-" + number;
        }

        @Override
        public RecordIterator getIterator() {
            return new RecordIterator(this);
        }

        @Override
        public IteratorSourceSplit<Ingested, RecordIterator> getUpdatedSplitForIterator(RecordIterator iterator) {
            return new Partition(dataId, topic, number, iterator.position, stride);
        }
    }

    /** Decodes the records of one partition from its position on. */
    public static final class RecordIterator implements Iterator<Ingested> {
        private final BenchData.Topic data;
        private final KafkaEventDeserializer<?> decoder;
        private final int stride;
        private long position;

        RecordIterator(Partition p) {
            this.data = BenchData.lookup(p.dataId).topic(p.topic);
            this.decoder = new KafkaEventDeserializer<>(p.topic);
            this.stride = p.stride;
            this.position = p.next;
        }

        @Override
        public boolean hasNext() {
            return position < data.size();
        }

        @Override
        public Ingested next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int i = (int) position;
            position += stride;
            return decoder.toIngested(data.record(i), data.timestamp(i));
        }
    }

    /**
     * Hands partition k to reader k (and any partition left over to whoever asks), so that no
     * reader reads two partitions one after the other, which would send its event time backwards.
     */
    private static final class Enumerator implements SplitEnumerator<Partition, Collection<Partition>> {
        private final SplitEnumeratorContext<Partition> context;
        private final List<Partition> pending;

        Enumerator(SplitEnumeratorContext<Partition> context, List<Partition> pending) {
            this.context = context;
            this.pending = pending;
        }

        @Override
        public void start() {}

        @Override
        public void handleSplitRequest(int subtask, String requesterHostname) {
            Partition own = null;
            for (Partition p : pending) {
                if (p.number % context.currentParallelism() == subtask) {
                    own = p;
                    break;
                }
            }
            if (own != null) {
                pending.remove(own);
                context.assignSplit(own, subtask);
            } else {
                context.signalNoMoreSplits(subtask);
            }
        }

        @Override
        public void addSplitsBack(List<Partition> splits, int subtaskId) {
            pending.addAll(splits);
        }

        @Override
        public void addReader(int subtaskId) {}

        @Override
        public Collection<Partition> snapshotState(long checkpointId) {
            return new ArrayList<>(pending);
        }

        @Override
        public void close() {}
    }

    private static void write(DataOutputStream out, Partition p) throws IOException {
        out.writeUTF(p.dataId);
        out.writeUTF(p.topic.name());
        out.writeInt(p.number);
        out.writeLong(p.next);
        out.writeInt(p.stride);
    }

    private static Partition read(DataInputStream in) throws IOException {
        String data = in.readUTF();
        String name = in.readUTF();
        Topics.Input<?> topic = Topics.INPUTS.stream()
                .filter(t -> t.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IOException("unknown topic " + name));
        return new Partition(data, topic, in.readInt(), in.readLong(), in.readInt());
    }

    private static final class PartitionSerializer implements SimpleVersionedSerializer<Partition> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Partition p) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                write(out, p);
            }
            return bytes.toByteArray();
        }

        @Override
        public Partition deserialize(int version, byte[] serialized) throws IOException {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                return read(in);
            }
        }
    }

    private static final class PendingSerializer implements SimpleVersionedSerializer<Collection<Partition>> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Collection<Partition> ps) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(ps.size());
                for (Partition p : ps) {
                    write(out, p);
                }
            }
            return bytes.toByteArray();
        }

        @Override
        public Collection<Partition> deserialize(int version, byte[] serialized) throws IOException {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                int n = in.readInt();
                List<Partition> ps = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    ps.add(read(in));
                }
                return ps;
            }
        }
    }
}
