package io.haitaopulse.traffic;

import io.haitaopulse.common.DistinctUsers;
import io.haitaopulse.common.PulseJob;
import io.haitaopulse.io.Ingest;
import io.haitaopulse.io.OutputTable;
import io.haitaopulse.io.TableSinks;
import io.haitaopulse.privacy.KAnonymity;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.Funnel;
import io.haitaopulse.schema.LateEvent;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.OrderLine;
import io.haitaopulse.schema.OrderStatus;
import io.haitaopulse.schema.OrderTimeout;
import io.haitaopulse.schema.Traffic;
import io.haitaopulse.schema.internal.Ingested;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The {@code traffic} job: site traffic (PV and UV per minute and hour, overall and by channel,
 * region and device), the per-category hourly funnel view → cart → order → paid, and unpaid-order
 * timeouts.
 *
 * <pre>
 * source ─ route[traffic] ─ PartialAggregator (chained: PV, users per segment, minute) ─ keyBy(segment)  ─ TrafficCounter ─ traffic
 *        ─ route[funnel]  ─ PartialAggregator (chained: users per category, stage, hour) ─ keyBy(category) ─ FunnelCounter  ─ funnel
 *        ─ route[orders]  ─ keyBy(order_id) ─ PaymentTimeouts ─ order_timeouts
 * </pre>
 */
public final class TrafficPipeline implements PulseJob {

    /** Job name. */
    public static final String NAME = "traffic";
    /** Dimension and value of the overall rows. */
    public static final String ALL = "all";
    /** Value of a segment dimension the click does not carry. */
    public static final String UNKNOWN = "unknown";

    private final TumblingWindow minute;
    private final TumblingWindow hour;
    private final int exactHourLimit;
    private final long timeout;
    private final long horizon;
    private final int k;

    /** Builds the job from its validated settings. */
    public TrafficPipeline(TrafficSettings settings) {
        long lateness = settings.pulse().allowedLateness().toMillis();
        this.minute = new TumblingWindow(60_000L, lateness);
        this.hour = new TumblingWindow(3_600_000L, lateness);
        this.exactHourLimit = settings.exactUvLimit();
        this.timeout = settings.paymentTimeout().toMillis();
        this.horizon = settings.latePaymentHorizon().toMillis();
        this.k = settings.privacy().k();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<OutputTable<?>> tables() {
        return List.of(OutputTable.TRAFFIC, OutputTable.FUNNEL, OutputTable.ORDER_TIMEOUTS);
    }

    @Override
    public DataStream<LateEvent> build(DataStream<Ingested> events, boolean byUser, TableSinks sinks) {
        Ingest.Routed traffic = Ingest.route(events, TrafficCounter.lateness(minute, hour), NAME);
        DataStream<Traffic> rows = partials(traffic, new TrafficHits(minute), minute.size(), "traffic-partials")
                .keyBy(p -> p.segment, Types.STRING)
                .process(
                        new TrafficCounter(minute, hour, exactHourLimit, new KAnonymity(k)),
                        new AvroTypeInfo<>(Traffic.class))
                .name("traffic-counter")
                .uid("traffic-counter");
        sinks.write(OutputTable.TRAFFIC, rows);

        Ingest.Routed funnel = Ingest.route(events, FunnelCounter.lateness(hour), "funnel");
        DataStream<Funnel> funnelRows = partials(funnel, new FunnelHits(hour), hour.size(), "funnel-partials")
                .keyBy(p -> p.category, Types.LONG)
                .process(new FunnelCounter(hour), new AvroTypeInfo<>(Funnel.class))
                .name("funnel-counter")
                .uid("funnel-counter");
        sinks.write(OutputTable.FUNNEL, funnelRows);

        Ingest.Routed orders = Ingest.route(events, PaymentTimeouts.lateness(timeout), "order-timeouts");
        DataStream<OrderTimeout> timeouts = orders.events()
                .keyBy(i -> ((Order) i.getBody()).getOrderId(), Types.STRING)
                .process(new PaymentTimeouts(timeout, horizon), new AvroTypeInfo<>(OrderTimeout.class))
                .name("order-timeouts")
                .uid("order-timeouts");
        sinks.write(OutputTable.ORDER_TIMEOUTS, timeouts);
        return traffic.late().union(funnel.late(), orders.late());
    }

    /** Pre-aggregates {@code routed}, chained to it, into partials of {@code windowSize}. */
    private static DataStream<DistinctPartial> partials(
            Ingest.Routed routed, PartialAggregator.Hits hits, long windowSize, String name) {
        DataStream<Ingested> in = routed.events();
        return in.transform(name, Types.POJO(DistinctPartial.class), new PartialAggregator(hits, windowSize))
                .uid(name)
                .setParallelism(in.getParallelism());
    }

    /**
     * A VIEW click is a hit of each of its segments: all, channel, region, device. The router
     * before it judged against the same watermark, so a click whose minute is already final is
     * told apart here: it counts in its hour only.
     */
    static final class TrafficHits implements PartialAggregator.Hits {
        private static final long serialVersionUID = 1L;
        private final TumblingWindow minute;

        TrafficHits(TumblingWindow minute) {
            this.minute = minute;
        }

        @Override
        public void of(Ingested in, long watermark, PartialAggregator.Sink out) {
            Click c = (Click) in.getBody();
            long ts = c.getTs().toEpochMilli();
            long user = DistinctUsers.hash(c.getUserId());
            long start = minute.start(ts);
            boolean open = !minute.isFinal(ts, watermark);
            out.hit(segment(ALL, ALL), 0L, 0, start, open, user);
            out.hit(
                    segment(
                            "channel",
                            c.getChannel() == null ? UNKNOWN : c.getChannel().name()),
                    0L,
                    0,
                    start,
                    open,
                    user);
            out.hit(segment("region", orUnknown(c.getRegion())), 0L, 0, start, open, user);
            out.hit(segment("device", orUnknown(c.getDevice())), 0L, 0, start, open, user);
        }

        private static String orUnknown(String s) {
            return s == null || s.isBlank() ? UNKNOWN : s;
        }
    }

    /** The counter's key of a traffic segment: dimension and value. */
    static String segment(String dimension, String value) {
        return dimension + '\u0000' + value;
    }

    /** A hit per funnel stage an event reaches, per category (a PAID order line reaches order and paid). */
    static final class FunnelHits implements PartialAggregator.Hits {
        private static final long serialVersionUID = 1L;
        private final TumblingWindow hour;

        FunnelHits(TumblingWindow hour) {
            this.hour = hour;
        }

        @Override
        public void of(Ingested in, long watermark, PartialAggregator.Sink out) {
            Object body = in.getBody();
            if (body instanceof Click c) {
                long ts = c.getTs().toEpochMilli();
                out.hit(
                        null,
                        c.getCategoryId(),
                        c.getAction() == ClickAction.VIEW ? FunnelCounter.VIEW : FunnelCounter.CART,
                        hour.start(ts),
                        true,
                        DistinctUsers.hash(c.getUserId()));
            } else if (body instanceof Order o) {
                long user = DistinctUsers.hash(o.getUserId());
                long start = hour.start(o.getTs().toEpochMilli());
                for (OrderLine l : o.getLines()) {
                    out.hit(null, l.getCategoryId(), FunnelCounter.ORDER, start, true, user);
                    if (o.getStatus() == OrderStatus.PAID) {
                        out.hit(null, l.getCategoryId(), FunnelCounter.PAID, start, true, user);
                    }
                }
            }
        }
    }
}
