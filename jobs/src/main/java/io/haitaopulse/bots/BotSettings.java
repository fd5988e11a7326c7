package io.haitaopulse.bots;

import io.haitaopulse.common.OptionChecks;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;

/**
 * The validated options of the bot filter ({@link BotOptions}).
 *
 * @param enabled whether the filter runs at all
 * @param maxItemViewsPerMinute rule repeat-item: VIEWs of one item by one user in a minute above this blacklist; at least 1
 * @param maxViewsPerMinute rule no-dwell: VIEWs by one user in a minute above this blacklist; at least 1
 * @param blacklist how long a blacklisting lasts; at least the one-minute judging window
 */
public record BotSettings(boolean enabled, int maxItemViewsPerMinute, int maxViewsPerMinute, Duration blacklist)
        implements Serializable {

    /** Reads and checks the options; throws {@link IllegalArgumentException} with one line naming the key. */
    public static BotSettings from(Configuration conf) {
        Duration blacklist = conf.get(BotOptions.BLACKLIST);
        if (blacklist.toMillis() < BotFilter.MINUTE) {
            throw OptionChecks.invalid(
                    BotOptions.BLACKLIST,
                    "must be at least 1m (the judging window)",
                    io.haitaopulse.common.Durations.format(blacklist));
        }
        return new BotSettings(
                conf.get(BotOptions.ENABLED),
                OptionChecks.atLeast(conf, BotOptions.MAX_ITEM_VIEWS_PER_MINUTE, 1),
                OptionChecks.atLeast(conf, BotOptions.MAX_VIEWS_PER_MINUTE, 1),
                blacklist);
    }
}
