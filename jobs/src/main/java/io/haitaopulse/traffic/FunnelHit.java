package io.haitaopulse.traffic;

/** A user reaching one funnel stage in one category at {@code ts}. A Flink POJO. */
public class FunnelHit {
    public static final int VIEW = 0;
    public static final int CART = 1;
    public static final int ORDER = 2;
    public static final int PAID = 3;

    public long categoryId;
    public int stage;
    public long userHash;
    public long ts;

    public FunnelHit() {}

    FunnelHit(long categoryId, int stage, long userHash, long ts) {
        this.categoryId = categoryId;
        this.stage = stage;
        this.userHash = userHash;
        this.ts = ts;
    }
}
