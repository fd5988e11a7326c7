package io.haitaopulse.uplift;

/** A campaign without hold-out that targets categories, as the diff-in-diff estimator tracks it. A Flink POJO. */
public class DidCampaign {
    public long start;
    public long end;
    /** Sorted target category ids. */
    public long[] targets;

    public long lastEmitted = Long.MIN_VALUE;

    public DidCampaign() {}
}
