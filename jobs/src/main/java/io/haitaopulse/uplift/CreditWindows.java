package io.haitaopulse.uplift;

import io.haitaopulse.common.SlidingWindows;
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
        sums = getRuntimeContext().getMapState(new MapStateDescriptor<>("credit-sums", Types.LONG, Types.POJO(CreditSums.class)));
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
            String[] key = ctx.getCurrentKey().split(SEP, -1);
            out.collect(row(Instant.ofEpochMilli(end - windows.size()), Instant.ofEpochMilli(end), key[0], key[1], s));
            sums.remove(end);
        }
        if (sums.isEmpty()) {
            sums.clear();
        }
    }

    abstract T row(Instant start, Instant end, String first, String campaign, CreditSums s);

    /** channel_attribution rows, keyed by channel and campaign. */
    static final class Channels extends CreditWindows<ChannelAttribution> {
        private static final long serialVersionUID = 1L;

        Channels(SlidingWindows tumbling) {
            super(tumbling);
        }

        @Override
        ChannelAttribution row(Instant start, Instant end, String channel, String campaign, CreditSums s) {
            return new ChannelAttribution(start, end, channel, campaign, s.sessions, s.orders, s.gmvCents, s.newUsers,
                    s.referrers.count());
        }
    }

    /** referral_credits rows, keyed by referrer token and campaign. */
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
