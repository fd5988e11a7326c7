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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
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
 * released before that watermark is forwarded (each user's due clicks judged together, in event
 * time order), so it is exactly as on time downstream as it was at the source and no job's
 * lateness changes; outputs wait for the watermark anyway. A click already behind the watermark,
 * here or at its own source ({@link Ingest#judgingWatermark}), passes at once, checked against the
 * blacklist but not counted (counting it would make later verdicts depend on when it arrived).
 *
 * <p>Held clicks wait in one queue per subtask, ordered by event time, not in keyed state with a
 * timer per user: the watermark moves with every event and releases the clicks a few at a time,
 * so the keyed form cost about one timer per click besides a list append, read and clear. The
 * queue is written to the keyed {@code held-clicks} state only when a checkpoint is taken (and
 * that state cleared at the next), so a checkpoint holds every held click under its user, where
 * rescaling moves it, and a restore, from this layout or from the keyed one of earlier versions
 * (whose wake-up timers then fire with nothing to judge), refills the queue from it.
 *
 * <p>Forgetting a user's views and blacklisting is queued per subtask too, by event time, not set
 * as keyed timers: Flink's timer heap spent most of its cost on cache misses (a sift through a
 * heap of one timer per active user, and a de-duplication map per key group) for what is a list of
 * users per minute. The forget times are kept in each user's {@link Activity}, so the queue is
 * not checkpointed: a restore, rescaled or not, rebuilds it from the keyed activity. Keyed
 * event-time timers set by earlier versions still fire and forget as before. A forget is
 * idempotent at its time, so one that fires twice (a timer of an earlier version and the queue's
 * entry rebuilt on restore) changes nothing.
 */
public final class BotFilter extends AbstractStreamOperator<Ingested>
        implements OneInputStreamOperator<Ingested, Ingested>, Triggerable<String, VoidNamespace> {

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
                .transform("bot-filter", all.getType(), new BotFilter(settings))
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

    /** Held clicks in the order they are judged: event time, then arrival. */
    private static final Comparator<Held> QUEUE_ORDER =
            Comparator.<Held>comparingLong(h -> h.ts).thenComparingLong(h -> h.seq);

    /** The name of the held clicks' keyed state, written at checkpoints. */
    static final String HELD_CLICKS = "held-clicks";

    /** The name of the users' keyed activity state. */
    static final String ACTIVITY = "activity";

    /** The timer service's name: that of a keyed process function, whose timers earlier versions set. */
    private static final String TIMERS = "user-timers";

    private final int maxItemViews;
    private final int maxViews;
    private final long blacklistMillis;

    /** The held clicks of each user as of the last checkpoint; read only on restore. */
    private transient ListState<Ingested> held;

    private transient ValueState<Activity> activity;
    private transient Map<String, LongCounter> counters;
    private transient Map<String, Counter> metrics;
    /** Clicks ahead of the watermark, earliest first. */
    private transient PriorityQueue<Held> queue;
    /** Arrival order of the held clicks, the tie-break of equal event times. */
    private transient long arrivals;
    /** Users whose held clicks the last checkpoint wrote to {@link #held}: cleared at the next. */
    private transient List<String> written;

    /**
     * Users whose activity is due to be forgotten at each event time ({@link Activity#viewsForgetAt},
     * {@link Activity#forgetAt}), the earliest first; derived from the activity, not checkpointed.
     */
    private transient TreeMap<Long, List<String>> forgets;
    /** The last list of {@link #forgets} added to: adds mostly go to one minute. */
    private transient List<String> lastForgets;
    /** The time of {@link #lastForgets}; {@code Long.MIN_VALUE} when there is none. */
    private transient long lastForgetTime;

    /** The last watermark received: clicks at or behind it pass at once. */
    private transient long watermark;
    /** The record released clicks are emitted in, reused. */
    private transient StreamRecord<Ingested> released;

    /** A click held until the watermark reaches it. */
    private record Held(long ts, long seq, String user, Ingested event) {}

    /** A filter with the rules of {@code settings}. */
    public BotFilter(BotSettings settings) {
        this.maxItemViews = settings.maxItemViewsPerMinute();
        this.maxViews = settings.maxViewsPerMinute();
        this.blacklistMillis = settings.blacklist().toMillis();
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        held = context.getKeyedStateStore()
                .getListState(new ListStateDescriptor<>(HELD_CLICKS, new AvroTypeInfo<>(Ingested.class)));
        activity =
                context.getKeyedStateStore().getState(new ValueStateDescriptor<>(ACTIVITY, Types.POJO(Activity.class)));
        queue = new PriorityQueue<>(QUEUE_ORDER);
        written = new ArrayList<>();
        watermark = Long.MIN_VALUE;
        // Every user's held clicks back into the queue, in their order, and out of the keyed state,
        // which holds clicks only as of a checkpoint.
        List<String> users = new ArrayList<>();
        // Collected before any state is touched, and closed: RocksDB's key stream holds an iterator.
        try (Stream<Object> keys = getKeyedStateBackend().getKeys(HELD_CLICKS, VoidNamespace.INSTANCE)) {
            keys.forEach(k -> users.add((String) k));
        }
        for (String user : users) {
            setCurrentKey(user);
            Iterable<Ingested> clicks = held.get();
            if (clicks != null) {
                for (Ingested e : clicks) {
                    queue.add(new Held(EventTime.of(e), arrivals++, user, e));
                }
            }
            held.clear();
        }
        forgets = new TreeMap<>();
        lastForgetTime = Long.MIN_VALUE;
        // The forget queue as it stood: every user with activity, at the forget times it records.
        users.clear();
        try (Stream<Object> keys = getKeyedStateBackend().getKeys(ACTIVITY, VoidNamespace.INSTANCE)) {
            keys.forEach(k -> users.add((String) k));
        }
        for (String user : users) {
            setCurrentKey(user);
            Activity a = activity.value();
            if (a == null) {
                continue;
            }
            // Field values of Long.MIN_VALUE: none set, or written before the fields existed, when
            // the keyed timers of that version forget instead.
            if (a.viewsForgetAt != Long.MIN_VALUE) {
                forgetLater(a.viewsForgetAt, user);
            }
            if (a.rule != null && a.forgetAt != Long.MIN_VALUE && a.forgetAt != a.viewsForgetAt) {
                forgetLater(a.forgetAt, user);
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        // Registered so that the keyed timers of earlier versions, restored under this name, fire.
        getInternalTimerService(TIMERS, VoidNamespaceSerializer.INSTANCE, this);
        released = new StreamRecord<>(null);
        counters = new HashMap<>();
        metrics = new HashMap<>();
        for (String rule : List.of(REPEAT_ITEM, NO_DWELL)) {
            counters.put(eventsCounter(rule), getRuntimeContext().getLongCounter(eventsCounter(rule)));
            counters.put(usersCounter(rule), getRuntimeContext().getLongCounter(usersCounter(rule)));
            metrics.put(rule, getMetricGroup().counter("pulse_suspicious_" + rule.replace('-', '_')));
        }
    }

    @Override
    public void processElement(StreamRecord<Ingested> element) throws Exception {
        Ingested event = element.getValue();
        if (!(event.getBody() instanceof Click)) {
            output.collect(element);
            return;
        }
        long ts = EventTime.of(event);
        // Behind its own source's watermark too: late there, so it must not count here either,
        // or verdicts would depend on how far the other inputs had got.
        if (ts > Ingest.judgingWatermark(event, watermark)) {
            queue.add(new Held(ts, arrivals++, (String) getCurrentKey(), event));
        } else {
            Activity a = activity.value();
            if (a != null && a.blacklists(ts)) {
                suspicious(event, ts, a);
            } else {
                output.collect(element);
            }
        }
    }

    /**
     * Releases every held click the watermark reaches, then forgets what is due (queued, then the
     * keyed timers of earlier versions) and forwards the watermark, so no released click is behind
     * it downstream and a late click after it meets the blacklistings as they stand at it.
     */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        long w = mark.getTimestamp();
        if (!queue.isEmpty() && queue.peek().ts() <= w) {
            releaseUpTo(w);
        }
        if (!forgets.isEmpty() && forgets.firstKey() <= w) {
            forgetUpTo(w);
        }
        watermark = Math.max(watermark, w);
        super.processWatermark(mark);
    }

    /**
     * Judges the due clicks user by user, each user's in event-time order, as one timer per user
     * at its earliest due click did in earlier versions: the users' verdicts are independent, so
     * the order among users changes no output.
     */
    private void releaseUpTo(long w) throws Exception {
        Held first = queue.poll();
        if (queue.isEmpty() || queue.peek().ts() > w) {
            // The watermark moves with every event: a release of a single click is common.
            setCurrentKey(first.user());
            judgeDue(List.of(first.event()), first.ts());
            return;
        }
        List<Held> due = new ArrayList<>();
        due.add(first);
        while (!queue.isEmpty() && queue.peek().ts() <= w) {
            due.add(queue.poll());
        }
        for (Map.Entry<String, List<Ingested>> e : byUser(due).entrySet()) {
            setCurrentKey(e.getKey());
            List<Ingested> clicks = e.getValue();
            judgeDue(clicks, EventTime.of(clicks.get(0)));
        }
    }

    /**
     * Judges one user's due clicks, in event-time order (equal times in arrival order), group by
     * group of equal event time: each group first forgets the views that left its trailing
     * minute, then counts its views, then judges its clicks. {@code t} is the earliest.
     */
    private void judgeDue(List<Ingested> due, long t) throws Exception {
        Activity a = activity.value();
        if (a == null) {
            a = new Activity();
        }
        long now = t;
        int from = 0;
        while (from < due.size()) {
            long groupTime = EventTime.of(due.get(from));
            int to = from + 1;
            while (to < due.size() && EventTime.of(due.get(to)) == groupTime) {
                to++;
            }
            judge(due.subList(from, to), groupTime, a);
            now = Math.max(now, groupTime);
            from = to;
        }
        settle(a, t, now);
    }

    /**
     * Forgets what is due at every queued time up to {@code w}, earliest first, as the keyed timers
     * of earlier versions fired: after the clicks that watermark releases, before it is forwarded.
     */
    private void forgetUpTo(long w) throws Exception {
        while (!forgets.isEmpty() && forgets.firstKey() <= w) {
            Map.Entry<Long, List<String>> due = forgets.pollFirstEntry();
            if (due.getValue() == lastForgets) {
                lastForgets = null;
                lastForgetTime = Long.MIN_VALUE;
            }
            long t = due.getKey();
            // A forget queues the next one at a later time, so this list is complete.
            for (String user : due.getValue()) {
                setCurrentKey(user);
                Activity a = activity.value();
                if (a != null) {
                    settle(a, t, t);
                }
            }
        }
    }

    /** Queues the current user's activity to be forgotten at {@code t}. */
    private void forgetLater(long t, String user) {
        if (t != lastForgetTime) {
            lastForgets = forgets.computeIfAbsent(t, k -> new ArrayList<>());
            lastForgetTime = t;
        }
        lastForgets.add(user);
    }

    /** Forgets queued and not yet due: for tests. */
    int pendingForgets() {
        int n = 0;
        for (List<String> users : forgets.values()) {
            n += users.size();
        }
        return n;
    }

    /**
     * A keyed timer of an earlier version. A forget timer drops what is due. A wake-up timer (one
     * per user whose clicks it held) finds them released already: the queue, refilled on restore,
     * releases every click the watermark reaches before the timers fire.
     */
    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        Activity a = activity.value();
        if (a != null) {
            settle(a, timer.getTimestamp(), timer.getTimestamp());
        }
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
        // No processing-time timers are set.
    }

    /**
     * Forgets what is due at {@code t}, queues the forgets still needed, and writes the activity
     * back (or clears it once nothing is left). Verdicts never wait for the forgets:
     * each event time's clicks first drop the views outside their own minute, and a blacklisting
     * past its end neither holds a click out nor stops a new one.
     */
    private void settle(Activity a, long t, long now) throws Exception {
        a.dropUpTo(t - MINUTE);
        if (a.size() > 0 && a.viewsForgetAt <= t) {
            // Forgets the views once no click's minute can hold them: one queued forget per user,
            // moved on to the newest view when it is due, not one per minute of activity.
            // Rounded up to a whole minute.
            a.viewsForgetAt = Math.floorDiv(a.ts[a.end - 1] + 2 * MINUTE - 1, MINUTE) * MINUTE;
            forgetLater(a.viewsForgetAt, (String) getCurrentKey());
        }
        if (a.rule != null) {
            long forget = forgetTime(a.until);
            if (forget <= now) {
                a.rule = null;
            } else if (a.forgetAt <= now) {
                // One queued forget per blacklisting, moved on when it is due: a bot breaks the
                // rule with every click, and a forget per extension would keep one per click for
                // twice the blacklisting.
                a.forgetAt = forget;
                forgetLater(forget, (String) getCurrentKey());
            }
        }
        if (a.size() == 0 && a.rule == null) {
            activity.clear();
        } else {
            activity.update(a);
        }
    }

    /**
     * Writes the held clicks to the keyed {@link #HELD_CLICKS} state under their users, in the
     * queue's order, before the keyed state is snapshotted; the users written at the checkpoint
     * before are cleared first, so the state holds exactly the clicks held now.
     */
    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        for (String user : written) {
            setCurrentKey(user);
            held.clear();
        }
        written.clear();
        if (queue.isEmpty()) {
            return;
        }
        List<Held> all = new ArrayList<>(queue);
        all.sort(QUEUE_ORDER);
        for (Map.Entry<String, List<Ingested>> e : byUser(all).entrySet()) {
            setCurrentKey(e.getKey());
            held.update(e.getValue());
            written.add(e.getKey());
        }
    }

    /**
     * Held clicks in queue order, grouped by user: users in the order of their first click, each
     * user's in queue order.
     */
    private static Map<String, List<Ingested>> byUser(List<Held> inQueueOrder) {
        Map<String, List<Ingested>> byUser = new LinkedHashMap<>();
        for (Held h : inQueueOrder) {
            byUser.computeIfAbsent(h.user(), u -> new ArrayList<>(2)).add(h.event());
        }
        return byUser;
    }

    /** Counts and judges the clicks of one event time {@code t}, which see each other whatever their arrival order. */
    private void judge(List<Ingested> clicks, long t, Activity a) {
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
            if (a.blacklists(t)) {
                suspicious(e, t, a);
            } else {
                output.collect(released.replace(e, t));
            }
        }
    }

    /**
     * A blacklisting is kept for as long again after it ends: a click that arrives behind the
     * watermark (late here, possibly still useful to a job with a long window) still meets it.
     */
    private long forgetTime(long until) {
        return until + blacklistMillis;
    }

    /** Sends a click of a blacklisted user to {@link #SUSPICIOUS} and counts it under its rule. */
    private void suspicious(Ingested event, long ts, Activity a) {
        counters.get(eventsCounter(a.rule)).add(1L);
        metrics.get(a.rule).inc();
        output.collect(
                SUSPICIOUS,
                new StreamRecord<>(
                        new SuspiciousEvent(
                                event.getBody(), a.rule, Instant.ofEpochMilli(a.from), Instant.ofEpochMilli(a.until)),
                        ts));
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
         * When the blacklisting's queued forget is due; at or before the current time when none is
         * queued (state written before this field existed restores with none, and the keyed timers
         * of its version still fire). A restore queues the forget again from it.
         */
        public long forgetAt = Long.MIN_VALUE;
        /**
         * When the views' queued forget is due; at or before the current time when none is queued
         * (state written before this field existed restores with none, and the keyed timers of its
         * version still fire). A restore queues the forget again from it.
         */
        public long viewsForgetAt = Long.MIN_VALUE;

        public Activity() {}

        int size() {
            return end - start;
        }

        /** Whether a click at {@code ts} falls in the blacklisting. */
        boolean blacklists(long ts) {
            return rule != null && from <= ts && ts < until;
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
