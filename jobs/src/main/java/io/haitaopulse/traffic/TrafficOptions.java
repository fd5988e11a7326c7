package io.haitaopulse.traffic;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;

/** Typed options of the traffic job (traffic, funnel, order_timeouts). */
public final class TrafficOptions {

    public static final ConfigOption<Integer> EXACT_UV_LIMIT = key("pulse.traffic.exact-uv-limit")
            .intType()
            .defaultValue(10_000)
            .withDescription("Hourly UV is counted exactly up to this many users per row, then with a HyperLogLog of "
                    + "2^14 registers (standard error 0.81 %); minute UV is always exact. Not negative; higher costs memory "
                    + "per hourly row.");

    public static final ConfigOption<Duration> PAYMENT_TIMEOUT = key("pulse.orders.payment-timeout")
            .durationType()
            .defaultValue(Duration.ofMinutes(15))
            .withDescription(
                    "An order CREATED and not PAID within this much event time goes to order_timeouts. Positive.");

    public static final ConfigOption<Duration> LATE_PAYMENT_HORIZON = key("pulse.orders.late-payment-horizon")
            .durationType()
            .defaultValue(Duration.ofDays(7))
            .withDescription(
                    "How long after its timeout an unpaid order is remembered, so that a late payment is flagged. Not negative.");

    private TrafficOptions() {}
}
