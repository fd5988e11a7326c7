package io.haitaopulse.traffic;

/**
 * One VIEW click in one traffic segment, on its way to the segment's counter. {@code minuteOpen}
 * is false for a click whose minute window was already final at its source (it still counts in
 * its hour). A Flink POJO.
 */
public class TrafficHit {
    public String dimension;
    public String value;
    public long userHash;
    public long ts;
    public boolean minuteOpen;

    public TrafficHit() {}

    TrafficHit(String dimension, String value, long userHash, long ts, boolean minuteOpen) {
        this.dimension = dimension;
        this.value = value;
        this.userHash = userHash;
        this.ts = ts;
        this.minuteOpen = minuteOpen;
    }

    /** The counter's key: dimension and value. */
    public String segment() {
        return dimension + '\u0000' + value;
    }
}
