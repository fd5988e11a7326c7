package io.haitaopulse.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.haitaopulse.privacy.PrivacyOptions;
import io.haitaopulse.privacy.PseudonymKey;
import io.haitaopulse.runtime.Replay;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference tables end to end: a replay of {@code all} over an hour of clicks, orders and a
 * campaign, once as it is and once with catalogue records mixed into the same file (valid from
 * long ago, from the same minute, from the year 2286) plus a catalogue file of its own. The items
 * table holds the newest record per item, and every other table is byte for byte what it was
 * without the catalogue.
 */
class ReferenceTablesReplayTest {

    private static final long MINUTE = 60_000L;
    private static final long T0 = 1_793_548_800_000L;
    private static final long YEAR_2286 = 9_999_999_999_999L;

    @TempDir
    Path tmp;

    private static String view(long item, String user, int minute) {
        return String.format(
                "{\"type\":\"click\",\"event_id\":\"%s-%d-%d\",\"user_id\":\"%s\",\"item_id\":%d,\"category_id\":101,"
                        + "\"action\":\"VIEW\",\"ts\":%d,\"campaign_id\":\"c1\"}",
                user, item, minute, user, item, T0 + minute * MINUTE);
    }

    private static String paid(long item, String user, int minute) {
        return String.format(
                "{\"type\":\"order\",\"order_id\":\"o-%s-%d\",\"user_id\":\"%s\",\"status\":\"PAID\",\"ts\":%d,"
                        + "\"lines\":[{\"item_id\":%d,\"category_id\":101,\"quantity\":1,\"unit_price_cents\":26800}]}",
                user, minute, user, T0 + minute * MINUTE, item);
    }

    private static String exposure(String user, String arm, int minute) {
        return String.format(
                "{\"type\":\"exposure\",\"campaign_id\":\"c1\",\"user_id\":\"%s\",\"arm\":\"%s\",\"ts\":%d}",
                user, arm, T0 + minute * MINUTE);
    }

    private static String item(long id, String name, long validFrom) {
        return String.format(
                "{\"type\":\"item\",\"item_id\":%d,\"category_id\":101,\"name\":\"%s\",\"ts\":%d,"
                        + "\"category_name\":\"Infant formula / 婴儿奶粉\",\"origin_country\":\"JP\"}",
                id, name, validFrom);
    }

    private static final String CAMPAIGN = "{\"type\":\"campaign\",\"campaign_id\":\"c1\",\"kind\":\"FLASH_SALE\","
            + "\"start_ts\":" + T0 + ",\"end_ts\":" + (T0 + 60 * MINUTE) + ",\"holdout_pct\":0.5,"
            + "\"target_category_ids\":[101],\"name\":\"Formula flash sale\"}";

    /** An hour of behaviour: a campaign, exposures, views of two items and a few orders. */
    private static List<String> events() {
        List<String> lines = new ArrayList<>();
        lines.add(CAMPAIGN);
        for (int u = 0; u < 12; u++) {
            lines.add(exposure("u" + u, u % 2 == 0 ? "TREATMENT" : "CONTROL", u));
            lines.add(view(1, "u" + u, u + 1));
            lines.add(view(u % 3 == 0 ? 2 : 1, "u" + u, u + 2));
            if (u % 4 == 0) {
                lines.add(paid(1, "u" + u, u + 3));
            }
        }
        lines.add(view(2, "u0", 70));
        return lines;
    }

    @Test
    void itemsHoldTheNewestRecordPerItemAndNoOtherTableNoticesTheCatalogue() throws Exception {
        Path plain = tmp.resolve("plain");
        Files.createDirectories(plain);
        Files.write(plain.resolve("events.jsonl"), events(), StandardCharsets.UTF_8);

        Path mixed = tmp.resolve("mixed");
        Files.createDirectories(mixed);
        List<String> withItems = new ArrayList<>(events());
        withItems.add(0, item(1, "Meiji Step formula 800 g", T0));
        withItems.add(5, item(2, "Wakodo Haihai formula 810 g", YEAR_2286));
        withItems.add(9, item(1, "Meiji Step formula 820 g", T0));
        withItems.add(14, item(3, "Morinaga Hagukumi formula 800 g", 0L));
        withItems.add(
                20, "{\"type\":\"item\",\"item_id\":4,\"category_id\":101,\"name\":\"x\",\"ts\":1,\"price_cents\":-5}");
        Files.write(mixed.resolve("events.jsonl"), withItems, StandardCharsets.UTF_8);
        Files.write(
                mixed.resolve("items.jsonl"),
                List.of(item(1, "Meiji Step formula (old label)", T0 - 1), item(5, "a2 Platinum stage 3 900 g", T0)),
                StandardCharsets.UTF_8);

        Path before = tmp.resolve("out-plain");
        Path after = tmp.resolve("out-mixed");
        Replay.Result plainRun = Replay.run(spec(plain, before));
        Replay.Result mixedRun = Replay.run(spec(mixed, after));

        assertThat(Files.readAllLines(after.resolve("items.jsonl"), StandardCharsets.UTF_8))
                .containsExactly(
                        "{\"item_id\":1,\"category_id\":101,\"name\":\"Meiji Step formula 820 g\",\"ts\":" + T0
                                + ",\"category_name\":\"Infant formula / 婴儿奶粉\",\"brand\":null,\"origin_country\":\"JP\","
                                + "\"price_cents\":null}",
                        "{\"item_id\":2,\"category_id\":101,\"name\":\"Wakodo Haihai formula 810 g\",\"ts\":"
                                + YEAR_2286
                                + ",\"category_name\":\"Infant formula / 婴儿奶粉\",\"brand\":null,\"origin_country\":\"JP\","
                                + "\"price_cents\":null}",
                        "{\"item_id\":3,\"category_id\":101,\"name\":\"Morinaga Hagukumi formula 800 g\",\"ts\":0"
                                + ",\"category_name\":\"Infant formula / 婴儿奶粉\",\"brand\":null,\"origin_country\":\"JP\","
                                + "\"price_cents\":null}",
                        "{\"item_id\":5,\"category_id\":101,\"name\":\"a2 Platinum stage 3 900 g\",\"ts\":" + T0
                                + ",\"category_name\":\"Infant formula / 婴儿奶粉\",\"brand\":null,\"origin_country\":\"JP\","
                                + "\"price_cents\":null}");
        assertThat(Files.readAllLines(before.resolve("items.jsonl"))).isEmpty();
        String campaignRow = "{\"campaign_id\":\"c1\",\"kind\":\"FLASH_SALE\",\"start_ts\":" + T0 + ",\"end_ts\":"
                + (T0 + 60 * MINUTE)
                + ",\"holdout_pct\":0.5,\"target_category_ids\":[101],\"target_item_ids\":null,"
                + "\"name\":\"Formula flash sale\"}";
        assertThat(Files.readAllLines(before.resolve("campaigns.jsonl"))).containsExactly(campaignRow);
        assertThat(Files.readAllLines(after.resolve("campaigns.jsonl"))).containsExactly(campaignRow);

        List<JsonNode> dead = ReplayOutput.readRows(after.resolve("dead_letters.jsonl"));
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).get("reason").asText()).isEqualTo("field 'price_cents' out of range: must be >= 0");
        assertThat(ReplayOutput.readRows(before.resolve("dead_letters.jsonl"))).isEmpty();

        assertThat(plainRun.rowsPerTable().get("hot_items")).isPositive();
        assertThat(plainRun.rowsPerTable().get("campaign_uplift")).isPositive();
        int compared = 0;
        for (OutputTable<?> table : OutputTable.all()) {
            if (table.reference() || table == OutputTable.DEAD_LETTERS) {
                continue;
            }
            assertThat(after.resolve(table.name() + ".jsonl"))
                    .as(table.name())
                    .hasSameBinaryContentAs(before.resolve(table.name() + ".jsonl"));
            compared++;
        }
        assertThat(compared).isEqualTo(OutputTable.all().size() - 3);
        assertThat(mixedRun.late()).isEqualTo(plainRun.late());
    }

    private static Replay.Spec spec(Path in, Path out) {
        Configuration options = new Configuration();
        options.set(PrivacyOptions.PSEUDONYM_SECRET, KEY.toBase64());
        return new Replay.Spec("all", List.of(in), out, InputFormat.JSONL, options, 2, null, null);
    }

    private static final PseudonymKey KEY = PseudonymKey.generate();
}
