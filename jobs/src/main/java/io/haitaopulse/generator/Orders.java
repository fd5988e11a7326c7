package io.haitaopulse.generator;

import static io.haitaopulse.generator.Times.DAY;
import static io.haitaopulse.generator.Times.HOUR;

import io.haitaopulse.generator.Catalogue.CategoryDef;
import io.haitaopulse.schema.CampaignKind;
import io.haitaopulse.schema.Complaint;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.OrderLine;
import io.haitaopulse.schema.OrderStatus;
import io.haitaopulse.schema.Review;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What follows a filled basket: bought or not (raised by the campaigns a user is treated with),
 * the potential outcomes of both arms of every randomised campaign, checked out and never paid,
 * then per PAID line a return within 7 days and a review within 3.
 */
final class Orders {

    private final SimulatorConfig cfg;
    private final SplittableRandom rnd;
    private final SplittableRandom extra;
    private final Catalogue catalogue;
    private final Users users;
    private final Delivery delivery;
    private final List<String> unpaidOrders = new ArrayList<>();
    private long createdOrders;

    Orders(
            SimulatorConfig cfg,
            SplittableRandom rnd,
            SplittableRandom extra,
            Catalogue catalogue,
            Users users,
            Delivery delivery) {
        this.cfg = cfg;
        this.rnd = rnd;
        this.extra = extra;
        this.catalogue = catalogue;
        this.users = users;
        this.delivery = delivery;
    }

    /** Ids of the orders CREATED and never paid, in creation order. */
    List<String> unpaidOrders() {
        return unpaidOrders;
    }

    /** Orders CREATED (paid later or never); 0 unless unpaid orders are planted. */
    long createdOrders() {
        return createdOrders;
    }

    /**
     * User {@code u} checks out {@code basket} at {@code ts}, with the {@code active} campaigns of
     * the session; nothing that follows happens at or after {@code horizon}.
     */
    void checkout(int u, List<OrderLine> basket, List<PlantedCampaign> active, long ts, long horizon) {
        // Buy the basket or not: the category's order rate, raised for treated users by their campaigns.
        CategoryDef firstCat =
                Catalogue.CATEGORIES.get(Catalogue.indexOfCategory(basket.get(0).getCategoryId()));
        double p0 = firstCat.orderRate();
        double uniform = rnd.nextDouble();
        double multiplier = 1.0;
        double valueMultiplier = 1.0;
        for (PlantedCampaign c : active) {
            boolean inTarget = c.targetCategory < 0 || basket.get(0).getCategoryId() == c.targetCategory;
            if (inTarget && (!c.randomised() || c.treated.get(u))) {
                multiplier *= c.convMultiplier;
                valueMultiplier *= c.valueMultiplier;
            }
        }
        boolean buys = uniform < Math.min(0.98, p0 * multiplier);
        List<OrderLine> lines = new ArrayList<>();
        for (OrderLine l : basket) {
            int qty = valueMultiplier > 1 && rnd.nextDouble() < (valueMultiplier - 1) * 2
                    ? l.getQuantity() + 1
                    : l.getQuantity();
            lines.add(new OrderLine(
                    l.getItemId(),
                    l.getCategoryId(),
                    qty,
                    l.getUnitPriceCents(),
                    Math.min(l.getDiscountCents(), qty * l.getUnitPriceCents())));
        }
        long baseValue = 0;
        for (OrderLine l : basket) {
            long gross = l.getQuantity() * l.getUnitPriceCents();
            baseValue += gross - Math.min(l.getDiscountCents(), gross);
        }
        // Potential outcomes for every randomised campaign the user is exposed to (coupled draws).
        for (PlantedCampaign c : active) {
            if (!c.randomised() || ts > c.end) {
                continue;
            }
            double others = multiplier / (c.treated.get(u) ? c.convMultiplier : 1.0);
            double otherValue = valueMultiplier / (c.treated.get(u) ? c.valueMultiplier : 1.0);
            boolean b0 = uniform < Math.min(0.98, p0 * others);
            boolean b1 = uniform < Math.min(0.98, p0 * others * c.convMultiplier);
            c.conv0[u] |= b0;
            c.conv1[u] |= b1;
            c.rev0[u] += b0 ? Math.round(baseValue * otherValue) : 0;
            c.rev1[u] += b1 ? Math.round(baseValue * otherValue * c.valueMultiplier) : 0;
        }
        String user = users.userId[u];
        if (!buys) {
            if (cfg.unpaidShare() > 0 && extra.nextDouble() < cfg.unpaidShare()) {
                // Checked out and never paid: what order_timeouts must find.
                String unpaid = "n" + delivery.nextExtraSeq();
                delivery.emitExtra(
                        ts,
                        1,
                        new Order(unpaid, user, OrderStatus.CREATED, Instant.ofEpochMilli(ts), lines, null, null));
                unpaidOrders.add(unpaid);
                createdOrders++;
            }
            return;
        }
        String orderId = "o" + delivery.nextSeq();
        String orderCampaign = null;
        String coupon = null;
        for (PlantedCampaign c : active) {
            if (c.kind == CampaignKind.NEW_USER_COUPON && c.treated.get(u)) {
                orderCampaign = c.id;
                coupon = "NEWBIE-" + (1 + rnd.nextInt(3)) * 10;
            }
        }
        users.hasOrdered[u] = true;
        if (cfg.unpaidShare() > 0) {
            // Placed 10 s to 3 min before it was paid, well within the payment timeout.
            long placed = ts - 10_000 - extra.nextLong(170_001);
            delivery.emitExtra(
                    placed,
                    1,
                    new Order(
                            orderId,
                            user,
                            OrderStatus.CREATED,
                            Instant.ofEpochMilli(placed),
                            lines,
                            orderCampaign,
                            coupon));
            createdOrders++;
        }
        delivery.emit(
                ts,
                1,
                new Order(orderId, user, OrderStatus.PAID, Instant.ofEpochMilli(ts), lines, orderCampaign, coupon));
        for (OrderLine l : lines) {
            int i = catalogue.indexOfItem(l.getItemId());
            if (rnd.nextDouble() < catalogue.returnRate[i]) {
                long back = ts + HOUR + rnd.nextLong(7 * DAY - HOUR);
                if (back < horizon) {
                    delivery.emit(
                            back,
                            1,
                            new Order(
                                    orderId,
                                    user,
                                    OrderStatus.RETURNED,
                                    Instant.ofEpochMilli(back),
                                    List.of(l),
                                    null,
                                    null));
                }
            }
            if (rnd.nextDouble() < 0.3) {
                long at = ts + 2 * HOUR + rnd.nextLong(3 * DAY);
                if (at < horizon) {
                    review(u, i, orderId, at);
                }
            }
        }
    }

    /** User {@code u} reviews item {@code i} of {@code orderId} at {@code at}: bad items badly, stars well. */
    private void review(int u, int i, String orderId, long at) {
        int rating;
        Complaint complaint = null;
        if (catalogue.kindOf[i] == Catalogue.BAD) {
            rating = 1 + rnd.nextInt(3);
            if (rnd.nextDouble() < 0.4) {
                complaint = Complaint.COUNTERFEIT;
            }
        } else {
            double mean = catalogue.kindOf[i] == Catalogue.STAR ? 4.8 : 4.3;
            rating = (int) Math.max(1, Math.min(5, Math.round(mean + 0.8 * Draws.gaussian(rnd))));
            if (rnd.nextDouble() < 0.03) {
                complaint = Complaint.values()[1 + rnd.nextInt(Complaint.values().length - 1)];
            }
        }
        delivery.emit(
                at,
                4,
                new Review(catalogue.itemId[i], users.userId[u], Instant.ofEpochMilli(at), rating, orderId, complaint));
    }
}
