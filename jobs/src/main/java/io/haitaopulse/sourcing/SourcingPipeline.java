package io.haitaopulse.sourcing;

import io.haitaopulse.common.PulseJob;
import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.io.Ingest;
import io.haitaopulse.io.InputExtent;
import io.haitaopulse.io.OutputTable;
import io.haitaopulse.io.TableSinks;
import io.haitaopulse.schema.LateEvent;
import io.haitaopulse.schema.SourcingShortlist;
import io.haitaopulse.schema.internal.Ingested;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The {@code sourcing} job for the direct-sourcing team: per category, at every cadence boundary
 * of event time, the items with high, growing demand and high satisfaction, with a recommended
 * order quantity (sourcing_shortlist, CONTRACTS §3).
 *
 * <pre>
 * sources ─ route ─ split orders per line ─ keyBy(item) ─ ItemSourcing ─ keyBy(category) ─ CategoryShortlist ─ sourcing_shortlist
 * </pre>
 */
public final class SourcingPipeline implements PulseJob {

    /** Job name. */
    public static final String NAME = "sourcing";

    private final SlidingWindows cadence;
    private final int top;
    private final int lookbackDays;
    private final long tzOffset;
    private final SourcingOptions.Freight freight;
    private final double serviceLevel;
    private final int maxCounterfeit;
    private final double maxReturnRate;
    private final double counterfeitWeight;
    private final long maxDelay;

    /** Builds the job from its validated settings. */
    public SourcingPipeline(SourcingSettings settings) {
        long every = settings.cadence().toMillis();
        this.cadence = new SlidingWindows(
                every, every, settings.pulse().allowedLateness().toMillis());
        this.top = settings.pulse().top();
        this.lookbackDays = settings.lookbackDays();
        this.tzOffset = settings.pulse().timezoneOffset().toMillis();
        this.freight = settings.freight();
        this.serviceLevel = settings.orderQuantile();
        this.maxCounterfeit = settings.maxCounterfeit();
        this.maxReturnRate = settings.maxReturnRate();
        this.counterfeitWeight = settings.counterfeitWeight();
        this.maxDelay = settings.pulse().maxDelay().toMillis();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<OutputTable<?>> tables() {
        return List.of(OutputTable.SOURCING_SHORTLIST);
    }

    @Override
    public List<OutputTable<?>> referenceTables() {
        return List.of(OutputTable.ITEMS);
    }

    @Override
    public DataStream<LateEvent> build(DataStream<Ingested> events, boolean byUser, TableSinks sinks) {
        Ingest.Routed routed = Ingest.route(events, ItemSourcing.lateness(cadence), NAME);
        DataStream<Ingested> all = routed.events();
        DataStream<SourcingShortlist> rows = all.flatMap(
                        (Ingested in, org.apache.flink.util.Collector<ItemEvent> out) -> ItemEvent.of(in, out),
                        Types.POJO(ItemEvent.class))
                .name("sourcing-item-facts")
                .uid("sourcing-item-facts")
                .keyBy(e -> e.itemId, Types.LONG)
                .connect(InputExtent.broadcast(all, maxDelay, "sourcing-input-extent"))
                .process(new ItemSourcing(cadence, lookbackDays, tzOffset), Types.POJO(ItemSnapshot.class))
                .name("sourcing-item-stats")
                .uid("sourcing-item-stats")
                .keyBy(s -> s.categoryId, Types.LONG)
                .process(
                        new CategoryShortlist(
                                cadence, top, freight, serviceLevel, maxCounterfeit, maxReturnRate, counterfeitWeight),
                        new AvroTypeInfo<>(SourcingShortlist.class))
                .name("sourcing-shortlist")
                .uid("sourcing-shortlist");
        sinks.write(OutputTable.SOURCING_SHORTLIST, rows);
        return routed.late();
    }
}
