package io.haitaopulse.traffic;

import io.haitaopulse.common.OptionChecks;
import io.haitaopulse.common.PulseSettings;
import io.haitaopulse.privacy.PrivacySettings;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;

/**
 * The validated options of the traffic job: the common and privacy options and those of
 * {@link TrafficOptions}.
 *
 * @param pulse the common job options (allowed lateness)
 * @param privacy k of the k-anonymous segment rows
 * @param exactUvLimit users per hourly row counted exactly before the sketch takes over; not negative
 * @param paymentTimeout event time after which an unpaid order times out; positive
 * @param latePaymentHorizon how long a timed-out order is remembered for a late payment; not negative
 */
public record TrafficSettings(
        PulseSettings pulse,
        PrivacySettings privacy,
        int exactUvLimit,
        Duration paymentTimeout,
        Duration latePaymentHorizon)
        implements Serializable {

    /** Reads and checks every option the job uses; throws {@link IllegalArgumentException} with one line naming the key. */
    public static TrafficSettings from(Configuration conf) {
        return from(PulseSettings.from(conf), PrivacySettings.from(conf), conf);
    }

    /** As {@link #from(Configuration)}, with the common and privacy options already read. */
    public static TrafficSettings from(PulseSettings pulse, PrivacySettings privacy, Configuration conf) {
        return new TrafficSettings(
                pulse,
                privacy,
                OptionChecks.atLeast(conf, TrafficOptions.EXACT_UV_LIMIT, 0),
                OptionChecks.positive(conf, TrafficOptions.PAYMENT_TIMEOUT),
                OptionChecks.notNegative(conf, TrafficOptions.LATE_PAYMENT_HORIZON));
    }
}
