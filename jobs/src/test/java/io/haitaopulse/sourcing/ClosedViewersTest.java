package io.haitaopulse.sourcing;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.common.DistinctUsers;
import org.junit.jupiter.api.Test;

/** The closed days' union is reused while those days are unchanged, and merged anew when they change. */
class ClosedViewersTest {

    private static void view(ItemDays days, long day, String user) {
        ItemEvent e = new ItemEvent();
        e.kind = ItemEvent.VIEW;
        e.userHash = DistinctUsers.hash(user);
        e.addTo(days, day);
    }

    /** Days 10 to 12: u0–u2 on day 10, u2–u4 on day 11, u4–u6 on day 12 (7 viewers). */
    private static ItemDays threeDays() {
        ItemDays days = new ItemDays();
        for (int d = 0; d < 3; d++) {
            for (int u = 2 * d; u <= 2 * d + 2; u++) {
                view(days, 10 + d, "u" + u);
            }
        }
        return days;
    }

    @Test
    void theCurrentDayIsMergedIntoACopyOfTheReusedUnion() {
        ItemDays days = threeDays();
        ClosedViewers union = ClosedViewers.refresh(null, days, 12);
        assertThat(union.users.count()).isEqualTo(5);
        assertThat(ClosedViewers.all(union, days, 12).count()).isEqualTo(7);

        view(days, 12, "u7");
        assertThat(ClosedViewers.refresh(union, days, 12)).isSameAs(union);
        assertThat(ClosedViewers.all(union, days, 12).count()).isEqualTo(8);
        assertThat(union.users.count()).as("the kept union is not merged into").isEqualTo(5);
    }

    @Test
    void aViewOnAClosedDayMergesTheUnionAnew() {
        ItemDays days = threeDays();
        ClosedViewers union = ClosedViewers.refresh(null, days, 12);
        view(days, 11, "u9");
        ClosedViewers rebuilt = ClosedViewers.refresh(union, days, 12);
        assertThat(rebuilt).isNotSameAs(union);
        assertThat(ClosedViewers.all(rebuilt, days, 12).count()).isEqualTo(8);
    }

    @Test
    void aNewDayOrADroppedOneMergesTheUnionAnew() {
        ItemDays days = threeDays();
        ClosedViewers union = ClosedViewers.refresh(null, days, 12);

        ClosedViewers nextDay = ClosedViewers.refresh(union, days, 13);
        assertThat(nextDay).isNotSameAs(union);
        assertThat(nextDay.users.count()).isEqualTo(7);

        days.dropBefore(11);
        ClosedViewers dropped = ClosedViewers.refresh(nextDay, days, 13);
        assertThat(dropped).isNotSameAs(nextDay);
        assertThat(ClosedViewers.all(dropped, days, 13).count()).isEqualTo(5);
    }

    @Test
    void noClosedDayNoUnion() {
        ItemDays days = new ItemDays();
        view(days, 12, "u1");
        assertThat(ClosedViewers.refresh(null, days, 12)).isNull();
        assertThat(ClosedViewers.all(null, days, 12).count()).isEqualTo(1);
    }
}
