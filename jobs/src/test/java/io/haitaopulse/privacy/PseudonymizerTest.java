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
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    void cachedAndUncachedIdsGetTheHmacsPseudonymWhileTheCacheGrows() throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(
                java.util.Base64.getDecoder().decode(RFC_KEY), "HmacSHA256"));
        java.util.Random random = new java.util.Random(11);
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 60_000; i++) {
            ids.add(
                    switch (random.nextInt(6)) {
                        // Repeats: most lookups hit once the id was seen.
                        case 0, 1 -> "u" + random.nextInt(3_000);
                        // Every id new: the cache grows from 4,096 slots to 65,536.
                        case 2 -> "user-" + i;
                        // Latin-1 beyond ASCII is cached; other characters and long ids are hashed each time.
                        case 3 -> "é" + random.nextInt(500);
                        case 4 -> "用户" + random.nextInt(500);
                        default -> "x".repeat(38 + random.nextInt(5)) + random.nextInt(3);
                    });
        }
        Pseudonymizer p = rfc();
        for (String id : ids) {
            byte[] h = mac.doFinal(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String expected =
                    java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(h, 16));
            assertThat(p.pseudonym(id)).as(id).isEqualTo(expected);
        }
        assertThat(p.pseudonym("")).isEqualTo(rfc().pseudonym(""));
    }

    @Test
    void everyIdentifierOfEveryEventIsReplaced() {
        Pseudonymizer p = rfc();
        Instant t = Instant.ofEpochMilli(1_700_000_000_000L);
        Click click = Click.newBuilder()
                .setEventId("e1")
                .setUserId("u42")
                .setItemId(7L)
                .setCategoryId(3L)
                .setAction(ClickAction.VIEW)
                .setTs(t)
                .setSessionId("s1")
                .setReferrerToken("ref-abc")
                .setRegion("sh")
                .build();
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
        assertThat(click.getReferrerToken())
                .as("share tokens are the shop's own opaque ids")
                .isEqualTo("ref-abc");
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
        Click click = Click.newBuilder()
                .setEventId("ub:1000:7:99:pv")
                .setUserId("1000")
                .setItemId(7L)
                .setCategoryId(3L)
                .setAction(ClickAction.VIEW)
                .setTs(t)
                .setSessionId("s-1000-a")
                .build();
        Order paid = new Order("o-1000-1", "1000", OrderStatus.PAID, t, List.of(), null, null);
        Order returned = new Order("o-1000-1", "1000", OrderStatus.RETURNED, t, List.of(), null, null);
        Review review = new Review(7L, "1000", t, 5, "o-1000-1", null);

        p.apply(click);
        p.apply(paid);
        p.apply(returned);
        p.apply(review);

        assertThat(click.getEventId()).isEqualTo("ub:nYMkqg0jUC4iZiUzmA7cqw:7:99:pv");
        assertThat(click.getSessionId()).isEqualTo("s-nYMkqg0jUC4iZiUzmA7cqw-a");
        assertThat(paid.getOrderId())
                .isEqualTo("o-nYMkqg0jUC4iZiUzmA7cqw-1")
                .isEqualTo(returned.getOrderId())
                .isEqualTo(review.getOrderId());
    }

    @Test
    void deadLetterJsonKeepsEverythingButTheIdentifiers() {
        Pseudonymizer p = rfc();
        assertThat(p.redactJson("{\"type\":\"click\",\"user_id\":\"u42\",\"item_id\":\"x\"}"))
                .isEqualTo("{\"type\":\"click\",\"user_id\":\"vP_L44D7q6V52MtJ1D8lpA\",\"item_id\":\"x\"}");
        assertThat(p.redactJson("{\"type\": \"order\", \"user_id\" : 1000}"))
                .as("a wrong-typed id stays bare")
                .isEqualTo("{\"type\": \"order\", \"user_id\" : nYMkqg0jUC4iZiUzmA7cqw}");
        assertThat(p.redactJson("{\"type\":\"click\",\"user_id\":\"u42"))
                .as("cut off inside the id")
                .isEqualTo("{\"type\":\"click\",\"user_id\":\"vP_L44D7q6V52MtJ1D8lpA");
        assertThat(p.redactJson("{\"user_id\":\"u\\\\\\\"x\",\"referrer_token\":\"ref-abc\"}"))
                .as("escapes are part of the id as written")
                .isEqualTo("{\"user_id\":\"" + p.pseudonym("u\\\\\\\"x") + "\",\"referrer_token\":\"ref-abc\"}");
        assertThat(p.redactJson("not json at all")).isEqualTo("not json at all");
        assertThat(p.redactJson("base64:AAEC")).isEqualTo("base64:AAEC");
    }

    /**
     * The backtracking expression the scanner replaced, kept as the reference for texts small
     * enough for it: an alternation inside a loop recurses once per character of a value, so a
     * long value overflowed the stack.
     */
    private static final Pattern OLD_REGEX =
            Pattern.compile("(\"user_id\"\\s*:\\s*)(?:\"((?:[^\"\\\\]|\\\\.)*)(\"?)|([^,}\\]\\s]+))");

    private static String oldRedaction(Pseudonymizer p, String raw) {
        Matcher m = OLD_REGEX.matcher(raw);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replaced = m.group(2) != null
                    ? m.group(1) + "\"" + p.pseudonym(m.group(2)) + m.group(3)
                    : m.group(1) + p.pseudonym(m.group(4));
            m.appendReplacement(out, Matcher.quoteReplacement(replaced));
        }
        m.appendTail(out);
        return out.toString();
    }

    @Test
    void redactionMatchesTheOldExpressionOnRandomTexts() {
        Pseudonymizer p = rfc();
        // Pieces that make members, near misses, escapes and cut-offs likely; no line breaks
        // (a backslash before one is where the two deliberately differ, see below).
        String[] pieces = {
            "\"user_id\"",
            "\"user_id\":",
            "\"xuser_id\"",
            "\"user_id2\"",
            "\"",
            "\\",
            "\\\"",
            "\\\\",
            ":",
            " ",
            "\t",
            ",",
            "}",
            "]",
            "{",
            "[",
            "u42",
            "1",
            "null",
            "é",
            "\"a\":"
        };
        Random rnd = new Random(4);
        for (int t = 0; t < 20_000; t++) {
            StringBuilder b = new StringBuilder();
            for (int k = rnd.nextInt(25); k > 0; k--) {
                b.append(pieces[rnd.nextInt(pieces.length)]);
            }
            String raw = b.toString();
            assertThat(p.redactJson(raw)).as(raw).isEqualTo(oldRedaction(p, raw));
        }
    }

    @Test
    void aMegabyteOfEscapesInAnIdTakesLinearTimeAndConstantStack() {
        Pseudonymizer p = rfc();
        // Backslash-backslash and backslash-quote pairs: every quote in the value is escaped.
        String id = "\\\\\\\"".repeat(256 * 1024);
        String line = "{\"type\":\"click\",\"user_id\":\"" + id + "\",\"item_id\":1}";
        assertThat(p.redactJson(line))
                .isEqualTo("{\"type\":\"click\",\"user_id\":\"" + p.pseudonym(id) + "\",\"item_id\":1}");

        String cut = "{\"type\":\"click\",\"user_id\":\"" + id;
        assertThat(p.redactJson(cut))
                .as("cut off inside the value")
                .isEqualTo("{\"type\":\"click\",\"user_id\":\"" + p.pseudonym(id));
        assertThat(p.redactJson(cut + "\\"))
                .as("cut off after a lone backslash, which stays")
                .isEqualTo("{\"type\":\"click\",\"user_id\":\"" + p.pseudonym(id) + "\\");

        String quotes = "\"".repeat(1 << 20);
        assertThat(p.redactJson(quotes))
                .as("a megabyte of quotes and no member")
                .isSameAs(quotes);
        String keys = "\"user_id\":".repeat(100_000);
        assertThat(p.redactJson(keys))
                .as("a key followed by a key is a quoted value, cut off")
                .isEqualTo(("\"user_id\":\"" + p.pseudonym("user_id") + "\"" + ":").repeat(50_000));
    }

    @Test
    void membersAreFoundWhereverTheyAreAndNearMissesAreKept() {
        Pseudonymizer p = rfc();
        String u = p.pseudonym("u42");
        assertThat(p.redactJson("{\"a\":{\"user_id\":\"u42\"},\"b\":[{\"user_id\" :\t\"u42\"}]}"))
                .as("nested objects and arrays")
                .isEqualTo("{\"a\":{\"user_id\":\"" + u + "\"},\"b\":[{\"user_id\" :\t\"" + u + "\"}]}");
        assertThat(p.redactJson("{\"user_id\":\"u42\",\"user_id\":\"u42\"}"))
                .as("a repeated member")
                .isEqualTo("{\"user_id\":\"" + u + "\",\"user_id\":\"" + u + "\"}");
        assertThat(p.redactJson("{\"user_id\":true,\"x\":[\"user_id\":null]}"))
                .as("bare literals are values too")
                .isEqualTo("{\"user_id\":" + p.pseudonym("true") + ",\"x\":[\"user_id\":" + p.pseudonym("null") + "]}");
        assertThat(p.redactJson("{\"user_id\":u42}"))
                .as("a bare token up to the brace")
                .isEqualTo("{\"user_id\":" + u + "}");
        assertThat(p.redactJson("{\"a\":\"x\"user_id\":\"u42\"}"))
                .as("a stray quote does not hide the member")
                .isEqualTo("{\"a\":\"x\"user_id\":\"" + u + "\"}");
        for (String kept : new String[] {
            "{\"xuser_id\":\"u42\"}",
            "{\"user_id2\":\"u42\"}",
            "{\"user_ids\":[\"u42\"]}",
            "{\"note\":\"user_id\"}",
            "{\"user_id\":}",
            "{\"user_id\":,\"a\":1}",
            "{\"user_id\" ",
            "{\"user_id\":",
            "{\"note\":\"\\\"user_id\\\":\\\"u42\\\"\"}"
        }) {
            // Other members, no value, or a member quoted inside another string: not a user_id member.
            assertThat(p.redactJson(kept)).as(kept).isSameAs(kept);
        }
    }

    /** Where the scanner deliberately differs from the old expression: both were leaks. */
    @Test
    void escapedKeysAndEscapedLineBreaksCannotHideAnId() {
        Pseudonymizer p = rfc();
        String u = p.pseudonym("u42");
        assertThat(p.redactJson("{\"user\\u005Fid\":\"u42\"}"))
                .as("a JSON parser reads this key as user_id")
                .isEqualTo("{\"user\\u005Fid\":\"" + u + "\"}");
        assertThat(p.redactJson("{\"\\u0075\\u0073\\u0065\\u0072\\u005f\\u0069\\u0064\":\"u42\"}"))
                .isEqualTo("{\"\\u0075\\u0073\\u0065\\u0072\\u005f\\u0069\\u0064\":\"" + u + "\"}");
        // The old expression stopped at a backslash before a line break and left the rest of the id.
        String id = "u4\\\u20282";
        assertThat(p.redactJson("{\"user_id\":\"" + id + "\"}")).isEqualTo("{\"user_id\":\"" + p.pseudonym(id) + "\"}");
        assertThat(oldRedaction(p, "{\"user_id\":\"" + id + "\"}")).contains("\u20282\"");
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

        assertThat(PseudonymKey.resolve(new Configuration(), Map.of(), true).origin())
                .isEqualTo("ephemeral");
        assertThat(PseudonymKey.generate()).as("fresh keys differ").isNotEqualTo(PseudonymKey.generate());
    }

    @Test
    void aMissingShortOrGarbledKeyIsOneClearLine() {
        assertThatThrownBy(() -> PseudonymKey.resolve(new Configuration(), Map.of(), false))
                .hasMessageStartingWith("no pseudonymisation key: set PULSE_PSEUDONYM_KEY or pulse.privacy.key-file");
        assertThatThrownBy(
                        () -> PseudonymKey.resolve(new Configuration(), Map.of(PrivacyOptions.KEY_ENV, "AAAA"), false))
                .hasMessageContaining("has 3 bytes; at least 16");
        assertThatThrownBy(() ->
                        PseudonymKey.resolve(new Configuration(), Map.of(PrivacyOptions.KEY_ENV, "not base64!"), false))
                .hasMessage("the pseudonymisation key from PULSE_PSEUDONYM_KEY is not base64");
        Configuration conf = new Configuration();
        conf.set(PrivacyOptions.KEY_FILE, "/nonexistent/key");
        assertThatThrownBy(() -> PseudonymKey.resolve(conf, Map.of(), true))
                .hasMessageStartingWith("cannot read the pseudonymisation key file /nonexistent/key");
    }

    @Test
    void theKeyNeverAppearsInItsStringForm() {
        PseudonymKey key = new PseudonymKey(java.util.Base64.getDecoder().decode(RFC_KEY), "test");
        assertThat(key.toString())
                .doesNotContain(RFC_KEY)
                .contains(key.id())
                .matches("PseudonymKey\\[id=[0-9a-f]{8}, origin=test]");
    }
}
