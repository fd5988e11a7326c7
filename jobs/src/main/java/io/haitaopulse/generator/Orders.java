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
    /**
     * With exact coupled outcomes: every PAID order and RETURNED line as it happened, with the
     * campaigns whose potential outcomes already account for it, for {@link #settle}.
     */
    private final List<Realised> realised = new ArrayList<>();

    /**
     * A PAID order ({@code returned} false) or RETURNED line of user {@code user} at {@code ts}
     * worth {@code value} cents; bit k of {@code counted} is set when campaign k's potential
     * outcomes hold it (it was bought while the user was exposed, within the campaign).
     */
    private record Realised(int user, long ts, long value, boolean returned, long counted) {}

    /** The multipliers that apply to a purchase: chance to buy, order value, chance to return. */
    private record Effects(double conv, double value, double ret) {}

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
        if (cfg.experiments().active()) {
            checkoutExact(u, basket, active, ts, horizon);
            return;
        }
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

    /**
     * {@link #checkout} with exact coupled outcomes: the purchase draw, and per line the extra-unit
     * draw, the return draw and the return time, are drawn once before anything is decided and
     * evaluated in the realised world and, for every randomised campaign the user is exposed to,
     * in both of its worlds (the other campaigns as realised). What one world buys, returns and
     * pays is then exactly what the events of that world would show.
     */
    private void checkoutExact(int u, List<OrderLine> basket, List<PlantedCampaign> active, long ts, long horizon) {
        long firstCategory = basket.get(0).getCategoryId();
        CategoryDef firstCat = Catalogue.CATEGORIES.get(Catalogue.indexOfCategory(firstCategory));
        double p0 = firstCat.orderRate() * users.buyPropensity(u);
        double uniform = rnd.nextDouble();
        int n = basket.size();
        double[] unitDraw = new double[n];
        double[] returnDraw = new double[n];
        long[] back = new long[n];
        double[] returnRate = new double[n];
        for (int k = 0; k < n; k++) {
            unitDraw[k] = rnd.nextDouble();
            returnDraw[k] = rnd.nextDouble();
            back[k] = ts + HOUR + rnd.nextLong(7 * DAY - HOUR);
            returnRate[k] =
                    catalogue.returnRate[catalogue.indexOfItem(basket.get(k).getItemId())] * users.returnPropensity(u);
        }
        long counted = 0;
        for (PlantedCampaign c : active) {
            if (!c.randomised() || ts > c.end) {
                continue;
            }
            counted |= 1L << c.index;
            for (int arm = 0; arm < 2; arm++) {
                Effects e = effects(u, firstCategory, active, c, arm == 1);
                if (!(uniform < Math.min(0.98, p0 * e.conv()))) {
                    continue;
                }
                long paid = 0;
                long returned = 0;
                for (int k = 0; k < n; k++) {
                    long value = value(basket.get(k), units(basket.get(k), e.value(), unitDraw[k]));
                    paid += value;
                    if (returnDraw[k] < returnRate[k] * e.ret() && back[k] <= c.end) {
                        returned += value;
                    }
                }
                if (arm == 0) {
                    c.conv0[u] = true;
                    c.rev0[u] += paid - returned;
                    c.ret0[u] += returned;
                } else {
                    c.conv1[u] = true;
                    c.rev1[u] += paid - returned;
                    c.ret1[u] += returned;
                }
            }
        }
        Effects real = effects(u, firstCategory, active, null, false);
        if (!(uniform < Math.min(0.98, p0 * real.conv()))) {
            return;
        }
        List<OrderLine> lines = new ArrayList<>();
        long paid = 0;
        for (int k = 0; k < n; k++) {
            OrderLine l = basket.get(k);
            int qty = units(l, real.value(), unitDraw[k]);
            lines.add(new OrderLine(
                    l.getItemId(),
                    l.getCategoryId(),
                    qty,
                    l.getUnitPriceCents(),
                    Math.min(l.getDiscountCents(), qty * l.getUnitPriceCents())));
            paid += value(l, qty);
        }
        String user = users.userId[u];
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
        realised.add(new Realised(u, ts, paid, false, counted));
        for (int k = 0; k < n; k++) {
            OrderLine l = lines.get(k);
            int i = catalogue.indexOfItem(l.getItemId());
            if (returnDraw[k] < returnRate[k] * real.ret() && back[k] < horizon) {
                delivery.emit(
                        back[k],
                        1,
                        new Order(
                                orderId,
                                user,
                                OrderStatus.RETURNED,
                                Instant.ofEpochMilli(back[k]),
                                List.of(l),
                                null,
                                null));
                realised.add(new Realised(u, back[k], value(l, l.getQuantity()), true, counted));
            }
            if (rnd.nextDouble() < 0.3) {
                long at = ts + 2 * HOUR + rnd.nextLong(3 * DAY);
                if (at < horizon) {
                    review(u, i, orderId, at);
                }
            }
        }
    }

    /**
     * The multipliers of the campaigns in {@code active} that apply to user {@code u}'s basket of
     * {@code category}: those the user is treated with, except that {@code toggled} (if not null)
     * counts as treated exactly when {@code treated}. Multiplied in the order of {@code active},
     * so that the realised world and the potential outcome of the realised arm agree to the bit.
     */
    private static Effects effects(
            int u, long category, List<PlantedCampaign> active, PlantedCampaign toggled, boolean treated) {
        double conv = 1.0;
        double value = 1.0;
        double ret = 1.0;
        for (PlantedCampaign c : active) {
            boolean inTarget = c.targetCategory < 0 || category == c.targetCategory;
            boolean applies = c == toggled ? treated : !c.randomised() || c.treated.get(u);
            if (inTarget && applies) {
                conv *= c.convMultiplier;
                value *= c.valueMultiplier;
                ret *= c.returnMultiplier;
            }
        }
        return new Effects(conv, value, ret);
    }

    /** Units of carted line {@code l} bought at order-value multiplier {@code value}: one more with chance 2 × (value − 1). */
    private static int units(OrderLine l, double value, double draw) {
        return value > 1 && draw < (value - 1) * 2 ? l.getQuantity() + 1 : l.getQuantity();
    }

    /** Value in cents of line {@code l} at {@code qty} units: qty × unit price − discount (CONTRACTS §2). */
    private static long value(OrderLine l, int qty) {
        long gross = qty * l.getUnitPriceCents();
        return gross - Math.min(l.getDiscountCents(), gross);
    }

    /**
     * Completes the potential outcomes of exact coupled runs once the run is over: the PAID orders
     * and RETURNED lines within [first exposure, end] of a campaign's exposed user that its
     * potential outcomes do not hold yet (bought before the exposure, or in a session already
     * under way when it came) happened alike in both worlds, so both get them. Afterwards
     * conv, rev and ret of each world are the metrics of CONTRACTS §3 for that world.
     */
    void settle(List<PlantedCampaign> campaigns) {
        for (PlantedCampaign c : campaigns) {
            if (!c.randomised()) {
                continue;
            }
            for (Realised r : realised) {
                if ((r.counted() & 1L << c.index) != 0
                        || !c.exposed.get(r.user())
                        || r.ts() < c.firstExposure[r.user()]
                        || r.ts() > c.end) {
                    continue;
                }
                int u = r.user();
                if (r.returned()) {
                    c.rev0[u] -= r.value();
                    c.rev1[u] -= r.value();
                    c.ret0[u] += r.value();
                    c.ret1[u] += r.value();
                } else {
                    c.conv0[u] = true;
                    c.conv1[u] = true;
                    c.rev0[u] += r.value();
                    c.rev1[u] += r.value();
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
