package io.haitaopulse.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.haitaopulse.schema.Arm;
import io.haitaopulse.schema.Campaign;
import io.haitaopulse.schema.CampaignKind;
import io.haitaopulse.schema.Channel;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.Complaint;
import io.haitaopulse.schema.Exposure;
import io.haitaopulse.schema.Item;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.OrderLine;
import io.haitaopulse.schema.OrderStatus;
import io.haitaopulse.schema.Review;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Parser of the {@code jsonl} input format (CONTRACTS §2): one JSON object per line,
 * discriminated by {@code "type"}. Types are checked exactly (no numeric strings, no fractions
 * where an integer is expected), enums are case-sensitive, ranges are enforced, unknown fields
 * are ignored. Two choices the contract leaves open: a field repeated within one object and
 * trailing text after the object both make the line a dead letter, because either way the
 * line's meaning is ambiguous.
 *
 * <p>Limits, so that one hostile line costs bounded time, stack and memory: nesting at most
 * {@value #MAX_NESTING_DEPTH} arrays and objects deep, numbers at most {@value #MAX_NUMBER_CHARS}
 * characters, member names at most {@value #MAX_NAME_CHARS} characters, strings at most
 * {@link LineFileFormat#MAX_LINE_BYTES} characters (no string is longer than its line). Past a
 * limit the line is a dead letter {@code "not valid JSON: … exceeds the maximum allowed …"}.
 * Depth, number and name limits equal Jackson 2.18's defaults (its string default, 20 million,
 * is looser than the line limit); they are stated here so that a Jackson upgrade cannot change
 * them unnoticed. Jackson builds the tree iteratively, so the depth limit bounds memory, not stack.
 * Every string field of an event is further limited by {@link EventLimits}.
 */
public final class JsonLinesParser extends TextLineParser {

    private static final long serialVersionUID = 1L;

    /** Deepest nesting of arrays and objects in a line. */
    public static final int MAX_NESTING_DEPTH = 1000;

    /** Longest number in a line, in characters (digits, sign, point, exponent). */
    public static final int MAX_NUMBER_CHARS = 1000;

    /** Longest member name, in characters; the contract's names are a few characters. */
    public static final int MAX_NAME_CHARS = 50_000;

    private static final ObjectReader READER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING_DEPTH)
                            .maxNumberLength(MAX_NUMBER_CHARS)
                            .maxStringLength(LineFileFormat.MAX_LINE_BYTES)
                            .maxNameLength(MAX_NAME_CHARS)
                            .build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build()
            .readerFor(JsonNode.class);

    private static final String UNRECOGNIZED_TOKEN = "Unrecognized token '";

    @Override
    Object parseText(String text) throws InvalidEventException {
        JsonNode node;
        try {
            node = READER.readValue(text);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("not valid JSON: " + oneLine(e.getOriginalMessage()));
        }
        if (node == null || !node.isObject()) {
            throw new InvalidEventException("not a JSON object");
        }
        String type = requiredString(node, "type");
        return switch (type) {
            case "click" -> click(node);
            case "order" -> order(node);
            case "campaign" -> campaign(node);
            case "exposure" -> exposure(node);
            case "review" -> review(node);
            case "item" -> item(node);
            default -> throw new InvalidEventException("unknown type '" + type + "'");
        };
    }

    private static Click click(JsonNode n) throws InvalidEventException {
        return new Click(
                requiredString(n, "event_id"),
                requiredString(n, "user_id"),
                requiredLong(n, "item_id"),
                requiredLong(n, "category_id"),
                requiredEnum(n, "action", ClickAction.class),
                requiredInstant(n, "ts"),
                optionalString(n, "session_id"),
                optionalEnum(n, "channel", Channel.class),
                optionalString(n, "campaign_id"),
                optionalString(n, "referrer_token"),
                optionalString(n, "region"),
                optionalString(n, "device"));
    }

    private static Order order(JsonNode n) throws InvalidEventException {
        String orderId = requiredString(n, "order_id");
        String userId = requiredString(n, "user_id");
        OrderStatus status = requiredEnum(n, "status", OrderStatus.class);
        Instant ts = requiredInstant(n, "ts");
        JsonNode linesNode = n.get("lines");
        if (linesNode == null || linesNode.isNull()) {
            throw new InvalidEventException("missing required field 'lines'");
        }
        if (!linesNode.isArray()) {
            throw new InvalidEventException("field 'lines' must be an array");
        }
        List<OrderLine> lines = new ArrayList<>(linesNode.size());
        int i = 0;
        for (Iterator<JsonNode> it = linesNode.elements(); it.hasNext(); i++) {
            lines.add(orderLine(it.next(), "lines[" + i + "]."));
        }
        return new Order(
                orderId, userId, status, ts, lines, optionalString(n, "campaign_id"), optionalString(n, "coupon_id"));
    }

    private static OrderLine orderLine(JsonNode n, String prefix) throws InvalidEventException {
        if (!n.isObject()) {
            throw new InvalidEventException(
                    "field '" + prefix.substring(0, prefix.length() - 1) + "' must be an object");
        }
        long itemId = requiredLong(n, "item_id", prefix);
        long categoryId = requiredLong(n, "category_id", prefix);
        long quantity = requiredLong(n, "quantity", prefix);
        if (quantity < 1 || quantity > Integer.MAX_VALUE) {
            throw new InvalidEventException("field '" + prefix + "quantity' out of range: must be >= 1");
        }
        long unitPrice = requiredLong(n, "unit_price_cents", prefix);
        nonNegative(unitPrice, prefix + "unit_price_cents");
        JsonNode d = n.get("discount_cents");
        long discount = d == null || d.isNull() ? 0L : asLong(d, prefix + "discount_cents");
        nonNegative(discount, prefix + "discount_cents");
        return new OrderLine(itemId, categoryId, (int) quantity, unitPrice, discount);
    }

    private static Campaign campaign(JsonNode n) throws InvalidEventException {
        String id = requiredString(n, "campaign_id");
        CampaignKind kind = requiredEnum(n, "kind", CampaignKind.class);
        Instant start = requiredInstant(n, "start_ts");
        Instant end = requiredInstant(n, "end_ts");
        if (end.isBefore(start)) {
            throw new InvalidEventException("field 'end_ts' out of range: must be >= start_ts");
        }
        JsonNode h = n.get("holdout_pct");
        if (h == null || h.isNull()) {
            throw new InvalidEventException("missing required field 'holdout_pct'");
        }
        if (!h.isNumber()) {
            throw new InvalidEventException("field 'holdout_pct' must be a number");
        }
        double holdout = h.doubleValue();
        if (!(holdout >= 0.0 && holdout <= 1.0)) {
            throw new InvalidEventException("field 'holdout_pct' out of range: must be within 0..1");
        }
        return new Campaign(
                id,
                kind,
                start,
                end,
                holdout,
                optionalLongs(n, "target_category_ids"),
                optionalLongs(n, "target_item_ids"),
                optionalString(n, "name"));
    }

    private static Exposure exposure(JsonNode n) throws InvalidEventException {
        return new Exposure(
                requiredString(n, "campaign_id"),
                requiredString(n, "user_id"),
                requiredEnum(n, "arm", Arm.class),
                requiredInstant(n, "ts"));
    }

    private static Review review(JsonNode n) throws InvalidEventException {
        long itemId = requiredLong(n, "item_id");
        String userId = requiredString(n, "user_id");
        Instant ts = requiredInstant(n, "ts");
        long rating = requiredLong(n, "rating");
        if (rating < 1 || rating > 5) {
            throw new InvalidEventException("field 'rating' out of range: must be within 1..5");
        }
        return new Review(
                itemId,
                userId,
                ts,
                (int) rating,
                optionalString(n, "order_id"),
                optionalEnum(n, "complaint", Complaint.class));
    }

    private static Item item(JsonNode n) throws InvalidEventException {
        Item item = new Item(
                requiredLong(n, "item_id"),
                requiredLong(n, "category_id"),
                requiredString(n, "name"),
                requiredInstant(n, "ts"),
                optionalString(n, "category_name"),
                optionalString(n, "brand"),
                optionalString(n, "origin_country"),
                optionalLong(n, "price_cents"));
        String reason = ItemRules.violation(item);
        if (reason != null) {
            throw new InvalidEventException(reason);
        }
        return item;
    }

    private static String requiredString(JsonNode n, String field) throws InvalidEventException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new InvalidEventException("missing required field '" + field + "'");
        }
        if (!v.isTextual()) {
            throw new InvalidEventException("field '" + field + "' must be a string");
        }
        return v.textValue();
    }

    private static String optionalString(JsonNode n, String field) throws InvalidEventException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidEventException("field '" + field + "' must be a string");
        }
        return v.textValue();
    }

    private static long requiredLong(JsonNode n, String field) throws InvalidEventException {
        return requiredLong(n, field, "");
    }

    private static long requiredLong(JsonNode n, String field, String prefix) throws InvalidEventException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new InvalidEventException("missing required field '" + prefix + field + "'");
        }
        return asLong(v, prefix + field);
    }

    private static long asLong(JsonNode v, String name) throws InvalidEventException {
        if (!v.isIntegralNumber()) {
            throw new InvalidEventException("field '" + name + "' must be an integer");
        }
        if (!v.canConvertToLong()) {
            throw new InvalidEventException("field '" + name + "' out of range: does not fit a 64-bit integer");
        }
        return v.longValue();
    }

    private static Long optionalLong(JsonNode n, String field) throws InvalidEventException {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : asLong(v, field);
    }

    private static Instant requiredInstant(JsonNode n, String field) throws InvalidEventException {
        return Instant.ofEpochMilli(requiredLong(n, field));
    }

    private static void nonNegative(long value, String name) throws InvalidEventException {
        if (value < 0) {
            throw new InvalidEventException("field '" + name + "' out of range: must be >= 0");
        }
    }

    private static List<Long> optionalLongs(JsonNode n, String field) throws InvalidEventException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw new InvalidEventException("field '" + field + "' must be an array of integers");
        }
        List<Long> out = new ArrayList<>(v.size());
        int i = 0;
        for (Iterator<JsonNode> it = v.elements(); it.hasNext(); i++) {
            out.add(asLong(it.next(), field + "[" + i + "]"));
        }
        return out;
    }

    private static <E extends Enum<E>> E requiredEnum(JsonNode n, String field, Class<E> type)
            throws InvalidEventException {
        E e = optionalEnum(n, field, type);
        if (e == null) {
            throw new InvalidEventException("missing required field '" + field + "'");
        }
        return e;
    }

    private static <E extends Enum<E>> E optionalEnum(JsonNode n, String field, Class<E> type)
            throws InvalidEventException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isTextual()) {
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equals(v.textValue())) {
                    return constant;
                }
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : "|").append(constant.name());
        }
        throw new InvalidEventException("field '" + field + "' must be one of " + allowed);
    }

    private static String oneLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        // Jackson quotes an unrecognised bare token, which may be a user id written without
        // quotes; the reason is not redacted (the raw line is), so the token stays out of it.
        int token = message.indexOf(UNRECOGNIZED_TOKEN);
        if (token >= 0) {
            int close = message.indexOf('\'', token + UNRECOGNIZED_TOKEN.length());
            if (close >= 0) {
                message = message.substring(0, token) + "Unrecognized token ("
                        + (close - token - UNRECOGNIZED_TOKEN.length()) + " characters, see raw)"
                        + message.substring(close + 1);
            }
        }
        String s = message.replaceAll("\\s+", " ").trim();
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
