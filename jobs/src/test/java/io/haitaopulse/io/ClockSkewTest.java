package io.haitaopulse.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.schema.Campaign;
import io.haitaopulse.schema.CampaignKind;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.DeadLetter;
import io.haitaopulse.schema.internal.Ingested;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The clock-skew rule's limits, exemptions and reasons, at fixed instants. */
class ClockSkewTest {

    private static final long NOW = Instant.parse("2026-11-25T08:00:00Z").toEpochMilli();
    private static final ClockSkew RULE = new ClockSkew(3_600_000L, 7 * 86_400_000L);

    private static Click click(long ts) {
        return Click.newBuilder()
                .setEventId("e")
                .setUserId("u")
                .setItemId(1L)
                .setCategoryId(2L)
                .setAction(ClickAction.VIEW)
                .setTs(Instant.ofEpochMilli(ts))
                .build();
    }

    @Test
    void withinTheLimitsAnEventIsValid() {
        assertThat(RULE.violation(click(NOW + 3_600_000L), NOW, "ref", true)).isNull();
        assertThat(RULE.violation(click(NOW - 7 * 86_400_000L), NOW, "ref", true))
                .isNull();
    }

    @Test
    void beyondThemItIsADeadLetterWithAReadableReason() {
        assertThat(RULE.violation(click(NOW + 3_600_001L), NOW, "its Kafka record timestamp", true))
                .isEqualTo(
                        "clock skew: event time 2026-11-25T09:00:00.001Z is 1.0 hours ahead of its Kafka record timestamp "
                                + "2026-11-25T08:00:00Z (pulse.max-future-skew is 1h)");
        assertThat(RULE.violation(click(9_999_999_999_999L), NOW, "ref", true))
                .startsWith("clock skew: event time 2286-11-20T17:46:39.999Z is 94")
                .contains(" days ahead of ref");
        assertThat(RULE.violation(click(Instant.parse("1990-01-01T00:00:00Z").toEpochMilli()), NOW, "ref", true))
                .isEqualTo(
                        "clock skew: event time 1990-01-01T00:00:00Z is 13477.3 days behind ref 2026-11-25T08:00:00Z "
                                + "(pulse.max-past-skew is 7d)");
    }

    @Test
    void thePastIsCheckedOnlyAgainstAWritersClockAndZeroSwitchesAChecksOff() {
        assertThat(RULE.violation(click(0L), NOW, "the wall clock", false))
                .as("files: last year's events are what replay is for")
                .isNull();
        assertThat(new ClockSkew(0, 0).violation(click(Long.MAX_VALUE - 1), NOW, "ref", true))
                .isNull();
        assertThat(new ClockSkew(0, 1).violation(click(Long.MIN_VALUE + 1), NOW, "ref", true))
                .as("no overflow")
                .contains("behind ref");
        assertThat(RULE.violation(click(NOW + 86_400_000L), -1L, "a record without timestamp", true))
                .isNull();
    }

    @Test
    void campaignsAreAnnouncedAheadOfTheirStart() {
        Campaign next = Campaign.newBuilder()
                .setCampaignId("c")
                .setKind(CampaignKind.FLASH_SALE)
                .setStartTs(Instant.ofEpochMilli(NOW + 30L * 86_400_000L))
                .setEndTs(Instant.ofEpochMilli(NOW + 31L * 86_400_000L))
                .setHoldoutPct(0.1)
                .build();
        assertThat(RULE.violation(next, NOW, "ref", true)).isNull();
    }

    @Test
    void aFileLineFromTheFutureBecomesADeadLetterWithItsBytes() {
        LineParser checked = RULE.checking(new JsonLinesParser());
        byte[] line =
                ("{\"type\":\"click\",\"event_id\":\"e\",\"user_id\":\"u\",\"item_id\":1,\"category_id\":2,\"action\":\"VIEW\","
                                + "\"ts\":9999999999999}")
                        .getBytes(StandardCharsets.UTF_8);
        Ingested i = checked.parse(line, 0, line.length, "f.jsonl", NOW);
        assertThat(i.getBody()).isInstanceOf(DeadLetter.class);
        DeadLetter d = (DeadLetter) i.getBody();
        assertThat(d.getRaw()).isEqualTo(new String(line, StandardCharsets.UTF_8));
        assertThat(d.getReason())
                .startsWith("clock skew: event time 2286-11-20T17:46:39.999Z")
                .contains("ahead of the wall clock at ingest");
        byte[] ok = new String(line, StandardCharsets.UTF_8)
                .replace("9999999999999", Long.toString(NOW))
                .getBytes(StandardCharsets.UTF_8);
        assertThat(checked.parse(ok, 0, ok.length, "f.jsonl", NOW).getBody()).isInstanceOf(Click.class);
    }
}
