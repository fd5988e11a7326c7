package io.haitaopulse.uplift;

/** What the uplift job remembers of a user beyond open campaigns: first PAID order and last activity. A Flink POJO. */
public class UserHistory {
    public long firstPaid = Long.MAX_VALUE;
    public long lastActivity = Long.MIN_VALUE;
    /**
     * When the history's forget timer fires; at or before the current time when none is set (state
     * written before this field existed restores with none, and its older timers still fire).
     */
    public long forgetAt = Long.MIN_VALUE;

    public UserHistory() {}
}
