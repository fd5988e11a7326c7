package io.haitaopulse.io;

import java.io.Serializable;

/**
 * A job's view of the events it consumes: which it uses at all, and when one is too late to
 * change any result. Implementations are pure functions of the event and the watermark.
 */
public interface LatenessRule extends Serializable {

    /** What a job does with an event. */
    enum Verdict {
        /** The job uses the event. */
        USE,
        /** The job would use it, but every result it could change is final: emit to late_events only. */
        LATE,
        /**
         * Some results it belongs to are final, others are not: the job uses it for the open ones
         * and it is also emitted to late_events, so its missing contribution is never silent.
         */
        PARTIAL,
        /** The job does not consume this kind of event. */
        IGNORE
    }

    /** Judges an event body with event time {@code ts} against {@code watermark}. */
    Verdict judge(Object body, long ts, long watermark);

    /** Reason written to late_events for a {@link Verdict#LATE} or {@link Verdict#PARTIAL} event. */
    String lateReason(Object body, long ts, long watermark);
}
