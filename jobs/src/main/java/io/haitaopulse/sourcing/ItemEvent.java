package io.haitaopulse.sourcing;

import io.haitaopulse.common.DistinctUsers;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.Complaint;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.OrderLine;
import io.haitaopulse.schema.OrderStatus;
import io.haitaopulse.schema.Review;
import io.haitaopulse.schema.internal.Ingested;
import org.apache.flink.util.Collector;

/**
 * One item-level fact for sourcing: a view, a PAID or RETURNED order line, or a review. Orders
 * are split per line so that the stream can be keyed by item. A Flink POJO.
 */
public class ItemEvent {
    static final int VIEW = 0;
    static final int PAID = 1;
    static final int RETURNED = 2;
    static final int REVIEW = 3;

    public long itemId;
    /** Category, or {@link Long#MIN_VALUE} when the fact does not carry one (reviews). */
    public long categoryId = Long.MIN_VALUE;

    public long ts;
    public int kind;
    public long userHash;
    public long units;
    public long valueCents;
    public int rating;
    public boolean complaint;
    public boolean counterfeit;

    public ItemEvent() {}

    /** The item facts of one ingested event (none for events sourcing does not use). */
    static void of(Ingested in, Collector<ItemEvent> out) {
        Object body = in.getBody();
        if (body instanceof Click c && c.getAction() == ClickAction.VIEW) {
            ItemEvent e = new ItemEvent();
            e.itemId = c.getItemId();
            e.categoryId = c.getCategoryId();
            e.ts = c.getTs().toEpochMilli();
            e.kind = VIEW;
            e.userHash = DistinctUsers.hash(c.getUserId());
            out.collect(e);
        } else if (body instanceof Order o
                && (o.getStatus() == OrderStatus.PAID || o.getStatus() == OrderStatus.RETURNED)) {
            for (OrderLine l : o.getLines()) {
                ItemEvent e = new ItemEvent();
                e.itemId = l.getItemId();
                e.categoryId = l.getCategoryId();
                e.ts = o.getTs().toEpochMilli();
                e.kind = o.getStatus() == OrderStatus.PAID ? PAID : RETURNED;
                e.units = l.getQuantity();
                e.valueCents = l.getQuantity() * l.getUnitPriceCents() - l.getDiscountCents();
                out.collect(e);
            }
        } else if (body instanceof Review r) {
            ItemEvent e = new ItemEvent();
            e.itemId = r.getItemId();
            e.ts = r.getTs().toEpochMilli();
            e.kind = REVIEW;
            e.rating = r.getRating();
            e.complaint = r.getComplaint() != null;
            e.counterfeit = r.getComplaint() == Complaint.COUNTERFEIT;
            out.collect(e);
        }
    }

    /** Adds this fact to its day in {@code days}. */
    void addTo(ItemDays days, long day) {
        int i = days.at(day);
        switch (kind) {
            case VIEW -> {
                days.views[i]++;
                days.viewers[i].add(userHash);
            }
            case PAID -> {
                days.orders[i]++;
                days.units[i] += units;
                days.revenue[i] += valueCents;
            }
            case RETURNED -> days.returned[i] += units;
            default -> {
                days.ratingSum[i] += rating;
                days.ratings[i]++;
                days.complaints[i] += complaint ? 1 : 0;
                days.counterfeit[i] += counterfeit ? 1 : 0;
            }
        }
    }
}
