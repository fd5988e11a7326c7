package io.haitaopulse.common;

import io.haitaopulse.io.OutputTable;
import io.haitaopulse.io.TableSinks;
import io.haitaopulse.schema.LateEvent;
import io.haitaopulse.schema.internal.Ingested;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * One analytics job as a function of its inputs and sinks: the same graph runs in replay (files,
 * MiniCluster or cluster), live (Kafka, PostgreSQL) and tests. Sources arrive with watermarks
 * assigned and dead letters already split off; the caller owns dead_letters and late_events.
 */
public interface PulseJob {

    /** Job name on the command line. */
    String name();

    /** The tables {@link #build} writes through the sinks (late_events and dead_letters excluded). */
    List<OutputTable<?>> tables();

    /**
     * The reference tables ({@link OutputTable#reference()}) the readers of this job's tables need
     * beside them, e.g. item names for item ids. {@link #build} does not write them: the caller
     * builds each once per graph, however many of its jobs ask for it.
     */
    default List<OutputTable<?>> referenceTables() {
        return List.of();
    }

    /**
     * Adds the job to the graph of {@code events} (every source's events, gathered by
     * {@link io.haitaopulse.io.Ingest#gather} or by the bot filter) and writes its tables to
     * {@code sinks}.
     *
     * @param byUser whether {@code events} are partitioned by user, as the bot filter leaves them:
     *     a job that keys by user then keys with {@link io.haitaopulse.bots.BotFilter#keyByUser},
     *     without an exchange of its own
     * @return the events this job found late, for the caller's late_events table
     */
    DataStream<LateEvent> build(DataStream<Ingested> events, boolean byUser, TableSinks sinks);
}
