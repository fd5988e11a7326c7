package io.haitaopulse.uplift;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.uplift.UpliftQuality.Interval;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product's bar for campaign statistics on planted truth: scenario {@code experiments} (three
 * weeks of ordinary shopping by the same users, then the campaigns), seeds 1 and 2, five
 * randomised campaigns × three metrics each. The true lifts come from the simulator's coupled
 * potential outcomes ({@link UpliftQuality}).
 *
 * <ul>
 *   <li>Both 95 % intervals cover the true lift about 95 % of the time: at least 27 of 30 each.</li>
 *   <li>CUPED narrows the revenue interval: median variance reduction at least 0.15 (the users'
 *       past explains part of their spending), and never widens an interval by more than 2 %.</li>
 *   <li>The guardrail warns for the holiday discount (returns planted ×2) in both seeds and never for
 *       the A/A campaign.</li>
 * </ul>
 * Two generations and replays of about 2.5 million events: an integration test for {@code mvn verify}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpliftQualityIT {

    @TempDir
    static Path tmp;

    private final List<Interval> intervals = new ArrayList<>();

    @BeforeAll
    void replay() throws Exception {
        for (long seed : List.of(1L, 2L)) {
            intervals.addAll(UpliftQuality.run(seed, UpliftQuality.options(), tmp.resolve("seed-" + seed)));
        }
        System.out.print(UpliftQuality.report(intervals));
    }

    @Test
    void bothIntervalsCoverTheTrueLiftAtAboutTheirLevel() {
        assertThat(intervals).hasSize(30);
        assertThat(intervals.stream().filter(Interval::plainCovers).count()).isGreaterThanOrEqualTo(27);
        assertThat(intervals.stream().filter(Interval::cupedCovers).count()).isGreaterThanOrEqualTo(27);
    }

    @Test
    void cupedNarrowsTheRevenueInterval() {
        double[] revenue = intervals.stream()
                .filter(i -> i.metric().equals(CampaignScoreboard.REVENUE))
                .mapToDouble(Interval::varianceReduction)
                .sorted()
                .toArray();
        assertThat(revenue[revenue.length / 2]).isGreaterThanOrEqualTo(0.15);
        assertThat(intervals)
                .allSatisfy(i -> assertThat(i.widthRatio())
                        .as("%s %s seed %d", i.campaign(), i.metric(), i.seed())
                        .isLessThanOrEqualTo(1.02));
    }

    @Test
    void theGuardrailWarnsForTheDiscountThatBringsReturnsAndNotForTheAaTest() {
        List<Interval> returns = intervals.stream()
                .filter(i -> i.metric().equals(CampaignScoreboard.RETURNS))
                .toList();
        assertThat(returns)
                .filteredOn(i -> i.campaign().equals("holiday-2026"))
                .hasSize(2)
                .allMatch(Interval::warned);
        assertThat(returns)
                .filteredOn(i -> i.campaign().equals("wechat-push"))
                .hasSize(2)
                .noneMatch(Interval::warned);
    }
}
