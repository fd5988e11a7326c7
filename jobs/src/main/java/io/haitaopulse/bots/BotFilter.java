package io.haitaopulse.bots;

import io.haitaopulse.io.EventTime;
import io.haitaopulse.io.Ingest;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.Exposure;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.Review;
import io.haitaopulse.schema.SuspiciousEvent;
import io.haitaopulse.schema.internal.Ingested;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keeps the clicks of implausible users out of every job, keyed by user id.
 *
 * <p>Rules, judged for every VIEW click over the user's VIEWs in the minute of event time up to
 * and including it, {@code (ts − 1 min, ts]}: {@value #REPEAT_ITEM} (more than
 * {@link BotOptions#MAX_ITEM_VIEWS_PER_MINUTE} of the same item) and {@value #NO_DWELL} (more than
 * {@link BotOptions#MAX_VIEWS_PER_MINUTE} in all, under 2 s per page by default). The click that
 * breaks a rule blacklists its user from its own event time for {@link BotOptions#BLACKLIST}:
 * every click of theirs in that span goes to {@link #SUSPICIOUS} instead of downstream. The views
 * within the limit before it count as usual. Orders, exposures, reviews and campaigns always pass:
 * a paid order is money whoever clicked before it.
 *
 * <p>Verdicts depend on the events, not on their arrival order: a click is held until the
 * watermark reaches its event time, when every on-time click at or before it has arrived, and is
 * released by an event-time timer before the watermark moves on (one per user, at the earliest
 * click held, judging every held click the watermark has reached), so it is exactly as on time
 * downstream as it was at the source and no job's lateness changes; outputs wait for the
 * watermark anyway. A click already behind the watermark, here or at its own source
 * ({@link Ingest#judgingWatermark}), passes at once, checked against the blacklist but not counted
 * (counting it would make later verdicts depend on when it arrived).
 */
public final class BotFilter extends KeyedProcessFunction<String, Ingested, Ingested> {

    private static final long serialVersionUID = 1L;

    /** The trailing window the rules count over, in ms. */
    public static final long MINUTE = 60_000L;
    /** Rule name: too many views of one item in a minute. */
    public static final String REPEAT_ITEM = "repeat-item";
    /** Rule name: too many views in a minute to have looked at any of them. */
    public static final String NO_DWELL = "no-dwell";

    /** Clicks of blacklisted users. */
    public static final OutputTag<SuspiciousEvent> SUSPICIOUS =
            new OutputTag<>("suspicious-events", new AvroTypeInfo<>(SuspiciousEvent.class));

    /** Accumulator name of the clicks held out by {@code rule}. */
    public static String eventsCounter(String rule) {
        return "pulse.suspicious." + rule;
    }

    /** Accumulator name of the users newly blacklisted by {@code rule}. */
    public static String usersCounter(String rule) {
        return "pulse.blacklisted." + rule;
    }

    /**
     * Clean events of every source, and the suspicious clicks (null when the filter is off).
     * {@code byUser}: the events are partitioned by {@link #userOf}, each in the subtask a
     * {@code keyBy} on it would send it to (true when the filter is on).
     */
    public record Filtered(DataStream<Ingested> events, DataStream<SuspiciousEvent> suspicious, boolean byUser) {}

    /**
     * Gathers the events of every source ({@link Ingest#gather}) through one filter with the
     * rules of {@code settings}, keyed by user, so that a user's clicks are judged together whichever
     * input they came from; through a plain rebalance when the filter is off.
     */
    public static Filtered apply(List<DataStream<Ingested>> events, BotSettings settings) {
        if (!settings.enabled()) {
            return new Filtered(Ingest.gather(events), null, false);
        }
        DataStream<Ingested> all = Ingest.union(events);
        SingleOutputStreamOperator<Ingested> out = all.keyBy(BotFilter::userOf, Types.STRING)
                .process(new BotFilter(settings), all.getType())
                .name("bot-filter")
                .uid("bot-filter");
        return new Filtered(Ingest.gathered(out, "all-inputs-filtered"), out.getSideOutput(SUSPICIOUS), true);
    }

    /**
     * {@code events} keyed by {@link #userOf}. When {@code byUser} ({@link Filtered#byUser}), and
     * {@code events} come from the filter's output through operators that keep each event in its
     * subtask (chained, at the filter's parallelism, as every job's route and filters are), every
     * event already is where a {@code keyBy} would send it: the stream is reinterpreted as keyed,
     * so a keyed operator after it chains to the filter's task instead of paying a second exchange
     * (serialisation, network buffers, another task's watermark handling) for every event.
     * Otherwise it is a {@code keyBy}.
     */
    public static KeyedStream<Ingested, String> keyByUser(DataStream<Ingested> events, boolean byUser) {
        return byUser
                ? DataStreamUtils.reinterpretAsKeyedStream(events, BotFilter::userOf, Types.STRING)
                : events.keyBy(BotFilter::userOf, Types.STRING);
    }

    /** The user an event is keyed by: its user id, or "" for events without one (campaigns). */
    public static String userOf(Ingested event) {
        Object body = event.getBody();
        if (body instanceof Click c) {
            return c.getUserId();
        } else if (body instanceof Order o) {
            return o.getUserId();
        } else if (body instanceof Exposure e) {
            return e.getUserId();
        } else if (body instanceof Review r) {
            return r.getUserId();
        }
        return "";
    }

    private static final Comparator<Ingested> BY_EVENT_TIME = Comparator.comparingLong(EventTime::of);

    private final int maxItemViews;
    private final int maxViews;
    private final long blacklistMillis;

    private transient ListState<Ingested> held;
    private transient ValueState<Activity> activity;
    private transient Map<String, LongCounter> counters;
    private transient Map<String, Counter> metrics;

    /** A filter with the rules of {@code settings}. */
    public BotFilter(BotSettings settings) {
        this.maxItemViews = settings.maxItemViewsPerMinute();
        this.maxViews = settings.maxViewsPerMinute();
        this.blacklistMillis = settings.blacklist().toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        held = getRuntimeContext()
                .getListState(new ListStateDescriptor<>("held-clicks", new AvroTypeInfo<>(Ingested.class)));
        activity = getRuntimeContext().getState(new ValueStateDescriptor<>("activity", Types.POJO(Activity.class)));
        counters = new HashMap<>();
        metrics = new HashMap<>();
        for (String rule : List.of(REPEAT_ITEM, NO_DWELL)) {
            counters.put(eventsCounter(rule), getRuntimeContext().getLongCounter(eventsCounter(rule)));
            counters.put(usersCounter(rule), getRuntimeContext().getLongCounter(usersCounter(rule)));
            metrics.put(
                    rule, getRuntimeContext().getMetricGroup().counter("pulse_suspicious_" + rule.replace('-', '_')));
        }
    }

    @Override
    public void processElement(Ingested event, Context ctx, Collector<Ingested> out) throws Exception {
        if (!(event.getBody() instanceof Click)) {
            out.collect(event);
            return;
        }
        long ts = EventTime.of(event);
        // Behind its own source's watermark too: late there, so it must not count here either,
        // or verdicts would depend on how far the other inputs had got.
        long watermark = ctx.timerService().currentWatermark();
        if (ts > Ingest.judgingWatermark(event, watermark)) {
            held.add(event);
            // One wake-up timer per user at the earliest held click, not one per click: the timer
            // judges every click the watermark has reached, so a later click needs none of its own.
            Activity a = activity.value();
            if (a == null) {
                a = new Activity();
            }
            // A pending wake-up is always ahead of the watermark; one that is not (a value restored
            // from state written before the field existed) is none.
            if (ts < a.wakeAt || a.wakeAt <= watermark) {
                a.wakeAt = ts;
                ctx.timerService().registerEventTimeTimer(ts);
                activity.update(a);
            }
        } else {
            release(event, activity.value(), out, ctx);
        }
    }

    /**
     * Judges every held click at or before the watermark being reached, in event-time order, as
     * if each distinct event time had a timer of its own: clicks are grouped by event time, each
     * group first forgets the views that left its trailing minute, then counts its views, then
     * judges its clicks. Forget timers of views and blacklistings due in between would change
     * nothing the groups do not do themselves (a group drops the views before its own minute, and a
     * blacklisting past its end neither holds a click out nor stops a new one), so the outputs are
     * those of one timer per click.
     */
    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<Ingested> out) throws Exception {
        Activity a = activity.value();
        // The watermark being reached, at or past t: every held click up to it is due now.
        long watermark = ctx.timerService().currentWatermark();
        List<Ingested> due = null;
        List<Ingested> later = null;
        long nextWake = Activity.NONE;
        Iterable<Ingested> all = held.get();
        if (all != null) {
            for (Ingested e : all) {
                long ts = EventTime.of(e);
                if (ts <= watermark) {
                    due = due == null ? new ArrayList<>(4) : due;
                    due.add(e);
                } else {
                    later = later == null ? new ArrayList<>() : later;
                    later.add(e);
                    nextWake = Math.min(nextWake, ts);
                }
            }
        }
        long now = t;
        if (due != null) {
            if (later == null) {
                held.clear();
            } else {
                held.update(later);
            }
            if (a == null) {
                a = new Activity();
            }
            if (due.size() > 1) {
                // Stable: clicks with the same event time keep their arrival order.
                due.sort(BY_EVENT_TIME);
            }
            int from = 0;
            while (from < due.size()) {
                long groupTime = EventTime.of(due.get(from));
                int to = from + 1;
                while (to < due.size() && EventTime.of(due.get(to)) == groupTime) {
                    to++;
                }
                judge(due.subList(from, to), groupTime, a, out, ctx);
                now = Math.max(now, groupTime);
                from = to;
            }
        }
        if (a != null) {
            a.dropUpTo(t - MINUTE);
            if (a.size() > 0 && a.viewsForgetAt <= t) {
                // Forgets the views once no click's minute can hold them: one timer per user,
                // moved on to the newest view when it fires, not one per minute of activity.
                // Rounded up to a whole minute. Verdicts never wait for it: each event time's
                // clicks first drop the views outside their own minute.
                a.viewsForgetAt = Math.floorDiv(a.ts[a.end - 1] + 2 * MINUTE - 1, MINUTE) * MINUTE;
                ctx.timerService().registerEventTimeTimer(a.viewsForgetAt);
            }
            if (due != null || a.wakeAt <= watermark) {
                // This timer judged every held click up to the watermark; the next wake-up is the
                // earliest click still held.
                a.wakeAt = nextWake;
                if (nextWake != Activity.NONE) {
                    ctx.timerService().registerEventTimeTimer(nextWake);
                }
            }
            if (a.rule != null) {
                long forget = forgetTime(a.until);
                if (forget <= now) {
                    a.rule = null;
                } else if (a.forgetAt <= now) {
                    // One forget timer per blacklisting, moved on when it fires: a bot breaks the
                    // rule with every click, and a timer per extension would keep one per click for
                    // twice the blacklisting.
                    a.forgetAt = forget;
                    ctx.timerService().registerEventTimeTimer(forget);
                }
            }
            if (a.size() == 0 && a.rule == null && a.wakeAt == Activity.NONE) {
                activity.clear();
            } else {
                activity.update(a);
            }
        }
    }

    /** Counts and judges the clicks of one event time {@code t}, which see each other whatever their arrival order. */
    private void judge(List<Ingested> clicks, long t, Activity a, Collector<Ingested> out, Context ctx) {
        a.dropUpTo(t - MINUTE);
        for (Ingested e : clicks) {
            Click c = (Click) e.getBody();
            if (c.getAction() == ClickAction.VIEW) {
                a.add(t, c.getItemId());
            }
        }
        for (Ingested e : clicks) {
            Click c = (Click) e.getBody();
            String rule =
                    c.getAction() == ClickAction.VIEW ? a.brokenRule(c.getItemId(), maxItemViews, maxViews) : null;
            if (rule != null) {
                if (a.rule == null || a.until <= t) {
                    a.rule = rule;
                    a.from = t;
                    a.until = t + blacklistMillis;
                    counters.get(usersCounter(rule)).add(1L);
                } else {
                    a.until = Math.max(a.until, t + blacklistMillis);
                }
            }
            release(e, a, out, ctx);
        }
    }

    /**
     * A blacklisting is kept for as long again after it ends: a click that arrives behind the
     * watermark (late here, possibly still useful to a job with a long window) still meets it.
     */
    private long forgetTime(long until) {
        return until + blacklistMillis;
    }

    private void release(Ingested event, Activity a, Collector<Ingested> out, Context ctx) {
        long ts = EventTime.of(event);
        if (a != null && a.rule != null && a.from <= ts && ts < a.until) {
            counters.get(eventsCounter(a.rule)).add(1L);
            metrics.get(a.rule).inc();
            ctx.output(
                    SUSPICIOUS,
                    new SuspiciousEvent(
                            event.getBody(), a.rule, Instant.ofEpochMilli(a.from), Instant.ofEpochMilli(a.until)));
        } else {
            out.collect(event);
        }
    }

    /**
     * A user's VIEWs of the last minute of event time (oldest first) and blacklisting (event times
     * [from, until), started by {@code rule}; none while rule is null), in one state so that a
     * click costs one lookup. A Flink POJO.
     */
    public static class Activity {
        public long[] ts = new long[8];
        public long[] items = new long[8];
        public int start;
        public int end;
        public String rule;
        public long from;
        public long until;
        /**
         * When the blacklisting's forget timer fires; at or before the current time when none is set
         * (state written before this field existed restores with none, and its older timers still fire).
         */
        public long forgetAt = Long.MIN_VALUE;
        /**
         * When the wake-up timer of the held clicks fires: the event time of the earliest click held,
         * {@link #NONE} when none is (also in state written before this field existed, whose clicks
         * each still have a timer of their own).
         */
        public long wakeAt = NONE;
        /**
         * When the views' forget timer fires; at or before the current time when none is set (state
         * written before this field existed restores with none, and its older timers still fire).
         */
        public long viewsForgetAt = Long.MIN_VALUE;

        /** {@link #wakeAt} when no click is held. */
        static final long NONE = Long.MAX_VALUE;

        public Activity() {}

        int size() {
            return end - start;
        }

        void add(long t, long item) {
            if (end == ts.length) {
                int n = size();
                long[] nts = new long[Math.max(8, n * 2)];
                long[] nitems = new long[nts.length];
                System.arraycopy(ts, start, nts, 0, n);
                System.arraycopy(items, start, nitems, 0, n);
                ts = nts;
                items = nitems;
                start = 0;
                end = n;
            }
            ts[end] = t;
            items[end++] = item;
        }

        /** Forgets views at or before {@code t}. */
        void dropUpTo(long t) {
            while (start < end && ts[start] <= t) {
                start++;
            }
        }

        /** The rule the views held now break, looking at {@code item}'s count and the total. */
        String brokenRule(long item, int maxItemViews, int maxViews) {
            int same = 0;
            for (int i = start; i < end; i++) {
                if (items[i] == item) {
                    same++;
                }
            }
            if (same > maxItemViews) {
                return REPEAT_ITEM;
            }
            return size() > maxViews ? NO_DWELL : null;
        }
    }
}
