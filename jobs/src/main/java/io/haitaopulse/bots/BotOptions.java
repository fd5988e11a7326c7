package io.haitaopulse.bots;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;

/**
 * Typed options of the bot and click-fraud filter. The defaults sit far above anything a person
 * does: in the Taobao sample the busiest user-minute has 5 views and the busiest
 * (user, item, minute) 3.
 */
public final class BotOptions {

    public static final ConfigOption<Boolean> ENABLED = key("pulse.bots.enabled")
            .booleanType()
            .defaultValue(true)
            .withDescription(
                    "Filter the clicks of users a bot rule blacklists out of every job. The filter holds event "
                            + "time back by one minute (the judging window).");

    public static final ConfigOption<Integer> MAX_ITEM_VIEWS_PER_MINUTE = key("pulse.bots.max-item-views-per-minute")
            .intType()
            .defaultValue(10)
            .withDescription("Rule repeat-item: more VIEWs than this of one item by one user in one event-time minute "
                    + "blacklist the user. At least 1.");

    public static final ConfigOption<Integer> MAX_VIEWS_PER_MINUTE = key("pulse.bots.max-views-per-minute")
            .intType()
            .defaultValue(30)
            .withDescription("Rule no-dwell: more VIEWs by one user in one event-time minute (under 2 s per page on "
                    + "average) blacklist the user. At least 1.");

    public static final ConfigOption<Duration> BLACKLIST = key("pulse.bots.blacklist")
            .durationType()
            .defaultValue(Duration.ofHours(1))
            .withDescription(
                    "How long a blacklisting lasts, from the start of the offending minute; the user's clicks go "
                            + "to suspicious_events meanwhile. At least 1m (the judging window).");

    private BotOptions() {}
}
