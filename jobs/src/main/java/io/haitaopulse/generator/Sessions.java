package io.haitaopulse.generator;

import io.haitaopulse.generator.Catalogue.CategoryDef;
import io.haitaopulse.schema.Arm;
import io.haitaopulse.schema.CampaignKind;
import io.haitaopulse.schema.Channel;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.Exposure;
import io.haitaopulse.schema.OrderLine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One user's session: the channel they come through, the campaigns shown to them on the way in,
 * their views, favourites and carts; a filled basket goes on to {@link Orders#checkout}.
 */
final class Sessions {

    private final SplittableRandom rnd;
    private final Catalogue catalogue;
    private final Users users;
    private final List<PlantedCampaign> campaigns;
    private final Delivery delivery;
    private final Orders orders;

    Sessions(
            SplittableRandom rnd,
            Catalogue catalogue,
            Users users,
            List<PlantedCampaign> campaigns,
            Delivery delivery,
            Orders orders) {
        this.rnd = rnd;
        this.catalogue = catalogue;
        this.users = users;
        this.campaigns = campaigns;
        this.delivery = delivery;
        this.orders = orders;
    }

    /** Simulates a session of user {@code u} starting at {@code t}; nothing it causes happens at or after {@code horizon}. */
    void session(int u, long t, long horizon) {
        String sessionId = "s" + delivery.nextSeq();
        Channel channel = pickChannel();
        String campaignId = null;
        String token = null;
        String user = users.userId[u];
        List<PlantedCampaign> active = new ArrayList<>();
        for (PlantedCampaign c : campaigns) {
            if (t < c.start || t > c.end) {
                continue;
            }
            if (c.randomised()) {
                // Only users who never ordered are shown the new-user pack; once shown, its effect and
                // the potential-outcome accounting follow them whatever they do, so that the coupled
                // outcomes of both worlds stay comparable.
                boolean eligible = c.kind != CampaignKind.NEW_USER_COUPON || (!users.hasOrdered[u] && users.isNew(u));
                if (eligible && !c.exposed.get(u) && rnd.nextDouble() < c.exposureProb) {
                    c.exposed.set(u);
                    c.firstExposure[u] = t;
                    boolean control = PlantedCampaign.assignment(c.id, user) < c.holdout;
                    if (!control) {
                        c.treated.set(u);
                    }
                    delivery.emit(
                            t,
                            3,
                            new Exposure(c.id, user, control ? Arm.CONTROL : Arm.TREATMENT, Instant.ofEpochMilli(t)));
                    if (c.kind == CampaignKind.REFERRAL && !control) {
                        channel = Channel.REFERRAL;
                        String referrer = users.userId[rnd.nextInt(users.size())];
                        token = "ref-" + Long.toString(PlantedCampaign.assignmentHash(c.id, referrer) & 0xffffffL, 36);
                        campaignId = c.id;
                    } else if (c.kind == CampaignKind.SOCIAL && !control) {
                        channel = rnd.nextBoolean() ? Channel.WECHAT : Channel.WEIBO;
                        campaignId = c.id;
                    }
                }
                if (c.exposed.get(u)) {
                    active.add(c);
                }
            } else if (c.targetCategory >= 0) {
                active.add(c);
            }
        }
        int views = 1 + Draws.geometric(rnd, 0.18);
        int affinity = -1;
        long ts = t;
        String region = users.region[u];
        String device = users.device[u];
        List<OrderLine> basket = new ArrayList<>();
        for (int v = 0; v < views && ts < horizon - 10_000; v++) {
            int i = catalogue.pickItem(affinity, ts);
            affinity = catalogue.itemCat[i];
            CategoryDef def = catalogue.category(i);
            long item = catalogue.itemId[i];
            delivery.emit(
                    ts,
                    0,
                    new Click(
                            "e" + delivery.nextSeq(),
                            user,
                            item,
                            def.id(),
                            ClickAction.VIEW,
                            Instant.ofEpochMilli(ts),
                            sessionId,
                            channel,
                            campaignId,
                            token,
                            region,
                            device));
            if (rnd.nextDouble() < 0.03) {
                delivery.emit(
                        ts + 2_000,
                        0,
                        new Click(
                                "e" + delivery.nextSeq(),
                                user,
                                item,
                                def.id(),
                                ClickAction.FAV,
                                Instant.ofEpochMilli(ts + 2_000),
                                sessionId,
                                channel,
                                campaignId,
                                token,
                                region,
                                device));
            }
            double cartRate = def.cartRate() * (catalogue.kindOf[i] == Catalogue.STAR ? 1.6 : 1.0);
            if (rnd.nextDouble() < cartRate) {
                delivery.emit(
                        ts + 5_000,
                        0,
                        new Click(
                                "e" + delivery.nextSeq(),
                                user,
                                item,
                                def.id(),
                                ClickAction.CART,
                                Instant.ofEpochMilli(ts + 5_000),
                                sessionId,
                                channel,
                                campaignId,
                                token,
                                region,
                                device));
                long price = catalogue.price[i];
                int qty = rnd.nextDouble() < users.singleUnitChance(u) ? 1 : 2 + rnd.nextInt(3);
                long discount = rnd.nextDouble() < 0.3 ? price * qty * (5 + rnd.nextInt(16)) / 100 : 0;
                basket.add(new OrderLine(item, def.id(), qty, price, discount));
            }
            ts += 20_000 + rnd.nextLong(100_000);
        }
        if (basket.isEmpty() || ts >= horizon) {
            return;
        }
        orders.checkout(u, basket, active, ts, horizon);
    }

    private Channel pickChannel() {
        double r = rnd.nextDouble();
        if (r < 0.42) {
            return rnd.nextDouble() < 0.5 ? null : Channel.DIRECT;
        } else if (r < 0.64) {
            return Channel.SEARCH;
        } else if (r < 0.80) {
            return Channel.WECHAT;
        } else if (r < 0.88) {
            return Channel.WEIBO;
        } else if (r < 0.95) {
            return Channel.APP_PUSH;
        }
        return Channel.EMAIL;
    }
}
