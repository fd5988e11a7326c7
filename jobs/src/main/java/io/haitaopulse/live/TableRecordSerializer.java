package io.haitaopulse.live;

import io.haitaopulse.io.OutputTable;
import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * An output row as a Kafka record on the table's topic: the key is the table's key fields joined
 * with {@code '|'} (append tables: the row's content digest), the value the row in Avro
 * single-object encoding. Same key, same partition, so the last version of a re-fired row wins
 * in a compacted topic and in a consumer's upsert.
 *
 * @param <T> the row type
 */
public final class TableRecordSerializer<T extends SpecificRecordBase> implements KafkaRecordSerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final OutputTable<T> table;

    public TableRecordSerializer(OutputTable<T> table) {
        this.table = table;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T row, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(Topics.output(table), null, timestamp, key(table, row), AvroWire.encode(row));
    }

    /** The record key of {@code row} in {@code table}'s topic. */
    public static <T extends SpecificRecordBase> byte[] key(OutputTable<T> table, T row) {
        if (!table.upsert()) {
            return PgTable.rowId(row).getBytes(StandardCharsets.UTF_8);
        }
        StringBuilder b = new StringBuilder();
        for (String field : table.keyFields()) {
            Object v = row.get(row.getSchema().getField(field).pos());
            b.append(b.length() == 0 ? "" : "|").append(PgTable.keyText(v));
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
