package io.haitaopulse.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.DemandTrend;
import io.haitaopulse.schema.HotItem;
import io.haitaopulse.schema.LateEvent;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.OrderLine;
import io.haitaopulse.schema.OrderStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonRowsTest {

    private static final Instant T = Instant.ofEpochMilli(1000);

    @Test
    void rendersTableRowsWithContractNamesAndEpochMillis() {
        assertThat(JsonRows.toJson(new HotItem(T, Instant.ofEpochMilli(3_601_000), "all", 1, 42L, 7L)))
                .isEqualTo(
                        "{\"window_start\":1000,\"window_end\":3601000,\"scope\":\"all\",\"rank\":1,\"item_id\":42,\"views\":7}");
    }

    @Test
    void writesNullForAbsentAndNonFiniteNumbers() {
        DemandTrend t = new DemandTrend(T, T, 1L, 2L, 3L, 0L, 0L, null, Double.NaN, Double.POSITIVE_INFINITY, false);
        assertThat(JsonRows.toJson(t))
                .isEqualTo(
                        "{\"window_start\":1000,\"window_end\":1000,\"item_id\":1,\"category_id\":2,"
                                + "\"views\":3,\"carts\":0,\"buys\":0,\"baseline\":null,\"ratio\":null,\"z\":null,\"trending\":false}");
    }

    @Test
    void rendersALateEventAsAReplayableInputLine() {
        Order order =
                new Order("o1", "u1", OrderStatus.PAID, T, List.of(new OrderLine(5L, 6L, 2, 100L, 0L)), null, null);
        String json = JsonRows.toJson(new LateEvent(order, "late", Instant.ofEpochMilli(9)));
        assertThat(json)
                .isEqualTo(
                        "{\"event\":{\"type\":\"order\",\"order_id\":\"o1\",\"user_id\":\"u1\",\"status\":\"PAID\",\"ts\":1000,"
                                + "\"lines\":[{\"item_id\":5,\"category_id\":6,\"quantity\":2,\"unit_price_cents\":100,\"discount_cents\":0}],"
                                + "\"campaign_id\":null,\"coupon_id\":null},\"reason\":\"late\",\"watermark\":9}");
        // The event part parses back to the same event.
        String eventJson = json.substring("{\"event\":".length(), json.indexOf(",\"reason\""));
        byte[] bytes = eventJson.getBytes(StandardCharsets.UTF_8);
        assertThat(new JsonLinesParser().parse(bytes, 0, bytes.length, "x", 0L).getBody())
                .isEqualTo(order);
    }

    @Test
    void clicksRoundTripThroughTheParser() {
        Click c = new Click("e", "用户", 1L, 2L, ClickAction.FAV, T, null, null, "c\"1", null, "上海", "ios");
        byte[] bytes = JsonRows.toJson(c).getBytes(StandardCharsets.UTF_8);
        assertThat(new JsonLinesParser().parse(bytes, 0, bytes.length, "x", 0L).getBody())
                .isEqualTo(c);
    }
}
