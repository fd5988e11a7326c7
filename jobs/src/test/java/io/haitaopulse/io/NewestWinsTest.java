package io.haitaopulse.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.schema.Item;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The newest catalogue record per item is what an upsert of the forwarded records ends with. */
class NewestWinsTest {

    private static final long MONDAY = 1_793_548_800_000L;
    private static final long TUESDAY = MONDAY + 86_400_000L;
    private static final long WEDNESDAY = TUESDAY + 86_400_000L;

    private static Item item(long id, String name, long validFrom) {
        return new Item(id, 101L, name, Instant.ofEpochMilli(validFrom), null, null, null, null);
    }

    private static KeyedOneInputStreamOperatorTestHarness<Long, Item, Item> harness() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<Long, Item, Item>(
                new KeyedProcessOperator<>(
                        new NewestWins<Long, Item>(i -> i.getTs().toEpochMilli())),
                Item::getItemId,
                Types.LONG);
        h.open();
        return h;
    }

    @Test
    void shouldForwardANewerRecordAndDropAnOlderOneThatArrivesLater() throws Exception {
        var h = harness();
        h.processElement(item(1, "Meiji Step formula 800 g", TUESDAY), 0);
        h.processElement(item(1, "Meiji Step formula 800 g (old label)", MONDAY), 0);
        h.processElement(item(1, "Meiji Step formula 820 g", WEDNESDAY), 0);
        assertThat(h.extractOutputValues())
                .extracting(Item::getName)
                .containsExactly("Meiji Step formula 800 g", "Meiji Step formula 820 g");
        h.close();
    }

    @Test
    void shouldLetTheLaterArrivalWinATieOfValidFromTimes() throws Exception {
        var h = harness();
        h.processElement(item(1, "Kao Merries diapers M 46", TUESDAY), 0);
        h.processElement(item(1, "Kao Merries diapers M 64", TUESDAY), 0);
        assertThat(h.extractOutputValues())
                .extracting(Item::getName)
                .containsExactly("Kao Merries diapers M 46", "Kao Merries diapers M 64");
        h.close();
    }

    @Test
    void shouldJudgeEachItemOnlyAgainstItsOwnRecordsAndKeepOneEntryPerItem() throws Exception {
        var h = harness();
        h.processElement(item(1, "a2 Platinum stage 3 900 g", WEDNESDAY), 0);
        h.processElement(item(2, "Shiseido Anessa sunscreen 60 ml", MONDAY), 0);
        h.processElement(item(2, "Shiseido Anessa sunscreen 90 ml", TUESDAY), 0);
        h.processElement(item(1, "a2 Platinum stage 3 800 g", TUESDAY), 0);
        assertThat(h.extractOutputValues())
                .extracting(i -> i.getItemId() + " " + i.getName())
                .containsExactly(
                        "1 a2 Platinum stage 3 900 g",
                        "2 Shiseido Anessa sunscreen 60 ml",
                        "2 Shiseido Anessa sunscreen 90 ml");
        // One long per item, however many records it had; no timers.
        assertThat(h.numKeyedStateEntries()).isEqualTo(2);
        assertThat(h.numEventTimeTimers()).isZero();
        assertThat(h.numProcessingTimeTimers()).isZero();
        h.close();
    }
}
