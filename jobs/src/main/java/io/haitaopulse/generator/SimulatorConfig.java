package io.haitaopulse.generator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Parameters of the market simulator, with the defaults of a mid-size import shop. Scenarios
 * ({@link #scenario}) are presets; every field can be overridden from the command line.
 *
 * @param start first instant simulated (default Monday 2026-11-02 00:00 in Shanghai)
 * @param duration simulated period
 * @param users registered users; 30 % of them are new and first appear during the period
 * @param itemsPerCategory catalogue size per category
 * @param sessionsPerUserPerDay mean sessions of an average user per day (women under 35: ×1.5)
 * @param maxDelay bound of delivery disorder: events are written up to this long after their time
 * @param lateShare share of events delivered far later than {@code maxDelay} (late events)
 * @param malformedShare share of click lines replaced by malformed lines (dead letters)
 * @param shocks number of planted demand shocks
 * @param withCampaigns whether campaigns (one of each kind, an A/A one, a non-randomised one) run
 * @param bots planted click bots (0 in every preset; half hammer one item, half click through
 *     everything without reading)
 * @param unpaidShare share of baskets a user checks out (an order CREATED) and never pays; every
 *     paid order is also CREATED first when this is above 0
 * @param spikePlan demand spikes and always-hot decoys planted for measuring trend detection, on
 *     top of {@code shocks} ({@link SpikePlan#none()} in every preset but {@code trend-eval})
 * @param dailyCycle strength of the daily rhythm: 1 is the shop's, 0 flat, above 1 stronger (each
 *     hour's activity raised to this power, rescaled to the same daily volume)
 * @param experiments pre-campaign period, users' persistent propensities and campaign-driven
 *     returns ({@link ExperimentPlan#none()} in every preset but {@code experiments})
 */
public record SimulatorConfig(
        Instant start,
        Duration duration,
        int users,
        int itemsPerCategory,
        double sessionsPerUserPerDay,
        Duration maxDelay,
        double lateShare,
        double malformedShare,
        int shocks,
        boolean withCampaigns,
        int bots,
        double unpaidShare,
        SpikePlan spikePlan,
        double dailyCycle,
        ExperimentPlan experiments) {

    /** Names of the presets. */
    public static final List<String> SCENARIOS =
            List.of("default", "small", "campaigns", "shocks", "trend-eval", "experiments");

    /** Default start: Monday 2026-11-02 00:00 Asia/Shanghai. */
    public static final Instant DEFAULT_START = Instant.parse("2026-11-01T16:00:00Z");

    /**
     * Start of scenario {@code trend-eval}: Monday 2026-11-02 06:00 Asia/Shanghai, so that its 30
     * hours end at 12:00 on day 2 and the day-2 spikes start at shop hours.
     */
    public static final Instant TREND_EVAL_START = Instant.parse("2026-11-01T22:00:00Z");

    /**
     * Start of scenario {@code experiments}: Monday 2026-10-12 00:00 Asia/Shanghai, so that its three
     * weeks of ordinary shopping end, and its campaign week starts, at the default start.
     */
    public static final Instant EXPERIMENTS_START = Instant.parse("2026-10-11T16:00:00Z");

    /** A configuration without spike plan or experiment plan and with the shop's own daily rhythm. */
    public SimulatorConfig(
            Instant start,
            Duration duration,
            int users,
            int itemsPerCategory,
            double sessionsPerUserPerDay,
            Duration maxDelay,
            double lateShare,
            double malformedShare,
            int shocks,
            boolean withCampaigns,
            int bots,
            double unpaidShare) {
        this(
                start,
                duration,
                users,
                itemsPerCategory,
                sessionsPerUserPerDay,
                maxDelay,
                lateShare,
                malformedShare,
                shocks,
                withCampaigns,
                bots,
                unpaidShare,
                SpikePlan.none(),
                1.0,
                ExperimentPlan.none());
    }

    /** The preset {@code name}; throws {@link IllegalArgumentException} for an unknown one. */
    public static SimulatorConfig scenario(String name) {
        return switch (name) {
            case "default" ->
                new SimulatorConfig(
                        DEFAULT_START,
                        Duration.ofDays(3),
                        20_000,
                        200,
                        1.2,
                        Duration.ofSeconds(5),
                        0.0005,
                        0.0005,
                        6,
                        true,
                        0,
                        0.0);
            case "small" ->
                new SimulatorConfig(
                        DEFAULT_START,
                        Duration.ofDays(1),
                        3_000,
                        40,
                        1.2,
                        Duration.ofSeconds(5),
                        0.0,
                        0.0,
                        4,
                        true,
                        0,
                        0.0);
            case "campaigns" ->
                new SimulatorConfig(
                        DEFAULT_START,
                        Duration.ofDays(2),
                        20_000,
                        60,
                        1.5,
                        Duration.ofSeconds(5),
                        0.0,
                        0.0,
                        0,
                        true,
                        0,
                        0.0);
            case "shocks" ->
                new SimulatorConfig(
                        DEFAULT_START,
                        Duration.ofDays(2),
                        10_000,
                        100,
                        1.2,
                        Duration.ofSeconds(5),
                        0.0,
                        0.0,
                        10,
                        false,
                        0,
                        0.0);
            case "trend-eval" ->
                // Trend detection measured: 30 hours of a 2,000-item shop, no campaigns, no
                // disorder beyond the usual bound, and planted spikes and decoys (SpikePlan).
                new SimulatorConfig(
                        TREND_EVAL_START,
                        Duration.ofHours(30),
                        20_000,
                        200,
                        1.2,
                        Duration.ofSeconds(5),
                        0.0,
                        0.0,
                        0,
                        false,
                        0,
                        0.0,
                        SpikePlan.trendEval(),
                        1.0,
                        ExperimentPlan.none());
            case "experiments" ->
                // Experiment analysis (CUPED, returns guardrail): three weeks of ordinary shopping by
                // users who differ persistently, then the campaigns over one week; sized for a 2-core
                // machine (about 2.4 million events) with a few thousand exposed users per campaign.
                new SimulatorConfig(
                        EXPERIMENTS_START,
                        Duration.ofDays(28),
                        12_000,
                        40,
                        1.2,
                        Duration.ofSeconds(5),
                        0.0,
                        0.0,
                        0,
                        true,
                        0,
                        0.0,
                        SpikePlan.none(),
                        1.0,
                        ExperimentPlan.experiments());
            default ->
                throw new IllegalArgumentException(
                        "unknown scenario '" + name + "'; use one of " + String.join(", ", SCENARIOS));
        };
    }

    /** Checks the ranges; throws {@link IllegalArgumentException} naming the bad parameter. */
    public SimulatorConfig validate() {
        if (duration.toMinutes() < 60) {
            throw new IllegalArgumentException("--days: the simulated period must be at least one hour");
        }
        if (users < 10) {
            throw new IllegalArgumentException("--users must be at least 10");
        }
        if (itemsPerCategory < 5) {
            throw new IllegalArgumentException("--items-per-category must be at least 5");
        }
        if (!(lateShare >= 0 && lateShare < 1) || !(malformedShare >= 0 && malformedShare < 1)) {
            throw new IllegalArgumentException("--late-share and --malformed-share must be within [0, 1)");
        }
        if (bots < 0) {
            throw new IllegalArgumentException("--bots must not be negative");
        }
        if (!(unpaidShare >= 0 && unpaidShare < 1)) {
            throw new IllegalArgumentException("--unpaid-share must be within [0, 1)");
        }
        if (maxDelay.isNegative()) {
            throw new IllegalArgumentException("--max-delay must not be negative");
        }
        if (!(dailyCycle >= 0 && dailyCycle <= 4)) {
            throw new IllegalArgumentException("--daily-cycle must be within [0, 4]");
        }
        spikePlan.validate(duration);
        experiments.validate(duration);
        return this;
    }

    public SimulatorConfig withDuration(Duration d) {
        return new SimulatorConfig(
                start,
                d,
                users,
                itemsPerCategory,
                sessionsPerUserPerDay,
                maxDelay,
                lateShare,
                malformedShare,
                shocks,
                withCampaigns,
                bots,
                unpaidShare,
                spikePlan,
                dailyCycle,
                experiments);
    }

    public SimulatorConfig withUsers(int u) {
        return new SimulatorConfig(
                start,
                duration,
                u,
                itemsPerCategory,
                sessionsPerUserPerDay,
                maxDelay,
                lateShare,
                malformedShare,
                shocks,
                withCampaigns,
                bots,
                unpaidShare,
                spikePlan,
                dailyCycle,
                experiments);
    }

    public SimulatorConfig withDisorder(Duration delay, double late, double malformed) {
        return new SimulatorConfig(
                start,
                duration,
                users,
                itemsPerCategory,
                sessionsPerUserPerDay,
                delay,
                late,
                malformed,
                shocks,
                withCampaigns,
                bots,
                unpaidShare,
                spikePlan,
                dailyCycle,
                experiments);
    }

    /** With {@code bots} planted bots and {@code unpaidShare} of baskets checked out and never paid. */
    public SimulatorConfig withBotsAndUnpaid(int b, double unpaid) {
        return new SimulatorConfig(
                start,
                duration,
                users,
                itemsPerCategory,
                sessionsPerUserPerDay,
                maxDelay,
                lateShare,
                malformedShare,
                shocks,
                withCampaigns,
                b,
                unpaid,
                spikePlan,
                dailyCycle,
                experiments);
    }

    /** Starting at {@code s} instead. */
    public SimulatorConfig withStart(Instant s) {
        return new SimulatorConfig(
                s,
                duration,
                users,
                itemsPerCategory,
                sessionsPerUserPerDay,
                maxDelay,
                lateShare,
                malformedShare,
                shocks,
                withCampaigns,
                bots,
                unpaidShare,
                spikePlan,
                dailyCycle,
                experiments);
    }

    /** With {@code plan} planted instead of this configuration's spike plan. */
    public SimulatorConfig withSpikePlan(SpikePlan plan) {
        return new SimulatorConfig(
                start,
                duration,
                users,
                itemsPerCategory,
                sessionsPerUserPerDay,
                maxDelay,
                lateShare,
                malformedShare,
                shocks,
                withCampaigns,
                bots,
                unpaidShare,
                plan,
                dailyCycle,
                experiments);
    }

    /** With a daily rhythm of strength {@code strength} (1: the shop's). */
    public SimulatorConfig withDailyCycle(double strength) {
        return new SimulatorConfig(
                start,
                duration,
                users,
                itemsPerCategory,
                sessionsPerUserPerDay,
                maxDelay,
                lateShare,
                malformedShare,
                shocks,
                withCampaigns,
                bots,
                unpaidShare,
                spikePlan,
                strength,
                experiments);
    }

    /** With {@code plan} planted instead of this configuration's experiment plan. */
    public SimulatorConfig withExperiments(ExperimentPlan plan) {
        return new SimulatorConfig(
                start,
                duration,
                users,
                itemsPerCategory,
                sessionsPerUserPerDay,
                maxDelay,
                lateShare,
                malformedShare,
                shocks,
                withCampaigns,
                bots,
                unpaidShare,
                spikePlan,
                dailyCycle,
                plan);
    }

    /** First instant of the campaign period: the start, after the pre-campaign period if any. */
    public long campaignPeriodStart() {
        return start.toEpochMilli() + experiments.preCampaign().toMillis();
    }
}
