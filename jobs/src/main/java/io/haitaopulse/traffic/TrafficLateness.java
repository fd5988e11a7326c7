package io.haitaopulse.traffic;

import io.haitaopulse.io.LatenessRule;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;

/** Lateness of VIEW clicks for the traffic table: minute and hour windows. */
final class TrafficLateness implements LatenessRule {

    private static final long serialVersionUID = 1L;
    private final TumblingWindow minute;
    private final TumblingWindow hour;

    TrafficLateness(TumblingWindow minute, TumblingWindow hour) {
        this.minute = minute;
        this.hour = hour;
    }

    @Override
    public Verdict judge(Object body, long ts, long watermark) {
        if (!(body instanceof Click c) || c.getAction() != ClickAction.VIEW) {
            return Verdict.IGNORE;
        }
        if (hour.isFinal(ts, watermark)) {
            return Verdict.LATE;
        }
        return minute.isFinal(ts, watermark) ? Verdict.PARTIAL : Verdict.USE;
    }

    @Override
    public String lateReason(Object body, long ts, long watermark) {
        if (hour.isFinal(ts, watermark)) {
            return "traffic: event time " + ts + " is behind watermark " + watermark + "; its minute and hour windows are final"
                    + " (allowed lateness " + hour.lateness() + " ms), so it is not counted";
        }
        return "traffic: event time " + ts + " is behind watermark " + watermark + "; its minute window is final, so it counts"
                + " only in its hour";
    }
}
