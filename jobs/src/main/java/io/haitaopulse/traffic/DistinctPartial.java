package io.haitaopulse.traffic;

import io.haitaopulse.common.DistinctUsers;
import java.util.Arrays;

/**
 * A partial count of one group in one window, from one subtask's share of the input: events and
 * the distinct user hashes among them (exact). Counters downstream merge partials of the same
 * group and window, so emitting one early (before a checkpoint barrier) is always correct. The
 * group is {@code segment} for traffic, {@code category} and {@code stage} for the funnel;
 * {@code minuteOpen} is false for views whose minute was final at their source (they count in
 * their hour only). A Flink POJO.
 */
public class DistinctPartial {
    public String segment;
    public long category;
    public int stage;
    public long windowStart;
    public boolean minuteOpen;
    public long events;
    public long[] users;
    public int size;

    public DistinctPartial() {}

    DistinctPartial(String segment, long category, int stage, long windowStart, boolean minuteOpen) {
        this.segment = segment;
        this.category = category;
        this.stage = stage;
        this.windowStart = windowStart;
        this.minuteOpen = minuteOpen;
        this.users = new long[4];
    }

    /** Adds an event of {@code userHash}; {@code seen}, exact, keeps the user list free of duplicates. */
    void add(long userHash, DistinctUsers seen) {
        events++;
        if (seen.add(userHash)) {
            if (size == users.length) {
                users = Arrays.copyOf(users, size * 2);
            }
            users[size++] = userHash;
        }
    }
}
