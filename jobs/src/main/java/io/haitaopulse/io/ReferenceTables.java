package io.haitaopulse.io;

import io.haitaopulse.schema.Campaign;
import io.haitaopulse.schema.Item;
import io.haitaopulse.schema.internal.Ingested;
import java.util.Collection;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.Collector;

/**
 * The reference tables ({@link OutputTable#reference()}): {@code items}, the newest catalogue
 * record per item by {@code ts}, and {@code campaigns}, the newest definition per campaign by
 * {@code start_ts}; of equal times the later arrival wins ({@link NewestWins}).
 *
 * <p>Built once per graph however many jobs ask for a table, from each source's events right
 * after dead letters are split off: each source's records of the table's type are picked out
 * chained to it (uid {@code <table>-of-<source role>}), then keyed straight to
 * {@code <table>-newest}. No exchange in between reorders them, so a key's records keep their
 * input order and "later arrival" means later in the input. Lateness plays no part: a record is
 * never too late to be the newest.
 */
public final class ReferenceTables {

    private ReferenceTables() {}

    /**
     * Writes those of {@code tables} that are reference tables to {@code sinks}, from
     * {@code events} (one stream per source, after {@link Ingest#splitDeadLetters}) of the
     * sources named {@code roles}, in the same order.
     */
    public static void write(
            List<String> roles,
            List<DataStream<Ingested>> events,
            Collection<OutputTable<?>> tables,
            TableSinks sinks) {
        if (tables.contains(OutputTable.ITEMS)) {
            sinks.write(
                    OutputTable.ITEMS,
                    newest(
                            roles,
                            events,
                            OutputTable.ITEMS,
                            Item::getItemId,
                            Types.LONG,
                            i -> i.getTs().toEpochMilli()));
        }
        if (tables.contains(OutputTable.CAMPAIGNS)) {
            sinks.write(
                    OutputTable.CAMPAIGNS,
                    newest(
                            roles,
                            events,
                            OutputTable.CAMPAIGNS,
                            Campaign::getCampaignId,
                            Types.STRING,
                            c -> c.getStartTs().toEpochMilli()));
        }
    }

    private static <K, T extends SpecificRecordBase> DataStream<T> newest(
            List<String> roles,
            List<DataStream<Ingested>> events,
            OutputTable<T> table,
            KeySelector<T, K> key,
            TypeInformation<K> keyType,
            NewestWins.Version<T> version) {
        AvroTypeInfo<T> type = new AvroTypeInfo<>(table.type());
        DataStream<T> all = null;
        for (int i = 0; i < events.size(); i++) {
            DataStream<Ingested> in = events.get(i);
            String uid = table.name() + "-of-" + roles.get(i);
            DataStream<T> picked = in.flatMap(new Pick<>(table.type()), type)
                    .name(uid)
                    .uid(uid)
                    .setParallelism(in.getParallelism());
            all = all == null ? picked : all.union(picked);
        }
        if (all == null) {
            throw new IllegalArgumentException("a job needs at least one source");
        }
        return all.keyBy(key, keyType)
                .process(new NewestWins<K, T>(version), type)
                .name(table.name() + "-newest")
                .uid(table.name() + "-newest");
    }

    /** The bodies of type {@code T}. */
    private static final class Pick<T> implements FlatMapFunction<Ingested, T> {
        private static final long serialVersionUID = 1L;
        private final Class<T> type;

        Pick(Class<T> type) {
            this.type = type;
        }

        @Override
        public void flatMap(Ingested value, Collector<T> out) {
            if (type.isInstance(value.getBody())) {
                out.collect(type.cast(value.getBody()));
            }
        }
    }
}
