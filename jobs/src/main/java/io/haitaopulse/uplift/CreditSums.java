package io.haitaopulse.uplift;

import io.haitaopulse.common.DistinctUsers;

/** Credits of one key in one window. A Flink POJO. */
public class CreditSums {
    public long sessions;
    public long orders;
    public long gmvCents;
    public long newUsers;
    /** Distinct referrer tokens credited with an order. */
    public DistinctUsers referrers = new DistinctUsers();
    /** Distinct users credited (sessions and orders): exact below {@link DistinctUsers#EXACT_LIMIT}, where k lives. */
    public DistinctUsers users = new DistinctUsers();

    public CreditSums() {}

    void add(AttributionCredit c) {
        if (c.userId != null) {
            users.add(DistinctUsers.hash(c.userId));
        }
        if (!c.order) {
            sessions++;
            return;
        }
        orders++;
        gmvCents += c.gmvCents;
        if (c.newUser) {
            newUsers++;
        }
        if (c.referrerToken != null) {
            referrers.add(DistinctUsers.hash(c.referrerToken));
        }
    }
}
