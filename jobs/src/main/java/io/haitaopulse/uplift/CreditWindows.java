package io.haitaopulse.uplift;

import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.privacy.KAnonymity;
import io.haitaopulse.schema.ChannelAttribution;
import io.haitaopulse.schema.ReferralCredit;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Sums attribution credits of one key per tumbling window of the slide and writes one row per
 * window when it is final (end − 1 + allowed lateness), then forgets it.
 *
 * @param <T> row type
 */
public abstract class CreditWindows<T> extends KeyedProcessFunction<String, AttributionCredit, T> {

    private static final long serialVersionUID = 1L;
    /** Separates the parts of a composite key. */
    static final String SEP = "\u0000";

    private final SlidingWindows windows;
    private transient MapState<Long, CreditSums> sums;

    CreditWindows(SlidingWindows tumbling) {
        this.windows = tumbling;
    }

    @Override
    public void open(OpenContext openContext) {
        sums = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("credit-sums", Types.LONG, Types.POJO(CreditSums.class)));
    }

    @Override
    public void processElement(AttributionCredit c, Context ctx, Collector<T> out) throws Exception {
        long end = windows.lastWindowEnd(c.ts);
        CreditSums s = sums.get(end);
        if (s == null) {
            s = new CreditSums();
        }
        s.add(c);
        sums.put(end, s);
        ctx.timerService().registerEventTimeTimer(windows.purgeTime(end));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<T> out) throws Exception {
        long end = timestamp + 1 - windows.allowedLateness();
        CreditSums s = sums.get(end);
        if (s != null) {
            if (publish(s)) {
                String[] key = ctx.getCurrentKey().split(SEP, -1);
                out.collect(
                        row(Instant.ofEpochMilli(end - windows.size()), Instant.ofEpochMilli(end), key[0], key[1], s));
            }
            sums.remove(end);
        }
        if (sums.isEmpty()) {
            sums.clear();
        }
    }

    abstract T row(Instant start, Instant end, String first, String campaign, CreditSums s);

    /** Whether the window's row may be written; every row by default. */
    boolean publish(CreditSums s) {
        return true;
    }

    /**
     * channel_attribution rows, keyed by channel and campaign: a segment of the shop's users, so
     * a row crediting fewer than k distinct users is suppressed ({@link KAnonymity}).
     */
    static final class Channels extends CreditWindows<ChannelAttribution> {
        private static final long serialVersionUID = 1L;
        private final KAnonymity kAnonymity;

        Channels(SlidingWindows tumbling, KAnonymity kAnonymity) {
            super(tumbling);
            this.kAnonymity = kAnonymity;
        }

        @Override
        public void open(OpenContext openContext) {
            super.open(openContext);
            kAnonymity.open(getRuntimeContext());
        }

        @Override
        boolean publish(CreditSums s) {
            return kAnonymity.publish(s.users.count());
        }

        @Override
        ChannelAttribution row(Instant start, Instant end, String channel, String campaign, CreditSums s) {
            return new ChannelAttribution(
                    start, end, channel, campaign, s.sessions, s.orders, s.gmvCents, s.newUsers, s.referrers.count());
        }
    }

    /**
     * referral_credits rows, keyed by referrer token and campaign. Not suppressed: a row is what
     * one referrer is owed, not a segment of users.
     */
    static final class Referrals extends CreditWindows<ReferralCredit> {
        private static final long serialVersionUID = 1L;

        Referrals(SlidingWindows tumbling) {
            super(tumbling);
        }

        @Override
        ReferralCredit row(Instant start, Instant end, String token, String campaign, CreditSums s) {
            return new ReferralCredit(start, end, token, campaign, s.orders, s.gmvCents, s.newUsers);
        }
    }
}
