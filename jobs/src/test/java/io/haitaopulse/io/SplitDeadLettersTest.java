package io.haitaopulse.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.privacy.PseudonymKey;
import io.haitaopulse.privacy.Pseudonymizer;
import io.haitaopulse.privacy.RawRedactor;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.DeadLetter;
import io.haitaopulse.schema.internal.Ingested;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The record boundary of the pseudonymisation stage: a dead letter whose redaction fails is still
 * emitted, with its raw input withheld, and the records after it are processed as usual.
 */
class SplitDeadLettersTest {

    private final Pseudonymizer pseudonyms = new Pseudonymizer(PseudonymKey.generate());

    /**
     * A redactor that recurses once per character, as the backtracking expression that redaction
     * once was did: a long enough raw overflows the stack.
     */
    private static final RawRedactor RECURSIVE = new RawRedactor() {
        private static final long serialVersionUID = 1L;

        @Override
        public String redact(String raw, Pseudonymizer p) {
            return scan(raw, 0) ? p.redactJson(raw) : raw;
        }

        private boolean scan(String raw, int i) {
            return i >= raw.length() || scan(raw, i + 1);
        }
    };

    @Test
    void aDeadLetterWhoseRedactionOverflowsIsEmittedWithItsRawWithheld() throws Exception {
        String huge = "{\"user_id\":\"" + "u".repeat(1 << 20) + "\"}";
        String small = "{\"user_id\":\"u42\",\"rating\":9}";
        Click click = Click.newBuilder()
                .setEventId("e-u42")
                .setUserId("u42")
                .setItemId(1L)
                .setCategoryId(2L)
                .setAction(ClickAction.VIEW)
                .setTs(Instant.ofEpochMilli(5L))
                .build();

        OneInputStreamOperatorTestHarness<Ingested, Ingested> h = ProcessFunctionTestHarnesses.forProcessFunction(
                new Ingest.SplitDeadLetters(pseudonyms, RECURSIVE, "clicks"));
        h.processElement(dead(huge, "not valid JSON", 1L));
        h.processElement(dead(small, "field 'rating' out of range", 2L));
        h.processElement(new StreamRecord<>(ingested(click), 3L));

        List<DeadLetter> dead = h.getSideOutput(Ingest.DEAD_LETTERS).stream()
                .map(StreamRecord::getValue)
                .toList();
        assertThat(dead).hasSize(2);
        assertThat(dead.get(0).getRaw()).isEqualTo("withheld: " + huge.length() + " characters");
        assertThat(dead.get(0).getReason())
                .isEqualTo("not valid JSON; raw withheld: redaction failed: StackOverflowError");
        assertThat(dead.get(0).getSource()).isEqualTo("f.jsonl");
        assertThat(dead.get(1).getRaw())
                .as("the next one is redacted as usual")
                .isEqualTo("{\"user_id\":\"" + pseudonyms.pseudonym("u42") + "\",\"rating\":9}");
        assertThat(h.extractOutputValues()).hasSize(1);
        Click out = (Click) h.extractOutputValues().get(0).getBody();
        assertThat(out.getUserId()).isEqualTo(pseudonyms.pseudonym("u42"));
        assertThat(out.getEventId()).isEqualTo("e-" + pseudonyms.pseudonym("u42"));
        h.close();
    }

    /**
     * One stream with UserBehavior history lines and Kafka records (a backfill of the clicks topic):
     * each dead letter's raw is redacted as its own source's format is.
     */
    @Test
    void deadLettersOfTwoFormatsInOneStreamAreEachRedactedByTheirSource() throws Exception {
        String csv = "987650004,14,1,zz,10200";
        String json = "{\"user_id\":\"u42\",\"rating\":9}";
        RawRedactor bySource = RawRedactor.bySource(
                java.util.Set.of("/h/UserBehavior.csv"), RawRedactor.USER_BEHAVIOR, RawRedactor.JSON);
        OneInputStreamOperatorTestHarness<Ingested, Ingested> h = ProcessFunctionTestHarnesses.forProcessFunction(
                new Ingest.SplitDeadLetters(pseudonyms, bySource, "clicks"));
        h.processElement(dead(csv, "unknown behavior 'zz'", "/h/UserBehavior.csv", 1L));
        h.processElement(dead(json, "not an Avro record", "clicks", 2L));
        assertThat(h.getSideOutput(Ingest.DEAD_LETTERS).stream()
                        .map(r -> r.getValue().getRaw())
                        .toList())
                .containsExactly(
                        pseudonyms.pseudonym("987650004") + ",14,1,zz,10200",
                        "{\"user_id\":\"" + pseudonyms.pseudonym("u42") + "\",\"rating\":9}");
        h.close();
    }

    private static StreamRecord<Ingested> dead(String raw, String reason, long ts) {
        return dead(raw, reason, "f.jsonl", ts);
    }

    private static StreamRecord<Ingested> dead(String raw, String reason, String source, long ts) {
        byte[] b = raw.getBytes(StandardCharsets.UTF_8);
        return new StreamRecord<>(DeadLetters.of(b, 0, b.length, source, reason, 7L), ts);
    }

    /** An event as a source hands it on (whatever other fields Ingested has keep their defaults). */
    private static Ingested ingested(Object body) {
        Ingested i = new Ingested();
        i.setBody(body);
        return i;
    }
}
