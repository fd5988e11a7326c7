package io.haitaopulse.io;

import io.haitaopulse.schema.Campaign;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.Exposure;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.Review;
import io.haitaopulse.schema.internal.Ingested;

/**
 * Event time of an ingested record, in epoch milliseconds: {@code ts} of clicks, orders,
 * exposures and reviews, {@code start_ts} of campaigns (CONTRACTS §2). A dead letter has no event
 * time and reports {@link Long#MIN_VALUE}, which never advances a watermark.
 */
public final class EventTime {

    /** Timestamp reported for records without event time. */
    public static final long NONE = Long.MIN_VALUE;

    private EventTime() {}

    /** Event time of {@code record}, or {@link #NONE}. */
    public static long of(Ingested record) {
        return ofBody(record.getBody());
    }

    /** Event time of an event body (one of the five input types), or {@link #NONE}. */
    public static long ofBody(Object body) {
        if (body instanceof Click c) {
            return c.getTs().toEpochMilli();
        } else if (body instanceof Order o) {
            return o.getTs().toEpochMilli();
        } else if (body instanceof Exposure e) {
            return e.getTs().toEpochMilli();
        } else if (body instanceof Review r) {
            return r.getTs().toEpochMilli();
        } else if (body instanceof Campaign c) {
            return c.getStartTs().toEpochMilli();
        }
        return NONE;
    }
}
