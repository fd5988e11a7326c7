package io.haitaopulse.sourcing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.schema.SourcingShortlist;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One category, three items, three days of history, complete days. Category totals (all items):
 * 45 orders / 300 viewers = 15 % conversion, 3 / 45 units returned, complaints weighted
 * (1 + 2 + 4 × 2 counterfeit) = 11 over 15 reviews, mean rating 68 / 15. Expected values computed
 * independently (Python).
 */
class CategoryShortlistTest {

    private static ItemSnapshot item(
            long id,
            double[] units,
            long viewers,
            long orders,
            long sold,
            long returned,
            long ratings,
            long ratingSum,
            long complaints,
            long counterfeit) {
        ItemSnapshot s = new ItemSnapshot();
        s.itemId = id;
        s.categoryId = 7;
        s.asOf = 0;
        s.dailyUnits = units;
        s.lastDayFraction = 1.0;
        s.viewers = viewers;
        s.orders = orders;
        s.units = sold;
        s.returned = returned;
        s.ratings = ratings;
        s.ratingSum = ratingSum;
        s.complaints = complaints;
        s.counterfeit = counterfeit;
        return s;
    }

    @Test
    void ranksByShrunkSatisfactionAndDemandAndExcludesCounterfeits() {
        CategoryShortlist shortlist = new CategoryShortlist(
                new SlidingWindows(3_600_000, 3_600_000, 0), 10, SourcingOptions.Freight.SEA, 0.95, 2, 0.15, 5.0);
        ItemSnapshot a = item(1, new double[] {2, 4, 6}, 80, 12, 12, 0, 4, 20, 0, 0);
        ItemSnapshot b = item(2, new double[] {0, 0, 3}, 20, 3, 3, 1, 1, 3, 1, 0);
        // The most popular item, but with two counterfeit complaints: never shortlisted.
        ItemSnapshot c = item(3, new double[] {10, 10, 10}, 200, 30, 30, 2, 10, 45, 2, 2);

        List<SourcingShortlist> rows = shortlist.rank(7, 0, List.of(b, c, a));

        assertThat(rows).extracting(SourcingShortlist::getItemId).containsExactly(1L, 2L);
        assertThat(rows).extracting(SourcingShortlist::getRank).containsExactly(1, 2);
        SourcingShortlist first = rows.get(0);
        assertThat(first.getScore()).isCloseTo(0.6784253885771074, within(1e-12));
        assertThat(first.getForecastDailyUnits()).isCloseTo(3.796741999999999, within(1e-12));
        assertThat(first.getConversionRate()).isCloseTo(0.15, within(1e-12));
        assertThat(first.getAvgRating()).isCloseTo(4.7407407407407405, within(1e-12));
        assertThat(first.getReturnRate()).isCloseTo(0.041666666666666664, within(1e-12));
        assertThat(first.getComplaintRate()).isCloseTo(0.5238095238095238, within(1e-12));
        assertThat(first.getRecommendedOrderUnits()).isEqualTo(215);
        assertThat(first.getReasons())
                .containsExactly(
                        "forecast 3.8 units/day",
                        "conversion 15.0 % vs category 15.0 %",
                        "return rate 4.2 % vs category 6.7 %",
                        "rating 4.7 vs category 4.5",
                        "no counterfeit complaints");
        SourcingShortlist second = rows.get(1);
        assertThat(second.getScore()).isCloseTo(0.2583582405694183, within(1e-12));
        assertThat(second.getForecastDailyUnits()).isEqualTo(3.0);
        assertThat(second.getReturnRate()).isCloseTo(0.10144927536231883, within(1e-12));
        assertThat(second.getComplaintRate()).isCloseTo(0.7575757575757575, within(1e-12));
        assertThat(second.getRecommendedOrderUnits()).isEqualTo(170);
    }

    @Test
    void weekOnWeekGrowthNeedsTwoWeeksOfHistory() {
        double[] thirteen = new double[13];
        assertThat(CategoryShortlist.weekOnWeek(thirteen)).isNull();
        double[] two = {1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2};
        // (14 + 1) / (7 + 1) - 1
        assertThat(CategoryShortlist.weekOnWeek(two)).isCloseTo(0.875, within(1e-15));
    }

    @Test
    void theCategoryWeekdayProfileNeedsTwoFullWeeks() {
        // Shop day 20398 is Thursday 2025-11-06 (0 = Monday); 15 full days before it, then today.
        long lastDay = 20_398;
        assertThat(CategoryShortlist.weekdayOf(lastDay)).isEqualTo(3);
        double[] daily = new double[16];
        for (int k = 0; k < 15; k++) {
            int wd = CategoryShortlist.weekdayOf(lastDay - (15 - k));
            daily[k] = wd >= 5 ? 20 : 10; // weekends sell twice as much
        }
        daily[15] = 3; // today, partial: ignored
        double[] f = CategoryShortlist.weekdayFactors(daily, lastDay);
        // 15 days from a Wednesday: 4 weekend days at 20, 11 weekdays at 10: mean 190 / 15.
        assertThat(f[5]).isCloseTo(20 / (190.0 / 15), within(1e-12));
        assertThat(f[0]).isCloseTo(10 / (190.0 / 15), within(1e-12));
        assertThat(CategoryShortlist.weekdayFactors(java.util.Arrays.copyOfRange(daily, 2, 16), lastDay))
                .as("13 full days: flat")
                .containsOnly(1.0);
    }

    @Test
    void aPartialLastDayIsScaledToAFullDay() {
        ItemSnapshot s = item(1, new double[] {0, 4, 3}, 0, 0, 0, 0, 0, 0, 0, 0);
        s.lastDayFraction = 0.25;
        assertThat(CategoryShortlist.observed(s)).containsExactly(4.0, 12.0);
        s.lastDayFraction = 1.0 / 24;
        assertThat(CategoryShortlist.observed(s))
                .as("scaled from a quarter day at most")
                .containsExactly(4.0, 12.0);
    }
}
