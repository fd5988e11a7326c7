package io.haitaopulse.runtime;

import io.haitaopulse.bots.BotSettings;
import io.haitaopulse.common.PulseSettings;
import io.haitaopulse.privacy.PrivacySettings;
import io.haitaopulse.sourcing.SourcingSettings;
import io.haitaopulse.traffic.TrafficSettings;
import io.haitaopulse.trends.TrendSettings;
import io.haitaopulse.uplift.UpliftSettings;
import org.apache.flink.configuration.Configuration;

/**
 * Every job option of one run, read from its configuration and validated once, before any job is
 * built: an invalid value fails the run up front with one line naming its key, whichever job was
 * asked for. The jobs receive their part; none of them reads a {@link Configuration}.
 */
public record JobSettings(
        PulseSettings pulse,
        PrivacySettings privacy,
        BotSettings bots,
        TrendSettings trends,
        UpliftSettings uplift,
        SourcingSettings sourcing,
        TrafficSettings traffic) {

    /** Reads and checks every job option of {@code conf}; throws {@link IllegalArgumentException} naming the key. */
    public static JobSettings from(Configuration conf) {
        PulseSettings pulse = PulseSettings.from(conf);
        PrivacySettings privacy = PrivacySettings.from(conf);
        return new JobSettings(
                pulse,
                privacy,
                BotSettings.from(conf),
                TrendSettings.from(pulse, conf),
                UpliftSettings.from(pulse, privacy, conf),
                SourcingSettings.from(pulse, conf),
                TrafficSettings.from(pulse, privacy, conf));
    }
}
