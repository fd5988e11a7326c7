package io.haitaopulse.uplift;

/**
 * One credit to a marketing channel: a session started through it, or a PAID order whose last
 * non-direct touch it was. A Flink POJO.
 */
public class AttributionCredit {
    /** True for an order, false for a session start. */
    public boolean order;

    public String channel;
    /** Campaign of the credited touch, or "". */
    public String campaignId = "";

    public long gmvCents;
    public boolean newUser;
    /** Referrer share token of the credited touch, or null. */
    public String referrerToken;

    public long ts;
    /** The (pseudonymised) user credited, for the k-anonymity of channel rows. */
    public String userId;

    public AttributionCredit() {}

    static AttributionCredit session(String userId, String channel, String campaignId, long ts) {
        AttributionCredit c = new AttributionCredit();
        c.userId = userId;
        c.channel = channel;
        c.campaignId = campaignId;
        c.ts = ts;
        return c;
    }

    static AttributionCredit order(
            String userId, String channel, String campaignId, String token, long gmv, boolean newUser, long ts) {
        AttributionCredit c = session(userId, channel, campaignId, ts);
        c.order = true;
        c.referrerToken = token;
        c.gmvCents = gmv;
        c.newUser = newUser;
        return c;
    }
}
