package io.haitaopulse.sourcing;

/** Bookkeeping of one item: its category (once seen), last activity and last snapshot. A Flink POJO. */
public class ItemMeta {
    public long category = Long.MIN_VALUE;
    public long lastActivity = Long.MIN_VALUE;
    public long lastEmitted = Long.MIN_VALUE;

    public ItemMeta() {}
}
