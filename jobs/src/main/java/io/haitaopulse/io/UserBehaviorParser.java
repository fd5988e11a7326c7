package io.haitaopulse.io;

import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.OrderLine;
import io.haitaopulse.schema.OrderStatus;
import java.time.Instant;
import java.util.List;

/**
 * Parser of the public Tianchi UserBehavior CSV (CONTRACTS §2 {@code --format userbehavior}):
 * {@code user_id,item_id,category_id,behavior,ts_seconds}, no header. {@code pv}, {@code cart},
 * {@code fav} become VIEW, CART, FAV clicks; {@code buy} becomes a PAID order of one unit whose
 * price is unknown and recorded as 0. The data has no event or order ids, so they are derived
 * deterministically from the row ({@code ub:<user>:<item>:<ts_seconds>:<behavior>}).
 */
public final class UserBehaviorParser extends TextLineParser {

    private static final long serialVersionUID = 1L;

    @Override
    Object parseText(String text) throws InvalidEventException {
        String[] f = text.split(",", -1);
        if (f.length != 5) {
            throw new InvalidEventException(
                    "expected 5 comma-separated fields user_id,item_id,category_id,behavior,ts_seconds, got "
                            + f.length);
        }
        String user = f[0].trim();
        if (user.isEmpty()) {
            throw new InvalidEventException("field 'user_id' is empty");
        }
        if (user.length() > EventLimits.MAX_STRING_CHARS) {
            // Before the derived ids repeat it: the reason names the field the line has.
            throw new InvalidEventException(EventLimits.tooLong("user_id", user.length()));
        }
        long item = number(f[1], "item_id");
        long category = number(f[2], "category_id");
        String behavior = f[3].trim();
        long seconds = number(f[4], "ts_seconds");
        if (seconds > Long.MAX_VALUE / 1000 || seconds < Long.MIN_VALUE / 1000) {
            throw new InvalidEventException("field 'ts_seconds' out of range");
        }
        Instant ts = Instant.ofEpochMilli(seconds * 1000L);
        String id = "ub:" + user + ":" + item + ":" + seconds + ":" + behavior;
        ClickAction action;
        switch (behavior) {
            case "pv" -> action = ClickAction.VIEW;
            case "cart" -> action = ClickAction.CART;
            case "fav" -> action = ClickAction.FAV;
            case "buy" -> {
                return new Order(
                        id, user, OrderStatus.PAID, ts, List.of(new OrderLine(item, category, 1, 0L, 0L)), null, null);
            }
            default -> throw new InvalidEventException("field 'behavior' must be one of pv|cart|fav|buy");
        }
        return new Click(id, user, item, category, action, ts, null, null, null, null, null, null);
    }

    private static long number(String s, String field) throws InvalidEventException {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new InvalidEventException("field '" + field + "' must be an integer");
        }
    }
}
