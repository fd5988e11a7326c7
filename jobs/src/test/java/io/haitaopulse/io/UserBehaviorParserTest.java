package io.haitaopulse.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.DeadLetter;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.OrderLine;
import io.haitaopulse.schema.OrderStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UserBehaviorParserTest {

    private static final Instant T = Instant.ofEpochSecond(1_511_658_000L);
    private final UserBehaviorParser parser = new UserBehaviorParser();

    private Object parse(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        var i = parser.parse(b, 0, b.length, "UserBehavior.csv", 0L);
        return i == null ? null : i.getBody();
    }

    @Test
    void pvCartAndFavBecomeClicks() {
        assertThat(parse("543462,1715,1464116,pv,1511658000"))
                .isEqualTo(new Click(
                        "ub:543462:1715:1511658000:pv",
                        "543462",
                        1715L,
                        1464116L,
                        ClickAction.VIEW,
                        T,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null));
        assertThat(((Click) parse("1,2,3,cart,1511658000")).getAction()).isEqualTo(ClickAction.CART);
        assertThat(((Click) parse("1,2,3,fav,1511658000")).getAction()).isEqualTo(ClickAction.FAV);
    }

    @Test
    void buyBecomesAPaidOrderOfOneUnitWithUnknownPrice() {
        assertThat(parse("1,2,3,buy,1511658000"))
                .isEqualTo(new Order(
                        "ub:1:2:1511658000:buy",
                        "1",
                        OrderStatus.PAID,
                        T,
                        List.of(new OrderLine(2L, 3L, 1, 0L, 0L)),
                        null,
                        null));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "1,2,3,pv                  | expected 5 comma-separated fields",
                "1,2,3,pv,1511658000,9     | expected 5 comma-separated fields",
                "1,x,3,pv,1511658000       | field 'item_id' must be an integer",
                "1,2,3,click,1511658000    | field 'behavior' must be one of pv|cart|fav|buy",
                "',2,3,pv,1511658000'      | field 'user_id' is empty",
            })
    void badRowsAreDeadLettered(String line, String reason) {
        DeadLetter d = (DeadLetter) parse(line);
        assertThat(d.getReason()).startsWith(reason);
        assertThat(d.getRaw()).isEqualTo(line);
    }
}
