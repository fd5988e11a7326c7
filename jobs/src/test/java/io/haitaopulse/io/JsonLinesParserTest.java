package io.haitaopulse.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.schema.Arm;
import io.haitaopulse.schema.Campaign;
import io.haitaopulse.schema.CampaignKind;
import io.haitaopulse.schema.Channel;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.Complaint;
import io.haitaopulse.schema.DeadLetter;
import io.haitaopulse.schema.Exposure;
import io.haitaopulse.schema.Item;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.OrderLine;
import io.haitaopulse.schema.OrderStatus;
import io.haitaopulse.schema.Review;
import io.haitaopulse.schema.internal.Ingested;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonLinesParserTest {

    private static final long INGEST = 1_700_000_000_000L;
    private static final Instant T = Instant.ofEpochMilli(1_511_658_000_000L);

    private final JsonLinesParser parser = new JsonLinesParser();

    private Object parse(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        Ingested i = parser.parse(b, 0, b.length, "in.jsonl", INGEST);
        return i == null ? null : i.getBody();
    }

    @Test
    void parsesAClickWithEveryField() {
        Object body =
                parse("{\"type\":\"click\",\"event_id\":\"e1\",\"user_id\":\"u1\",\"item_id\":42,\"category_id\":7,"
                        + "\"action\":\"VIEW\",\"ts\":1511658000000,\"session_id\":\"s\",\"channel\":\"WECHAT\",\"campaign_id\":\"c\","
                        + "\"referrer_token\":\"r\",\"region\":\"shanghai\",\"unknown_extra\":[1,2]}");
        assertThat(body)
                .isEqualTo(new Click(
                        "e1", "u1", 42L, 7L, ClickAction.VIEW, T, "s", Channel.WECHAT, "c", "r", "shanghai", null));
    }

    @Test
    void optionalFieldsMayBeAbsentOrNull() {
        Object body =
                parse("{\"type\":\"click\",\"event_id\":\"e1\",\"user_id\":\"u1\",\"item_id\":42,\"category_id\":7,"
                        + "\"action\":\"CART\",\"ts\":1511658000000,\"channel\":null}");
        assertThat(body)
                .isEqualTo(new Click("e1", "u1", 42L, 7L, ClickAction.CART, T, null, null, null, null, null, null));
    }

    @Test
    void parsesAnOrderAndDefaultsTheDiscount() {
        Object body = parse(
                "{\"type\":\"order\",\"order_id\":\"o1\",\"user_id\":\"u1\",\"status\":\"RETURNED\",\"ts\":1511658000000,"
                        + "\"lines\":[{\"item_id\":1,\"category_id\":2,\"quantity\":3,\"unit_price_cents\":1990},"
                        + "{\"item_id\":4,\"category_id\":2,\"quantity\":1,\"unit_price_cents\":500,\"discount_cents\":50}],\"coupon_id\":\"cp\"}");
        assertThat(body)
                .isEqualTo(new Order(
                        "o1",
                        "u1",
                        OrderStatus.RETURNED,
                        T,
                        List.of(new OrderLine(1L, 2L, 3, 1990L, 0L), new OrderLine(4L, 2L, 1, 500L, 50L)),
                        null,
                        "cp"));
    }

    @Test
    void parsesCampaignExposureAndReview() {
        assertThat(
                        parse(
                                "{\"type\":\"campaign\",\"campaign_id\":\"c1\",\"kind\":\"NEW_USER_COUPON\",\"start_ts\":1511658000000,"
                                        + "\"end_ts\":1511658000000,\"holdout_pct\":0,\"target_item_ids\":[5,6],\"name\":\"新人礼包\"}"))
                .isEqualTo(new Campaign("c1", CampaignKind.NEW_USER_COUPON, T, T, 0.0, null, List.of(5L, 6L), "新人礼包"));
        assertThat(
                        parse(
                                "{\"type\":\"exposure\",\"campaign_id\":\"c1\",\"user_id\":\"u1\",\"arm\":\"CONTROL\",\"ts\":1511658000000}"))
                .isEqualTo(new Exposure("c1", "u1", Arm.CONTROL, T));
        assertThat(parse("{\"type\":\"review\",\"item_id\":9,\"user_id\":\"u1\",\"ts\":1511658000000,\"rating\":1,"
                        + "\"complaint\":\"COUNTERFEIT\"}"))
                .isEqualTo(new Review(9L, "u1", T, 1, null, Complaint.COUNTERFEIT));
    }

    @Test
    void parsesACatalogueRecordWithEveryFieldAndWithOnlyTheRequiredOnes() {
        assertThat(parse("{\"type\":\"item\",\"item_id\":10100001,\"category_id\":101,"
                        + "\"name\":\"Meiji Step formula 800 g\",\"ts\":1511658000000,"
                        + "\"category_name\":\"Infant formula / 婴儿奶粉\",\"brand\":\"Meiji\",\"origin_country\":\"JP\","
                        + "\"price_cents\":26800,\"unknown_extra\":true}"))
                .isEqualTo(new Item(
                        10_100_001L,
                        101L,
                        "Meiji Step formula 800 g",
                        T,
                        "Infant formula / 婴儿奶粉",
                        "Meiji",
                        "JP",
                        26_800L));
        assertThat(parse("{\"type\":\"item\",\"item_id\":7,\"category_id\":3,\"name\":\"x\",\"ts\":1511658000000,"
                        + "\"brand\":null,\"price_cents\":0}"))
                .isEqualTo(new Item(7L, 3L, "x", T, null, null, null, 0L));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "{\"type\":\"item\",\"category_id\":3,\"name\":\"n\",\"ts\":1}                                  | missing required field 'item_id'",
                "{\"type\":\"item\",\"item_id\":7,\"name\":\"n\",\"ts\":1}                                       | missing required field 'category_id'",
                "{\"type\":\"item\",\"item_id\":7,\"category_id\":3,\"ts\":1}                                      | missing required field 'name'",
                "{\"type\":\"item\",\"item_id\":7,\"category_id\":3,\"name\":\"n\"}                                | missing required field 'ts'",
                "{\"type\":\"item\",\"item_id\":\"7\",\"category_id\":3,\"name\":\"n\",\"ts\":1}                   | field 'item_id' must be an integer",
                "{\"type\":\"item\",\"item_id\":7,\"category_id\":3.5,\"name\":\"n\",\"ts\":1}                    | field 'category_id' must be an integer",
                "{\"type\":\"item\",\"item_id\":7,\"category_id\":3,\"name\":42,\"ts\":1}                         | field 'name' must be a string",
                "{\"type\":\"item\",\"item_id\":7,\"category_id\":3,\"name\":\"n\",\"ts\":1.0}                    | field 'ts' must be an integer",
                "{\"type\":\"item\",\"item_id\":7,\"category_id\":3,\"name\":\" \\t \",\"ts\":1}                   | field 'name' must not be blank",
                "{\"type\":\"item\",\"item_id\":7,\"category_id\":3,\"name\":\"\",\"ts\":1}                       | field 'name' must not be blank",
                "{\"type\":\"item\",\"item_id\":7,\"category_id\":3,\"name\":\"n\",\"ts\":1,\"brand\":7}           | field 'brand' must be a string",
                "{\"type\":\"item\",\"item_id\":7,\"category_id\":3,\"name\":\"n\",\"ts\":1,\"category_name\":[]} | field 'category_name' must be a string",
                "{\"type\":\"item\",\"item_id\":7,\"category_id\":3,\"name\":\"n\",\"ts\":1,\"origin_country\":\"jp\"}  | field 'origin_country' must be two upper-case letters A-Z (ISO 3166-1 alpha-2)",
                "{\"type\":\"item\",\"item_id\":7,\"category_id\":3,\"name\":\"n\",\"ts\":1,\"origin_country\":\"JPN\"} | field 'origin_country' must be two upper-case letters A-Z (ISO 3166-1 alpha-2)",
                "{\"type\":\"item\",\"item_id\":7,\"category_id\":3,\"name\":\"n\",\"ts\":1,\"origin_country\":\"J\"}   | field 'origin_country' must be two upper-case letters A-Z (ISO 3166-1 alpha-2)",
                "{\"type\":\"item\",\"item_id\":7,\"category_id\":3,\"name\":\"n\",\"ts\":1,\"origin_country\":\"ÄB\"}  | field 'origin_country' must be two upper-case letters A-Z (ISO 3166-1 alpha-2)",
                "{\"type\":\"item\",\"item_id\":7,\"category_id\":3,\"name\":\"n\",\"ts\":1,\"origin_country\":81}    | field 'origin_country' must be a string",
                "{\"type\":\"item\",\"item_id\":7,\"category_id\":3,\"name\":\"n\",\"ts\":1,\"price_cents\":-1}      | field 'price_cents' out of range: must be >= 0",
                "{\"type\":\"item\",\"item_id\":7,\"category_id\":3,\"name\":\"n\",\"ts\":1,\"price_cents\":9.9}     | field 'price_cents' must be an integer",
                "{\"type\":\"item\",\"item_id\":7,\"category_id\":3,\"name\":\"n\",\"ts\":1,\"price_cents\":\"990\"} | field 'price_cents' must be an integer",
                "{\"type\":\"item\",\"item_id\":7,\"category_id\":3,\"name\":\"n\",\"ts\":1,\"price_cents\":99999999999999999999} | field 'price_cents' out of range: does not fit a 64-bit integer",
                "{\"type\":\"ITEM\",\"item_id\":7,\"category_id\":3,\"name\":\"n\",\"ts\":1}                      | unknown type 'ITEM'",
            })
    void deadLettersBadCatalogueRecordsWithExactlyThisReason(String line, String reason) {
        Object body = parse(line);
        assertThat(body).isInstanceOf(DeadLetter.class);
        DeadLetter d = (DeadLetter) body;
        assertThat(d.getReason()).isEqualTo(reason);
        assertThat(d.getRaw()).isEqualTo(line);
        assertThat(d.getSource()).isEqualTo("in.jsonl");
    }

    @Test
    void blankLinesAreSkippedNotDeadLettered() {
        assertThat(parse("")).isNull();
        assertThat(parse("   \t ")).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "{not json                                   | not valid JSON",
                "[1,2]                                       | not a JSON object",
                "{\"type\":\"click\"} trailing              | not valid JSON",
                "{\"type\":\"refund\"}                       | unknown type 'refund'",
                "{\"event_id\":\"e\"}                        | missing required field 'type'",
                "{\"type\":\"click\",\"event_id\":\"e\",\"user_id\":\"u\",\"item_id\":\"42\",\"category_id\":7,\"action\":\"VIEW\",\"ts\":1} | field 'item_id' must be an integer",
                "{\"type\":\"click\",\"event_id\":\"e\",\"user_id\":\"u\",\"item_id\":4.0,\"category_id\":7,\"action\":\"VIEW\",\"ts\":1} | field 'item_id' must be an integer",
                "{\"type\":\"click\",\"event_id\":\"e\",\"user_id\":\"u\",\"item_id\":4,\"category_id\":7,\"action\":\"view\",\"ts\":1} | field 'action' must be one of VIEW|CART|FAV",
                "{\"type\":\"click\",\"event_id\":\"e\",\"user_id\":7,\"item_id\":4,\"category_id\":7,\"action\":\"VIEW\",\"ts\":1} | field 'user_id' must be a string",
                "{\"type\":\"click\",\"event_id\":\"e\",\"user_id\":\"u\",\"item_id\":4,\"category_id\":7,\"action\":\"VIEW\"} | missing required field 'ts'",
                "{\"type\":\"click\",\"event_id\":\"e\",\"user_id\":\"u\",\"item_id\":99999999999999999999,\"category_id\":7,\"action\":\"VIEW\",\"ts\":1} | field 'item_id' out of range",
                "{\"type\":\"click\",\"event_id\":\"e\",\"event_id\":\"f\",\"user_id\":\"u\",\"item_id\":4,\"category_id\":7,\"action\":\"VIEW\",\"ts\":1} | not valid JSON: Duplicate field 'event_id'",
                "{\"type\":\"click\",\"event_id\":\"e\",\"user_id\":\"u\",\"item_id\":4,\"category_id\":7,\"action\":\"VIEW\",\"ts\":1,\"channel\":\"TIKTOK\"} | field 'channel' must be one of",
                "{\"type\":\"order\",\"order_id\":\"o\",\"user_id\":\"u\",\"status\":\"PAID\",\"ts\":1,\"lines\":[{\"item_id\":1,\"category_id\":2,\"quantity\":0,\"unit_price_cents\":1}]} | field 'lines[0].quantity' out of range: must be >= 1",
                "{\"type\":\"order\",\"order_id\":\"o\",\"user_id\":\"u\",\"status\":\"PAID\",\"ts\":1,\"lines\":[{\"item_id\":1,\"category_id\":2,\"quantity\":1}]} | missing required field 'lines[0].unit_price_cents'",
                "{\"type\":\"order\",\"order_id\":\"o\",\"user_id\":\"u\",\"status\":\"PAID\",\"ts\":1,\"lines\":[{\"item_id\":1,\"category_id\":2,\"quantity\":1,\"unit_price_cents\":-1}]} | field 'lines[0].unit_price_cents' out of range: must be >= 0",
                "{\"type\":\"order\",\"order_id\":\"o\",\"user_id\":\"u\",\"status\":\"PAID\",\"ts\":1,\"lines\":[{\"item_id\":1,\"category_id\":2,\"quantity\":1,\"unit_price_cents\":1,\"discount_cents\":-5}]} | field 'lines[0].discount_cents' out of range: must be >= 0",
                "{\"type\":\"order\",\"order_id\":\"o\",\"user_id\":\"u\",\"status\":\"PAID\",\"ts\":1} | missing required field 'lines'",
                "{\"type\":\"order\",\"order_id\":\"o\",\"user_id\":\"u\",\"status\":\"PAID\",\"ts\":1,\"lines\":[7]} | field 'lines[0]' must be an object",
                "{\"type\":\"campaign\",\"campaign_id\":\"c\",\"kind\":\"FLASH_SALE\",\"start_ts\":10,\"end_ts\":9,\"holdout_pct\":0.1} | field 'end_ts' out of range: must be >= start_ts",
                "{\"type\":\"campaign\",\"campaign_id\":\"c\",\"kind\":\"FLASH_SALE\",\"start_ts\":1,\"end_ts\":9,\"holdout_pct\":1.5} | field 'holdout_pct' out of range: must be within 0..1",
                "{\"type\":\"campaign\",\"campaign_id\":\"c\",\"kind\":\"FLASH_SALE\",\"start_ts\":1,\"end_ts\":9,\"holdout_pct\":\"0.1\"} | field 'holdout_pct' must be a number",
                "{\"type\":\"exposure\",\"campaign_id\":\"c\",\"user_id\":\"u\",\"arm\":\"HOLDOUT\",\"ts\":1} | field 'arm' must be one of TREATMENT|CONTROL",
                "{\"type\":\"review\",\"item_id\":1,\"user_id\":\"u\",\"ts\":1,\"rating\":6} | field 'rating' out of range: must be within 1..5",
                "{\"type\":\"review\",\"item_id\":1,\"user_id\":\"u\",\"ts\":1,\"rating\":4.5} | field 'rating' must be an integer",
            })
    void deadLettersBadLinesWithTheRawLineAndAReason(String line, String reason) {
        Object body = parse(line);
        assertThat(body).isInstanceOf(DeadLetter.class);
        DeadLetter d = (DeadLetter) body;
        assertThat(d.getReason()).startsWith(reason);
        assertThat(d.getRaw()).isEqualTo(line);
        assertThat(d.getSource()).isEqualTo("in.jsonl");
        assertThat(d.getTsIngest()).isEqualTo(Instant.ofEpochMilli(INGEST));
    }

    @Test
    void invalidUtf8IsKeptAsBase64() {
        byte[] bad = {'{', '"', 't', (byte) 0xC3, (byte) 0x28, '"', '}'};
        DeadLetter d = (DeadLetter)
                parser.parse(bad, 0, bad.length, "in.jsonl", INGEST).getBody();
        assertThat(d.getReason()).isEqualTo("not valid UTF-8");
        assertThat(d.getRaw()).isEqualTo("base64:eyJ0wygifQ==");
    }

    private static final String CLICK_HEAD = "{\"type\":\"click\",\"event_id\":\"e\",\"user_id\":";
    private static final String CLICK_TAIL = ",\"item_id\":4,\"category_id\":7,\"action\":\"VIEW\",\"ts\":1}";

    private DeadLetter dead(String line) {
        Object body = parse(line);
        assertThat(body).as("a dead letter").isInstanceOf(DeadLetter.class);
        assertThat(((DeadLetter) body).getRaw()).isEqualTo(line);
        return (DeadLetter) body;
    }

    @Test
    void limitsAreStatedAndPastThemALineIsADeadLetter() {
        String deep = "{\"type\":\"click\",\"x\":" + "[".repeat(200_000) + "]".repeat(200_000) + "}";
        assertThat(dead(deep).getReason())
                .startsWith("not valid JSON: Document nesting depth (1001) exceeds the maximum allowed (1000");
        assertThat(dead("[".repeat(200_000)).getReason())
                .as("unbalanced")
                .startsWith("not valid JSON: Document nesting depth (1001)");
        assertThat(dead("{\"a\":".repeat(200_000)).getReason())
                .startsWith("not valid JSON: Document nesting depth (1001)");
        String atDepth = "{\"type\":\"review\",\"x\":" + "[".repeat(998) + "]".repeat(998)
                + ",\"item_id\":1,\"user_id\":\"u\",\"ts\":1,\"rating\":5}";
        assertThat(parse(atDepth)).as("1,000 levels are fine").isInstanceOf(Review.class);

        assertThat(dead("{\"type\":\"click\",\"item_id\":" + "9".repeat(100_000) + "}")
                        .getReason())
                .startsWith("not valid JSON: Number value length (100000) exceeds the maximum allowed (1000");
        assertThat(dead("{\"type\":\"click\",\"x\":1." + "5".repeat(100_000) + "}")
                        .getReason())
                .startsWith("not valid JSON: Number value length");
        assertThat(dead("{\"type\":\"click\",\"x\":1e" + "5".repeat(100_000) + "}")
                        .getReason())
                .startsWith("not valid JSON: Number value length");
    }

    @Test
    void everyStringFieldIsAtMost4096Characters() {
        String ok = "u".repeat(EventLimits.MAX_STRING_CHARS);
        assertThat(parse(CLICK_HEAD + "\"" + ok + "\"" + CLICK_TAIL)).isInstanceOf(Click.class);
        String mb = "u".repeat(1 << 20);
        assertThat(dead(CLICK_HEAD + "\"" + mb + "\"" + CLICK_TAIL).getReason())
                .isEqualTo("field 'user_id' too long: 1048576 characters, at most 4096");
        // Escapes count as what they decode to: 2^19 escaped quotes are 2^19 characters.
        assertThat(dead(CLICK_HEAD + "\"" + "\\\"".repeat(1 << 19) + "\"" + CLICK_TAIL)
                        .getReason())
                .isEqualTo("field 'user_id' too long: 524288 characters, at most 4096");
        assertThat(dead("{\"type\":\"order\",\"order_id\":\"" + mb
                                + "\",\"user_id\":\"u\",\"status\":\"PAID\",\"ts\":1,\"lines\":[]}")
                        .getReason())
                .isEqualTo("field 'order_id' too long: 1048576 characters, at most 4096");
        assertThat(
                        dead("{\"type\":\"campaign\",\"campaign_id\":\"c\",\"kind\":\"FLASH_SALE\",\"start_ts\":1,\"end_ts\":9,"
                                        + "\"holdout_pct\":0.1,\"name\":\"" + mb + "\"}")
                                .getReason())
                .isEqualTo("field 'name' too long: 1048576 characters, at most 4096");
        assertThat(
                        dead("{\"type\":\"click\",\"event_id\":\"e\",\"user_id\":\"u\",\"item_id\":4,\"category_id\":7,\"action\":\"VIEW\",\"ts\":1,"
                                        + "\"" + mb + "\":1}")
                                .getReason())
                .as("a member name")
                .startsWith("not valid JSON: Name length (1048576) exceeds the maximum allowed (50000");
    }

    @Test
    void anUnrecognisedTokenStaysOutOfTheReason() {
        // The raw line keeps it (and redaction pseudonymises it there); the reason is not redacted.
        DeadLetter d = dead(CLICK_HEAD + "u4242" + CLICK_TAIL);
        assertThat(d.getReason())
                .startsWith("not valid JSON: Unrecognized token (5 characters, see raw): was expecting")
                .doesNotContain("u4242");
    }

    @Test
    void duplicateKeysAndInvalidUtf8InLongStringsAreDeadLetters() {
        String mb = "u".repeat(1 << 20);
        assertThat(dead(CLICK_HEAD + "\"" + mb + "\",\"user_id\":\"v\"" + CLICK_TAIL)
                        .getReason())
                .isEqualTo("not valid JSON: Duplicate field 'user_id'");
        byte[] line = (CLICK_HEAD + "\"" + mb + "\"" + CLICK_TAIL).getBytes(StandardCharsets.UTF_8);
        line[CLICK_HEAD.length() + 500_000] = (byte) 0xC3;
        line[CLICK_HEAD.length() + 500_001] = (byte) 0x28;
        DeadLetter d = (DeadLetter)
                parser.parse(line, 0, line.length, "in.jsonl", INGEST).getBody();
        assertThat(d.getReason()).isEqualTo("not valid UTF-8");
        assertThat(d.getRaw())
                .isEqualTo("base64:" + java.util.Base64.getEncoder().encodeToString(line));
    }
}
