package io.haitaopulse.uplift;

import io.haitaopulse.io.EventTime;
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
 */
public final class ChannelAttributor extends KeyedProcessFunction<String, Ingested, AttributionCredit> {

    private static final long serialVersionUID = 1L;
    private static final String DIRECT = Channel.DIRECT.name();

    private final long sessionGap;
    private final long lookback;
    private final long userTtl;
    private transient ListState<Ingested> pending;
    private transient ValueState<UserTouches> touches;

    ChannelAttributor(long sessionGap, long lookback, long userTtl) {
        this.sessionGap = sessionGap;
        this.lookback = lookback;
        this.userTtl = userTtl;
    }

    @Override
    public void open(OpenContext openContext) {
        pending = getRuntimeContext()
                .getListState(new ListStateDescriptor<>("pending", new AvroTypeInfo<>(Ingested.class)));
        touches = getRuntimeContext().getState(new ValueStateDescriptor<>("touches", Types.POJO(UserTouches.class)));
    }

    @Override
    public void processElement(Ingested in, Context ctx, Collector<AttributionCredit> out) throws Exception {
        pending.add(in);
        ctx.timerService().registerEventTimeTimer(EventTime.of(in));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AttributionCredit> out) throws Exception {
        UserTouches u = touches.value();
        List<Ingested> due = new ArrayList<>();
        List<Ingested> later = new ArrayList<>();
        for (Ingested i : pending.get()) {
            (EventTime.of(i) <= timestamp ? due : later).add(i);
        }
        if (!due.isEmpty()) {
            pending.update(later);
            // Same-millisecond events: clicks before orders, so a touch can credit an order at its own time.
            due.sort(Comparator.comparingLong(EventTime::of).thenComparing(i -> i.getBody() instanceof Order ? 1 : 0));
            if (u == null) {
                u = new UserTouches();
            }
            for (Ingested i : due) {
                apply(u, ctx.getCurrentKey(), i.getBody(), out);
            }
            // One forget timer per user, moved on when it fires (below), not one per active
            // millisecond: those would pile up for the whole TTL, O(clicks of 30 days) in state.
            if (u.forgetAt <= timestamp) {
                u.forgetAt = u.lastActivity + userTtl;
                ctx.timerService().registerEventTimeTimer(u.forgetAt);
            }
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
