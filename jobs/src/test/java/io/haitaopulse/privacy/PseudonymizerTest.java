package io.haitaopulse.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haitaopulse.schema.Arm;
import io.haitaopulse.schema.Campaign;
import io.haitaopulse.schema.CampaignKind;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.Exposure;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.OrderStatus;
import io.haitaopulse.schema.Review;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pseudonyms against an independent HMAC reference (RFC 4231 test case 1's key; expected values
 * computed with Python's hmac module), redaction of dead-letter text, and where keys come from.
 */
class PseudonymizerTest {

    /** RFC 4231 test case 1: twenty 0x0b bytes. */
    private static final String RFC_KEY = "CwsLCwsLCwsLCwsLCwsLCwsLCws=";

    private static Pseudonymizer rfc() {
        return new Pseudonymizer(new PseudonymKey(java.util.Base64.getDecoder().decode(RFC_KEY), "test"));
    }

    @Test
    void pseudonymIsTheFirst128BitsOfHmacSha256InBase64Url() {
        // HMAC-SHA256(key, "Hi There") = b0344c61d8db38535ca8afceaf0bf12b 881dc2… (RFC 4231 4.2)
        assertThat(rfc().pseudonym("Hi There")).isEqualTo("sDRMYdjbOFNcqK_OrwvxKw");
        assertThat(rfc().pseudonym("u42")).isEqualTo("vP_L44D7q6V52MtJ1D8lpA").hasSize(Pseudonymizer.LENGTH);
        assertThat(rfc().pseudonym(null)).isNull();
    }

    @Test
    void anotherKeyGivesUnrelatedPseudonyms() {
        Pseudonymizer other = new Pseudonymizer(new PseudonymKey(new byte[32], "zeros"));
        assertThat(other.pseudonym("u42")).isNotEqualTo(rfc().pseudonym("u42"));
    }

    @Test
    void pseudonymsStayTheSameWhenTheCacheIsCleared() {
        Pseudonymizer p = rfc();
        String first = p.pseudonym("u42");
        for (int i = 0; i < 70_000; i++) {
            p.pseudonym("user-" + i);
        }
        assertThat(p.pseudonym("u42")).isEqualTo(first).isEqualTo("vP_L44D7q6V52MtJ1D8lpA");
    }

    @Test
    void everyIdentifierOfEveryEventIsReplaced() {
        Pseudonymizer p = rfc();
        Instant t = Instant.ofEpochMilli(1_700_000_000_000L);
        Click click = Click.newBuilder().setEventId("e1").setUserId("u42").setItemId(7L).setCategoryId(3L)
                .setAction(ClickAction.VIEW).setTs(t).setSessionId("s1").setReferrerToken("ref-abc").setRegion("sh").build();
        Order order = new Order("o1", "1000", OrderStatus.PAID, t, List.of(), null, null);
        Exposure exposure = new Exposure("c1", "u42", Arm.TREATMENT, t);
        Review review = new Review(7L, "u42", t, 5, null, null);
        Campaign campaign = new Campaign("c1", CampaignKind.FLASH_SALE, t, t, 0.1, null, null, "u42 sale");

        p.apply(click);
        p.apply(order);
        p.apply(exposure);
        p.apply(review);
        p.apply(campaign);

        assertThat(click.getUserId()).isEqualTo("vP_L44D7q6V52MtJ1D8lpA");
        assertThat(click.getReferrerToken()).as("share tokens are the shop's own opaque ids").isEqualTo("ref-abc");
        assertThat(click.getSessionId()).isEqualTo("s1");
        assertThat(order.getUserId()).isEqualTo("nYMkqg0jUC4iZiUzmA7cqw");
        assertThat(exposure.getUserId()).isEqualTo("vP_L44D7q6V52MtJ1D8lpA");
        assertThat(review.getUserId()).isEqualTo("vP_L44D7q6V52MtJ1D8lpA");
        assertThat(campaign.getName()).as("campaigns carry no identifier").isEqualTo("u42 sale");
    }

    @Test
    void idsBuiltFromAUserIdLoseItToo() {
        Pseudonymizer p = rfc();
        Instant t = Instant.ofEpochMilli(1_700_000_000_000L);
        Click click = Click.newBuilder().setEventId("ub:1000:7:99:pv").setUserId("1000").setItemId(7L).setCategoryId(3L)
                .setAction(ClickAction.VIEW).setTs(t).setSessionId("s-1000-a").build();
        Order paid = new Order("o-1000-1", "1000", OrderStatus.PAID, t, List.of(), null, null);
        Order returned = new Order("o-1000-1", "1000", OrderStatus.RETURNED, t, List.of(), null, null);
        Review review = new Review(7L, "1000", t, 5, "o-1000-1", null);

        p.apply(click);
        p.apply(paid);
        p.apply(returned);
        p.apply(review);

        assertThat(click.getEventId()).isEqualTo("ub:nYMkqg0jUC4iZiUzmA7cqw:7:99:pv");
        assertThat(click.getSessionId()).isEqualTo("s-nYMkqg0jUC4iZiUzmA7cqw-a");
        assertThat(paid.getOrderId()).isEqualTo("o-nYMkqg0jUC4iZiUzmA7cqw-1").isEqualTo(returned.getOrderId())
                .isEqualTo(review.getOrderId());
    }

    @Test
    void deadLetterJsonKeepsEverythingButTheIdentifiers() {
        Pseudonymizer p = rfc();
        assertThat(p.redactJson("{\"type\":\"click\",\"user_id\":\"u42\",\"item_id\":\"x\"}"))
                .isEqualTo("{\"type\":\"click\",\"user_id\":\"vP_L44D7q6V52MtJ1D8lpA\",\"item_id\":\"x\"}");
        assertThat(p.redactJson("{\"type\": \"order\", \"user_id\" : 1000}"))
                .as("a wrong-typed id stays bare").isEqualTo("{\"type\": \"order\", \"user_id\" : nYMkqg0jUC4iZiUzmA7cqw}");
        assertThat(p.redactJson("{\"type\":\"click\",\"user_id\":\"u42"))
                .as("cut off inside the id").isEqualTo("{\"type\":\"click\",\"user_id\":\"vP_L44D7q6V52MtJ1D8lpA");
        assertThat(p.redactJson("{\"user_id\":\"u\\\\\\\"x\",\"referrer_token\":\"ref-abc\"}"))
                .as("escapes are part of the id as written")
                .isEqualTo("{\"user_id\":\"" + p.pseudonym("u\\\\\\\"x") + "\",\"referrer_token\":\"ref-abc\"}");
        assertThat(p.redactJson("not json at all")).isEqualTo("not json at all");
        assertThat(p.redactJson("base64:AAEC")).isEqualTo("base64:AAEC");
    }

    @Test
    void deadLetterCsvLosesItsFirstField() {
        Pseudonymizer p = rfc();
        assertThat(p.redactUserBehavior("1000,2,3,pv,abc")).isEqualTo("nYMkqg0jUC4iZiUzmA7cqw,2,3,pv,abc");
        assertThat(p.redactUserBehavior("garbage")).isEqualTo("garbage");
    }

    @Test
    void keysComeFromTheOptionTheFileOrTheEnvironmentInThatOrder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("key");
        Files.writeString(file, "AAAAAAAAAAAAAAAAAAAAAA==\n");
        Configuration conf = new Configuration();
        Map<String, String> env = Map.of(PrivacyOptions.KEY_ENV, RFC_KEY);

        assertThat(PseudonymKey.resolve(conf, env, false).origin()).isEqualTo("environment PULSE_PSEUDONYM_KEY");
        conf.set(PrivacyOptions.KEY_FILE, file.toString());
        PseudonymKey fromFile = PseudonymKey.resolve(conf, env, false);
        assertThat(fromFile.origin()).isEqualTo("key file " + file);
        assertThat(fromFile.bytes()).isEqualTo(new byte[16]);
        conf.set(PrivacyOptions.PSEUDONYM_SECRET, RFC_KEY);
        assertThat(PseudonymKey.resolve(conf, env, false).bytes()).hasSize(20);

        assertThat(PseudonymKey.resolve(new Configuration(), Map.of(), true).origin()).isEqualTo("ephemeral");
        assertThat(PseudonymKey.generate()).as("fresh keys differ").isNotEqualTo(PseudonymKey.generate());
    }

    @Test
    void aMissingShortOrGarbledKeyIsOneClearLine() {
        assertThatThrownBy(() -> PseudonymKey.resolve(new Configuration(), Map.of(), false))
                .hasMessageStartingWith("no pseudonymisation key: set PULSE_PSEUDONYM_KEY or pulse.privacy.key-file");
        assertThatThrownBy(() -> PseudonymKey.resolve(new Configuration(), Map.of(PrivacyOptions.KEY_ENV, "AAAA"), false))
                .hasMessageContaining("has 3 bytes; at least 16");
        assertThatThrownBy(() -> PseudonymKey.resolve(new Configuration(), Map.of(PrivacyOptions.KEY_ENV, "not base64!"), false))
                .hasMessage("the pseudonymisation key from PULSE_PSEUDONYM_KEY is not base64");
        Configuration conf = new Configuration();
        conf.set(PrivacyOptions.KEY_FILE, "/nonexistent/key");
        assertThatThrownBy(() -> PseudonymKey.resolve(conf, Map.of(), true))
                .hasMessageStartingWith("cannot read the pseudonymisation key file /nonexistent/key");
    }

    @Test
    void theKeyNeverAppearsInItsStringForm() {
        PseudonymKey key = new PseudonymKey(java.util.Base64.getDecoder().decode(RFC_KEY), "test");
        assertThat(key.toString()).doesNotContain(RFC_KEY).contains(key.id()).matches("PseudonymKey\\[id=[0-9a-f]{8}, origin=test]");
    }
}
