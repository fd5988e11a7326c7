package io.haitaopulse.io;

import io.haitaopulse.schema.Campaign;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.Exposure;
import io.haitaopulse.schema.Item;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.Review;
import io.haitaopulse.schema.internal.Ingested;

/**
 * Event time of an ingested record, in epoch milliseconds: {@code ts} of clicks, orders,
 * exposures and reviews, {@code start_ts} of campaigns (CONTRACTS §2). A dead letter has no event
 * time and reports {@link Long#MIN_VALUE}, which never advances a watermark.
 *
 * <p>A catalogue record ({@link Item}) has none either. Its {@code ts} is the time it is valid
 * from: a compacted topic replays a catalogue published years ago, and a scheduled change is
 * dated ahead, so as event time it would hold its input's watermark back or push it ahead of the
 * behaviour it describes. No result is windowed by it, and the newest record per item wins by
 * {@code ts} whatever the watermark, so without an event time it is never late, never moves a
 * watermark, counts as no activity of its input (like a dead letter) and is not judged for clock
 * skew; item lines added anywhere in an input change no other output.
 */
public final class EventTime {

    /** Timestamp reported for records without event time. */
    public static final long NONE = Long.MIN_VALUE;

    private EventTime() {}

    /** Event time of {@code record}, or {@link #NONE}. */
    public static long of(Ingested record) {
        return ofBody(record.getBody());
    }

    /** Event time of an event body (one of the input types), or {@link #NONE} (dead letters, catalogue records). */
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
