package io.haitaopulse.uplift;

/** What the uplift job remembers of a user beyond open campaigns: first PAID order and last activity. A Flink POJO. */
public class UserHistory {
    public long firstPaid = Long.MAX_VALUE;
    public long lastActivity = Long.MIN_VALUE;

    public UserHistory() {}
}
