package io.haitaopulse.traffic;

import io.haitaopulse.common.DistinctUsers;
import io.haitaopulse.common.PulseJob;
import io.haitaopulse.common.PulseOptions;
import io.haitaopulse.io.Ingest;
import io.haitaopulse.io.OutputTable;
import io.haitaopulse.io.TableSinks;
import io.haitaopulse.privacy.KAnonymity;
import io.haitaopulse.privacy.PrivacyOptions;
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
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The {@code traffic} job: site traffic (PV and UV per minute and hour, overall and by channel,
 * region and device), the per-category hourly funnel view → cart → order → paid, and unpaid-order
 * timeouts.
 *
 * <pre>
 * source ─ route[traffic] ─ fan out (chained: one hit per segment) ─ keyBy(segment)  ─ TrafficCounter  ─ traffic
 *        ─ route[funnel]  ─ fan out (chained: one hit per stage)   ─ keyBy(category) ─ FunnelCounter   ─ funnel
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

    /** Builds the job from validated options. */
    public TrafficPipeline(Configuration conf) {
        PulseOptions.validate(conf);
        TrafficOptions.validate(conf);
        long lateness = conf.get(PulseOptions.ALLOWED_LATENESS).toMillis();
        this.minute = new TumblingWindow(60_000L, lateness);
        this.hour = new TumblingWindow(3_600_000L, lateness);
        this.exactHourLimit = conf.get(TrafficOptions.EXACT_UV_LIMIT);
        this.timeout = conf.get(TrafficOptions.PAYMENT_TIMEOUT).toMillis();
        this.horizon = conf.get(TrafficOptions.LATE_PAYMENT_HORIZON).toMillis();
        this.k = conf.get(PrivacyOptions.K_ANONYMITY);
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
    public DataStream<LateEvent> build(List<DataStream<Ingested>> events, TableSinks sinks) {
        Ingest.Routed traffic = Ingest.route(events, new TrafficLateness(minute, hour), NAME);
        DataStream<TrafficHit> hits = null;
        for (int i = 0; i < traffic.events().size(); i++) {
            DataStream<Ingested> in = traffic.events().get(i);
            DataStream<TrafficHit> h = in.process(new TrafficFanOut(minute), Types.POJO(TrafficHit.class))
                    .name("traffic-fan-out-" + i)
                    .uid("traffic-fan-out-" + i)
                    .setParallelism(in.getParallelism());
            hits = hits == null ? h : hits.union(h);
        }
        DataStream<Traffic> rows = hits
                .keyBy(TrafficHit::segment, Types.STRING)
                .process(new TrafficCounter(minute, hour, exactHourLimit, new KAnonymity(k)), new AvroTypeInfo<>(Traffic.class))
                .name("traffic-counter")
                .uid("traffic-counter");
        sinks.write(OutputTable.TRAFFIC, rows);

        Ingest.Routed funnel = Ingest.route(events, new FunnelLateness(hour), "funnel");
        DataStream<FunnelHit> stages = null;
        for (int i = 0; i < funnel.events().size(); i++) {
            DataStream<Ingested> in = funnel.events().get(i);
            DataStream<FunnelHit> f = in.process(new FunnelFanOut(), Types.POJO(FunnelHit.class))
                    .name("funnel-fan-out-" + i)
                    .uid("funnel-fan-out-" + i)
                    .setParallelism(in.getParallelism());
            stages = stages == null ? f : stages.union(f);
        }
        DataStream<Funnel> funnelRows = stages
                .keyBy(f -> f.categoryId, Types.LONG)
                .process(new FunnelCounter(hour), new AvroTypeInfo<>(Funnel.class))
                .name("funnel-counter")
                .uid("funnel-counter");
        sinks.write(OutputTable.FUNNEL, funnelRows);

        Ingest.Routed orders = Ingest.route(events, new TimeoutLateness(timeout), "order-timeouts");
        DataStream<OrderTimeout> timeouts = orders.unioned()
                .keyBy(i -> ((Order) i.getBody()).getOrderId(), Types.STRING)
                .process(new PaymentTimeouts(timeout, horizon), new AvroTypeInfo<>(OrderTimeout.class))
                .name("order-timeouts")
                .uid("order-timeouts");
        sinks.write(OutputTable.ORDER_TIMEOUTS, timeouts);
        return traffic.late().union(funnel.late(), orders.late());
    }

    /**
     * One hit per segment of a VIEW click: all, channel, region, device. Chained behind the
     * lateness routing, so it sees the watermark the router judged by and can tell a click whose
     * minute is already final (it then counts in its hour only).
     */
    static final class TrafficFanOut extends ProcessFunction<Ingested, TrafficHit> {
        private static final long serialVersionUID = 1L;
        private final TumblingWindow minute;

        TrafficFanOut(TumblingWindow minute) {
            this.minute = minute;
        }

        @Override
        public void processElement(Ingested in, Context ctx, Collector<TrafficHit> out) {
            Click c = (Click) in.getBody();
            long ts = c.getTs().toEpochMilli();
            long user = DistinctUsers.hash(c.getUserId());
            boolean minuteOpen = !minute.isFinal(ts, ctx.timerService().currentWatermark());
            out.collect(new TrafficHit(ALL, ALL, user, ts, minuteOpen));
            out.collect(new TrafficHit("channel", c.getChannel() == null ? UNKNOWN : c.getChannel().name(), user, ts, minuteOpen));
            out.collect(new TrafficHit("region", orUnknown(c.getRegion()), user, ts, minuteOpen));
            out.collect(new TrafficHit("device", orUnknown(c.getDevice()), user, ts, minuteOpen));
        }

        private static String orUnknown(String s) {
            return s == null || s.isBlank() ? UNKNOWN : s;
        }
    }

    /** One hit per funnel stage an event reaches, per category (a PAID order line reaches order and paid). */
    static final class FunnelFanOut extends ProcessFunction<Ingested, FunnelHit> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processElement(Ingested in, Context ctx, Collector<FunnelHit> out) {
            Object body = in.getBody();
            if (body instanceof Click c) {
                out.collect(new FunnelHit(c.getCategoryId(), c.getAction() == ClickAction.VIEW ? FunnelHit.VIEW : FunnelHit.CART,
                        DistinctUsers.hash(c.getUserId()), c.getTs().toEpochMilli()));
            } else if (body instanceof Order o) {
                long user = DistinctUsers.hash(o.getUserId());
                long ts = o.getTs().toEpochMilli();
                for (OrderLine l : o.getLines()) {
                    out.collect(new FunnelHit(l.getCategoryId(), FunnelHit.ORDER, user, ts));
                    if (o.getStatus() == OrderStatus.PAID) {
                        out.collect(new FunnelHit(l.getCategoryId(), FunnelHit.PAID, user, ts));
                    }
                }
            }
        }
    }
}
