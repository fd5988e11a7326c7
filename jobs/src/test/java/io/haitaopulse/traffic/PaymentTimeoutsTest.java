package io.haitaopulse.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.OrderLine;
import io.haitaopulse.schema.OrderStatus;
import io.haitaopulse.schema.OrderTimeout;
import io.haitaopulse.schema.internal.Ingested;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * Every ordering of CREATED and PAID for the unpaid-order timeout: timeout 15 min (900 s),
 * late-payment horizon 1 h. Rows print as {@code order created timeout paid_late}.
 */
class PaymentTimeoutsTest {

    private static final long S = 1000L;
    private static final long TIMEOUT = 900 * S;
    private static final long HORIZON = 3600 * S;

    private static Ingested order(String id, OrderStatus status, long ts) {
        return new Ingested(
                new Order(
                        id,
                        "user-" + id,
                        status,
                        Instant.ofEpochMilli(ts),
                        List.of(new OrderLine(1L, 2L, 1, 100L, 0L)),
                        null,
                        null),
                Long.MIN_VALUE);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Ingested, OrderTimeout> harness() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new PaymentTimeouts(TIMEOUT, HORIZON), i -> ((Order) i.getBody()).getOrderId(), Types.STRING);
    }

    private static List<String> rows(KeyedOneInputStreamOperatorTestHarness<String, Ingested, OrderTimeout> h) {
        return h.extractOutputValues().stream()
                .map(t -> t.getOrderId() + " " + t.getCreatedTs().toEpochMilli() / S + " "
                        + t.getTimeoutTs().toEpochMilli() / S + " "
                        + (t.getPaidLateTs() == null ? "-" : t.getPaidLateTs().toEpochMilli() / S))
                .toList();
    }

    private static int keyedEntries(KeyedOneInputStreamOperatorTestHarness<String, Ingested, OrderTimeout> h) {
        return ((HeapKeyedStateBackend<?>) h.getOperator().getKeyedStateBackend()).numKeyValueStateEntries();
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, Ingested, OrderTimeout> h,
            String id,
            OrderStatus s,
            long seconds)
            throws Exception {
        h.processElement(order(id, s, seconds * S), seconds * S);
    }

    @Test
    void anUnpaidOrderIsEmittedAsSoonAsEventTimePassesItsTimeout() throws Exception {
        var h = harness();
        send(h, "a", OrderStatus.CREATED, 100);
        h.processWatermark(999 * S);
        assertThat(rows(h)).isEmpty();
        h.processWatermark(1000 * S);
        assertThat(rows(h)).containsExactly("a 100 1000 -");
        h.processWatermark(Long.MAX_VALUE);
        assertThat(keyedEntries(h)).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void paidInTimeIsNeverEmittedWhateverTheArrivalOrder() throws Exception {
        var h = harness();
        send(h, "in-order", OrderStatus.CREATED, 100);
        send(h, "in-order", OrderStatus.PAID, 400);
        send(h, "pay-first", OrderStatus.PAID, 400);
        send(h, "pay-first", OrderStatus.CREATED, 100);
        send(h, "at-deadline", OrderStatus.CREATED, 100);
        send(h, "at-deadline", OrderStatus.PAID, 1000);
        h.processWatermark(Long.MAX_VALUE);
        assertThat(rows(h)).isEmpty();
        assertThat(keyedEntries(h)).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void aPaymentAfterTheTimeoutIsFlaggedNotLost() throws Exception {
        var h = harness();
        send(h, "b", OrderStatus.CREATED, 100);
        h.processWatermark(1000 * S);
        send(h, "b", OrderStatus.PAID, 1500);
        send(h, "b", OrderStatus.PAID, 1600); // duplicate payment: changes nothing
        h.processWatermark(Long.MAX_VALUE);
        assertThat(rows(h)).containsExactly("b 100 1000 -", "b 100 1000 1500");
        assertThat(keyedEntries(h)).isZero();
        h.close();
    }

    @Test
    void aLatePaymentThatArrivesBeforeTheTimeoutFiresIsInTheFirstRow() throws Exception {
        var h = harness();
        send(h, "c", OrderStatus.CREATED, 100);
        send(h, "c", OrderStatus.PAID, 1200); // after the deadline in event time, before the watermark passes it
        h.processWatermark(Long.MAX_VALUE);
        assertThat(rows(h)).containsExactly("c 100 1000 1200");
        h.close();
    }

    @Test
    void duplicatePaymentsAndDuplicateCreatesCountOnce() throws Exception {
        var h = harness();
        send(h, "d", OrderStatus.CREATED, 100);
        send(h, "d", OrderStatus.CREATED, 100);
        send(h, "d", OrderStatus.PAID, 200);
        send(h, "d", OrderStatus.PAID, 200);
        send(h, "e", OrderStatus.CREATED, 300);
        send(h, "e", OrderStatus.CREATED, 200); // the earlier creation wins
        h.processWatermark(Long.MAX_VALUE);
        assertThat(rows(h)).containsExactly("e 200 1100 -");
        h.close();
    }

    @Test
    void aTimedOutOrderIsForgottenAfterTheHorizonAndAPaymentOnlyOrderAfterItsTimeout() throws Exception {
        var h = harness();
        send(h, "f", OrderStatus.CREATED, 0);
        send(h, "g", OrderStatus.PAID, 0); // a producer that sends no CREATED
        h.processWatermark(900 * S);
        assertThat(rows(h)).containsExactly("f 0 900 -");
        assertThat(keyedEntries(h)).isEqualTo(1);
        h.processWatermark(4500 * S - 1);
        assertThat(keyedEntries(h)).isEqualTo(1);
        h.processWatermark(4500 * S);
        assertThat(keyedEntries(h)).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        send(h, "f", OrderStatus.PAID, 5000); // beyond the horizon: nothing left to flag
        h.processWatermark(Long.MAX_VALUE);
        assertThat(rows(h)).containsExactly("f 0 900 -");
        h.close();
    }
}
