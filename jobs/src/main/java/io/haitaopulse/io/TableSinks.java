package io.haitaopulse.io;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Where a pipeline writes its output tables. Pipelines call {@link #write} once per table they
 * produce; replay writes JSON Lines files, the live path Kafka and PostgreSQL, tests whatever
 * they like.
 */
public interface TableSinks {

    /** Attaches a sink for {@code table} to {@code rows}. */
    <T extends SpecificRecordBase> void write(OutputTable<T> table, DataStream<T> rows);
}
