package io.haitaopulse.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.io.LatenessRule.Verdict;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

/**
 * The parametrised rule: events it does not use are ignored, late ones are LATE with the late
 * reason, partly late ones PARTIAL with theirs, and the rule survives Java serialisation (Flink
 * ships it inside the routing function). Here "late" means more than 100 ms behind the watermark,
 * "partly late" more than 10 ms, and only strings are used.
 */
class EventLatenessTest {

    private static final EventLateness RULE = EventLateness.of(
                    body -> body instanceof String,
                    (body, ts, watermark) -> ts + 100 < watermark,
                    (ts, watermark) -> "late " + ts + " at " + watermark)
            .partlyWhen(
                    (body, ts, watermark) -> ts + 10 < watermark,
                    (ts, watermark) -> "partly " + ts + " at " + watermark);

    @Test
    void judgesByWhatTheJobUsesThenByHowFarBehindTheEventIs() {
        assertThat(RULE.judge(42, 0, 1_000)).isEqualTo(Verdict.IGNORE);
        assertThat(RULE.judge("e", 1_000, 1_005)).isEqualTo(Verdict.USE);
        assertThat(RULE.judge("e", 1_000, 1_050)).isEqualTo(Verdict.PARTIAL);
        assertThat(RULE.judge("e", 1_000, 1_200)).isEqualTo(Verdict.LATE);
    }

    @Test
    void eachVerdictHasItsOwnReason() {
        assertThat(RULE.lateReason("e", 1_000, 1_050)).isEqualTo("partly 1000 at 1050");
        assertThat(RULE.lateReason("e", 1_000, 1_200)).isEqualTo("late 1000 at 1200");
    }

    @Test
    void withoutAPartialTestAnEventIsEitherUsedOrLate() {
        EventLateness wholeOnly = EventLateness.of(
                body -> true, (body, ts, watermark) -> ts + 100 < watermark, (ts, watermark) -> "late");
        assertThat(wholeOnly.judge("e", 1_000, 1_050)).isEqualTo(Verdict.USE);
        assertThat(wholeOnly.judge("e", 1_000, 1_200)).isEqualTo(Verdict.LATE);
        assertThat(wholeOnly.lateReason("e", 1_000, 1_200)).isEqualTo("late");
    }

    @Test
    void survivesJavaSerialisation() throws Exception {
        LatenessRule copy = InstantiationUtil.clone((LatenessRule) RULE);
        assertThat(copy.judge("e", 1_000, 1_050)).isEqualTo(Verdict.PARTIAL);
        assertThat(copy.lateReason("e", 1_000, 1_200)).isEqualTo("late 1000 at 1200");
    }
}
