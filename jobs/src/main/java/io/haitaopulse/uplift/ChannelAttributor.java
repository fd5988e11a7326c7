package io.haitaopulse.uplift;

import io.haitaopulse.io.EventTime;
import io.haitaopulse.io.Ingest;
import io.haitaopulse.schema.Channel;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.OrderStatus;
import io.haitaopulse.schema.internal.Ingested;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Channel attribution per user (the key), in event-time order: a click more than 30 minutes after
 * the user's previous click starts a session, credited to its channel (DIRECT when none); a PAID
 * order is credited to the user's last non-direct touch within the lookback (7 days), or DIRECT;
 * a REFERRAL touch carries the referrer's share token, which is credited too. The first PAID order
 * seen of a user makes a new user. A user silent for the state TTL is forgotten (and would be new
 * again), which bounds state.
 *
 * <p>Events are applied when the watermark reaches them, by a timer at their event time, so that
 * each user's events are applied in event-time order whatever their arrival order. Behind the bot
 * filter ({@code releasedInOrder}) most clicks need no timer: the filter holds every click it can
 * until the watermark reaches it and releases a user's clicks in event-time order just before
 * passing that watermark on; whatever else it passes on arrives at once, on time or behind the
 * watermark. So a click that arrives here ahead of the watermark, on its single input channel from
 * the filter's subtask, was held and released there, and every event of its user at or before its
 * time has arrived already (clicks released before it, the rest passed at once earlier). When none
 * of those is still pending, the click is the next event its timer would apply, and it is applied
 * on arrival; the credits and state are those of the timer, which would fire before the same
 * watermark passes on. Pending events after it (an order passed at once, ahead of the clicks
 * before it) wait for their timers as before.
 */
public final class ChannelAttributor extends KeyedProcessFunction<String, Ingested, AttributionCredit> {

    private static final long serialVersionUID = 1L;
    private static final String DIRECT = Channel.DIRECT.name();

    private final long sessionGap;
    private final long lookback;
    private final long userTtl;
    private final boolean releasedInOrder;
    private transient ListState<Ingested> pending;
    private transient ValueState<UserTouches> touches;

    /** An attributor whose every event waits for its timer, whatever sends the events. */
    ChannelAttributor(long sessionGap, long lookback, long userTtl) {
        this(sessionGap, lookback, userTtl, false);
    }

    /**
     * {@code releasedInOrder}: the events come straight from the bot filter's subtask, through
     * operators that keep each event in its subtask and order ({@link
     * io.haitaopulse.bots.BotFilter.Filtered#byUser}), and clicks it held may be applied on arrival.
     */
    ChannelAttributor(long sessionGap, long lookback, long userTtl, boolean releasedInOrder) {
        this.sessionGap = sessionGap;
        this.lookback = lookback;
        this.userTtl = userTtl;
        this.releasedInOrder = releasedInOrder;
    }

    @Override
    public void open(OpenContext openContext) {
        pending = getRuntimeContext()
                .getListState(new ListStateDescriptor<>("pending", new AvroTypeInfo<>(Ingested.class)));
        touches = getRuntimeContext().getState(new ValueStateDescriptor<>("touches", Types.POJO(UserTouches.class)));
    }

    @Override
    public void processElement(Ingested in, Context ctx, Collector<AttributionCredit> out) throws Exception {
        long ts = EventTime.of(in);
        UserTouches stored = touches.value();
        if (releasedInOrder
                && in.getBody() instanceof Click
                && ts > Ingest.judgingWatermark(in, ctx.timerService().currentWatermark())) {
            UserTouches u = stored == null ? new UserTouches() : stored;
            if (nothingPendingBefore(u, ts)) {
                // Held and released by the bot filter, with nothing of its user pending that its
                // timer would apply before it: applied now, as its timer would (see the class
                // comment).
                apply(u, ctx.getCurrentKey(), in.getBody(), out);
                scheduleForget(u, ts, ctx);
                touches.update(u);
                return;
            }
        }
        pending.add(in);
        ctx.timerService().registerEventTimeTimer(ts);
        // Kept in either mode: state may be restored into a job with the other. A user without
        // touches, or without a known bound, has none to keep: its next released click reads
        // the list.
        if (stored != null && stored.pendingKnown && ts < stored.pendingFrom) {
            stored.pendingFrom = ts;
            touches.update(stored);
        }
    }

    /**
     * Whether every pending event of the current user comes after a click at {@code ts} in the
     * order the timers apply them: later, or an order of the same millisecond (clicks go first).
     * An order passes the bot filter at once, ahead of the user's clicks before it, which it must
     * not hold up. Reads the pending list only when the user's bound {@link
     * UserTouches#pendingFrom} is unknown or does not settle it (most clicks have nothing pending,
     * or only events well after them), and then sets the bound to the earliest pending event.
     */
    private boolean nothingPendingBefore(UserTouches u, long ts) throws Exception {
        if (u.pendingKnown && u.pendingFrom > ts) {
            return true;
        }
        boolean nothingBefore = true;
        long earliest = Long.MAX_VALUE;
        for (Ingested e : pending.get()) {
            long t = EventTime.of(e);
            earliest = Math.min(earliest, t);
            if (t < ts || (t == ts && !(e.getBody() instanceof Order))) {
                nothingBefore = false;
            }
        }
        // Written back by the caller when it applies the click or lowers the bound. Otherwise a
        // backend that hands out copies (RocksDB) keeps the bound unknown, and the list is read
        // again next time: slower, never wrong.
        u.pendingKnown = true;
        u.pendingFrom = earliest;
        return nothingBefore;
    }

    /**
     * One forget timer per user, moved on when it fires ({@link #onTimer}), not one per active
     * millisecond: those would pile up for the whole TTL, O(clicks of 30 days) in state.
     */
    private void scheduleForget(UserTouches u, long now, Context ctx) {
        if (u.forgetAt <= now) {
            u.forgetAt = u.lastActivity + userTtl;
            ctx.timerService().registerEventTimeTimer(u.forgetAt);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AttributionCredit> out) throws Exception {
        UserTouches u = touches.value();
        List<Ingested> due = new ArrayList<>();
        List<Ingested> later = new ArrayList<>();
        // The earliest event left waiting: the user's bound once the due ones are applied.
        long earliestLater = Long.MAX_VALUE;
        for (Ingested i : pending.get()) {
            long t = EventTime.of(i);
            if (t <= timestamp) {
                due.add(i);
            } else {
                later.add(i);
                earliestLater = Math.min(earliestLater, t);
            }
        }
        if (!due.isEmpty()) {
            pending.update(later);
            // Same-millisecond events: clicks before orders, so a touch can credit an order at its own time.
            due.sort(Comparator.comparingLong(EventTime::of).thenComparing(i -> i.getBody() instanceof Order ? 1 : 0));
            if (u == null) {
                u = new UserTouches();
            }
            u.pendingKnown = true;
            u.pendingFrom = earliestLater;
            for (Ingested i : due) {
                apply(u, ctx.getCurrentKey(), i.getBody(), out);
            }
            scheduleForget(u, timestamp, ctx);
            touches.update(u);
            return;
        }
        if (u == null) {
            return;
        }
        long expiry = u.lastActivity + userTtl;
        if (expiry <= timestamp) {
            if (later.isEmpty()) {
                touches.clear();
                pending.clear();
            }
            // Otherwise the pending events' timers come and set the forget timer anew.
        } else if (u.forgetAt <= timestamp) {
            // Active since the forget timer was set: forgotten a TTL after the last activity.
            u.forgetAt = expiry;
            ctx.timerService().registerEventTimeTimer(expiry);
            touches.update(u);
        }
    }

    private void apply(UserTouches u, String user, Object body, Collector<AttributionCredit> out) {
        long ts = EventTime.ofBody(body);
        u.lastActivity = Math.max(u.lastActivity, ts);
        u.dropBefore(ts - lookback);
        if (body instanceof Click c) {
            String channel = c.getChannel() == null ? DIRECT : c.getChannel().name();
            String campaign = c.getCampaignId() == null ? "" : c.getCampaignId();
            if (u.lastClick == Long.MIN_VALUE || ts - u.lastClick > sessionGap) {
                out.collect(AttributionCredit.session(user, channel, campaign, ts));
            }
            u.lastClick = ts;
            if (!DIRECT.equals(channel)) {
                u.addTouch(ts, channel, campaign, c.getReferrerToken());
            }
        } else if (body instanceof Order o && o.getStatus() == OrderStatus.PAID) {
            boolean newUser = !u.ordered;
            u.ordered = true;
            long gmv = UserOutcomes.value(o);
            int t = u.lastAtOrBefore(ts);
            if (t < 0) {
                out.collect(AttributionCredit.order(user, DIRECT, "", null, gmv, newUser, ts));
            } else {
                out.collect(AttributionCredit.order(user, u.channel[t], u.campaign[t], u.token[t], gmv, newUser, ts));
            }
        }
    }
}
