package io.haitaopulse.io;

import java.io.Serializable;

/**
 * The one {@link LatenessRule} of every job, parametrised by what differs between them: which
 * events the job consumes, when one is too late for every result it could change, optionally when
 * it is too late only for some (it is then used for the others and reported too), and the reasons
 * written to late_events. Each test is a pure function of the event and the judging watermark, so
 * the rule is too.
 *
 * <p>Built as {@code EventLateness.of(uses, late, reason)}, with {@link #partlyWhen} for jobs whose
 * events belong to results that become final at different times.
 */
public final class EventLateness implements LatenessRule {

    private static final long serialVersionUID = 1L;

    /** Which event bodies a job consumes. */
    @FunctionalInterface
    public interface Uses extends Serializable {
        boolean test(Object body);
    }

    /** Whether results of an event at {@code ts} are final at {@code watermark}. */
    @FunctionalInterface
    public interface Final extends Serializable {
        boolean test(Object body, long ts, long watermark);
    }

    /** The late_events reason for an event at {@code ts} judged against {@code watermark}. */
    @FunctionalInterface
    public interface Reason extends Serializable {
        String of(long ts, long watermark);
    }

    private final Uses uses;
    private final Final late;
    private final Reason lateReason;
    private final Final partlyLate;
    private final Reason partlyLateReason;

    private EventLateness(Uses uses, Final late, Reason lateReason, Final partlyLate, Reason partlyLateReason) {
        this.uses = uses;
        this.late = late;
        this.lateReason = lateReason;
        this.partlyLate = partlyLate;
        this.partlyLateReason = partlyLateReason;
    }

    /**
     * A rule for the events {@code uses} accepts: {@link Verdict#LATE} (reported with {@code reason})
     * when {@code late} holds, else {@link Verdict#USE}; other events are {@link Verdict#IGNORE}d.
     */
    public static EventLateness of(Uses uses, Final late, Reason reason) {
        return new EventLateness(uses, late, reason, null, null);
    }

    /**
     * This rule, with events that are not late but for which {@code partlyLate} holds judged
     * {@link Verdict#PARTIAL} and reported with {@code reason}.
     */
    public EventLateness partlyWhen(Final partlyLate, Reason reason) {
        return new EventLateness(uses, late, lateReason, partlyLate, reason);
    }

    @Override
    public Verdict judge(Object body, long ts, long watermark) {
        if (!uses.test(body)) {
            return Verdict.IGNORE;
        }
        if (late.test(body, ts, watermark)) {
            return Verdict.LATE;
        }
        return partlyLate != null && partlyLate.test(body, ts, watermark) ? Verdict.PARTIAL : Verdict.USE;
    }

    @Override
    public String lateReason(Object body, long ts, long watermark) {
        boolean wholly = partlyLate == null || late.test(body, ts, watermark);
        return (wholly ? lateReason : partlyLateReason).of(ts, watermark);
    }
}
