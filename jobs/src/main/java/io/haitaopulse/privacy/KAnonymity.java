package io.haitaopulse.privacy;

import java.io.Serializable;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;

/**
 * The k-anonymity rule of segment-level outputs: a row that describes at least one but fewer
 * than {@code k} distinct users (pseudonyms) is not published, because a small group's numbers
 * are a few people's behaviour. A row of no user at all (an arm nobody was exposed to yet)
 * discloses nothing and is published, so k = 1 suppresses nothing. Suppressed rows are counted (accumulator {@value #ACCUMULATOR}, metric
 * {@value #METRIC}) so that suppression is visible, never silent.
 *
 * <p>Call {@link #open} from the operator's {@code open}; one instance per operator.
 */
public final class KAnonymity implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Accumulator of suppressed rows (reported at the end of a bounded run). */
    public static final String ACCUMULATOR = "pulse.k-suppressed";
    /** Metric of suppressed rows (operator scope). */
    public static final String METRIC = "pulse_k_suppressed";

    private final int k;
    private transient LongCounter suppressed;
    private transient Counter suppressedMetric;

    public KAnonymity(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        this.k = k;
    }

    /** Registers the counters with the operator's context. */
    public void open(RuntimeContext ctx) {
        suppressed = ctx.getLongCounter(ACCUMULATOR);
        suppressedMetric = ctx.getMetricGroup().counter(METRIC);
    }

    /** True when a row of {@code distinctUsers} may be published; counts it as suppressed otherwise. */
    public boolean publish(long distinctUsers) {
        if (distinctUsers == 0 || distinctUsers >= k) {
            return true;
        }
        suppressed.add(1L);
        suppressedMetric.inc();
        return false;
    }

    /** The threshold. */
    public int k() {
        return k;
    }
}
