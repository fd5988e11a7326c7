package io.haitaopulse.uplift;

import io.haitaopulse.bots.BotFilter;
import io.haitaopulse.common.PulseJob;
import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.io.Ingest;
import io.haitaopulse.io.InputExtent;
import io.haitaopulse.io.OutputTable;
import io.haitaopulse.io.TableSinks;
import io.haitaopulse.privacy.KAnonymity;
import io.haitaopulse.schema.Campaign;
import io.haitaopulse.schema.CampaignDid;
import io.haitaopulse.schema.CampaignUplift;
import io.haitaopulse.schema.ChannelAttribution;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.Exposure;
import io.haitaopulse.schema.LateEvent;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.OrderStatus;
import io.haitaopulse.schema.ReferralCredit;
import io.haitaopulse.schema.internal.Ingested;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The {@code uplift} job for marketing: per campaign, live treatment-versus-hold-out statistics
 * of conversion and revenue per user (campaign_uplift, CONTRACTS §3); and which channels bring
 * sessions, orders and new buyers (channel_attribution, referral_credits).
 *
 * <pre>
 * sources ─ route ─┬─ campaigns ─ broadcast ───────────────┐
 *                  │                                      ▼
 *                  ├─ exposures, orders ─ keyBy(user) ─ UserOutcomes ─┐ changes of a user's contribution
 *                  ├─ campaigns (definitions) ────────────────────────┴─ keyBy(campaign) ─ CampaignScoreboard ─ campaign_uplift, coupon_funnel
 *                  ├─ campaigns without hold-out, PAID orders ─ DidEstimator (one key) ─ campaign_did
 *                  └─ clicks, PAID orders ─ keyBy(user) ─ ChannelAttributor ─┬─ keyBy(channel, campaign) ─ channel_attribution
 *                                                                            └─ keyBy(token, campaign)   ─ referral_credits
 * </pre>
 *
 * <p>Both {@code keyBy(user)} are {@link BotFilter#keyByUser}: behind the bot filter, which is
 * keyed by user already, the user-keyed operators chain to it with no exchange of their own.
 */
public final class UpliftPipeline implements PulseJob {

    /** Job name. */
    public static final String NAME = "uplift";

    private final SlidingWindows slots;
    private final double tauConversion;
    private final double tauRevenue;
    private final long unknownCampaignTtl;
    private final long sessionGap;
    private final long lookback;
    private final long userTtl;
    private final long didPrePeriod;
    private final int k;
    private final long maxDelay;
    private final long cupedLookback;

    /** Builds the job from its validated settings. */
    public UpliftPipeline(UpliftSettings settings) {
        long slide = settings.pulse().slide().toMillis();
        this.slots = new SlidingWindows(
                slide, slide, settings.pulse().allowedLateness().toMillis());
        this.tauConversion = settings.tauConversion();
        this.tauRevenue = settings.tauRevenueCents();
        this.unknownCampaignTtl = settings.unknownCampaignTtl().toMillis();
        this.sessionGap = settings.sessionGap().toMillis();
        this.lookback = settings.attributionLookback().toMillis();
        this.userTtl = settings.attributionUserTtl().toMillis();
        this.didPrePeriod = settings.didPrePeriod().toMillis();
        this.k = settings.privacy().k();
        this.maxDelay = settings.pulse().maxDelay().toMillis();
        this.cupedLookback = settings.cupedLookback().toMillis();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<OutputTable<?>> tables() {
        return List.of(
                OutputTable.CAMPAIGN_UPLIFT,
                OutputTable.COUPON_FUNNEL,
                OutputTable.CAMPAIGN_DID,
                OutputTable.CHANNEL_ATTRIBUTION,
                OutputTable.REFERRAL_CREDITS);
    }

    @Override
    public List<OutputTable<?>> referenceTables() {
        return List.of(OutputTable.CAMPAIGNS);
    }

    @Override
    public DataStream<LateEvent> build(DataStream<Ingested> events, boolean byUser, TableSinks sinks) {
        Ingest.Routed routed = Ingest.route(events, UserOutcomes.lateness(slots), NAME);
        DataStream<Ingested> all = routed.events();
        DataStream<Campaign> campaigns = all.filter(i -> i.getBody() instanceof Campaign)
                .name("uplift-campaigns")
                .uid("uplift-campaigns")
                .map(i -> (Campaign) i.getBody(), new AvroTypeInfo<>(Campaign.class))
                .name("uplift-campaign-definitions")
                .uid("uplift-campaign-definitions");
        BroadcastStream<Campaign> broadcast = campaigns.broadcast(UserOutcomes.CAMPAIGNS);
        DataStream<Ingested> userEvents = all.filter(
                        i -> i.getBody() instanceof Exposure || i.getBody() instanceof Order)
                .name("uplift-user-events")
                .uid("uplift-user-events");
        DataStream<ScoreInput> changes = BotFilter.keyByUser(userEvents, byUser)
                .connect(broadcast)
                .process(
                        new UserOutcomes(slots, unknownCampaignTtl, userTtl, cupedLookback),
                        Types.POJO(ScoreInput.class))
                .name("uplift-user-outcomes")
                .uid("uplift-user-outcomes");
        DataStream<ScoreInput> definitions = campaigns
                .map(
                        c -> ScoreInput.definition(
                                c.getCampaignId(),
                                c.getKind().name(),
                                c.getStartTs().toEpochMilli(),
                                c.getEndTs().toEpochMilli(),
                                c.getHoldoutPct()),
                        Types.POJO(ScoreInput.class))
                .name("uplift-scoreboard-definitions")
                .uid("uplift-scoreboard-definitions");
        BroadcastStream<Long> extent = InputExtent.broadcast(all, maxDelay, "uplift-input-extent");
        SingleOutputStreamOperator<CampaignUplift> rows = changes.union(definitions)
                .keyBy(s -> s.campaignId, Types.STRING)
                .connect(extent)
                .process(
                        new CampaignScoreboard(slots, tauConversion, tauRevenue, new KAnonymity(k)),
                        new AvroTypeInfo<>(CampaignUplift.class))
                .name("uplift-scoreboard")
                .uid("uplift-scoreboard");
        sinks.write(OutputTable.CAMPAIGN_UPLIFT, rows);
        sinks.write(OutputTable.COUPON_FUNNEL, rows.getSideOutput(CampaignScoreboard.COUPON_FUNNEL));

        DataStream<CampaignDid> did = all.filter(i -> (i.getBody() instanceof Campaign c && DidEstimator.applies(c))
                        || (i.getBody() instanceof Order o && o.getStatus() == OrderStatus.PAID))
                .name("did-events")
                .uid("did-events")
                // Orders are a small share of events: one key keeps the per-slot GMV of every category.
                .keyBy(i -> 0, Types.INT)
                .connect(extent)
                .process(new DidEstimator(slots, didPrePeriod), new AvroTypeInfo<>(CampaignDid.class))
                .name("campaign-did")
                .uid("campaign-did");
        sinks.write(OutputTable.CAMPAIGN_DID, did);

        DataStream<Ingested> attributionEvents = all.filter(i -> i.getBody() instanceof Click
                        || (i.getBody() instanceof Order o && o.getStatus() == OrderStatus.PAID))
                .name("attribution-events")
                .uid("attribution-events");
        // Keyed as the bot filter left them, when it did: most events are clicks, and this saves
        // each its second exchange, and most clicks their timer (the filter released them in order).
        DataStream<AttributionCredit> credits = BotFilter.keyByUser(attributionEvents, byUser)
                .process(
                        new ChannelAttributor(sessionGap, lookback, userTtl, byUser),
                        Types.POJO(AttributionCredit.class))
                .name("channel-attributor")
                .uid("channel-attributor");
        DataStream<ChannelAttribution> channels = credits.keyBy(
                        c -> c.channel + CreditWindows.SEP + c.campaignId, Types.STRING)
                .process(
                        new CreditWindows.Channels(slots, new KAnonymity(k)),
                        new AvroTypeInfo<>(ChannelAttribution.class))
                .name("channel-attribution")
                .uid("channel-attribution");
        DataStream<ReferralCredit> referrals = credits.filter(
                        c -> c.order && c.referrerToken != null && "REFERRAL".equals(c.channel))
                .name("referral-orders")
                .uid("referral-orders")
                .keyBy(c -> c.referrerToken + CreditWindows.SEP + c.campaignId, Types.STRING)
                .process(new CreditWindows.Referrals(slots), new AvroTypeInfo<>(ReferralCredit.class))
                .name("referral-credits")
                .uid("referral-credits");
        sinks.write(OutputTable.CHANNEL_ATTRIBUTION, channels);
        sinks.write(OutputTable.REFERRAL_CREDITS, referrals);
        return routed.late();
    }
}
