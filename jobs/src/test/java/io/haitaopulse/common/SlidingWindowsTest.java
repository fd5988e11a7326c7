package io.haitaopulse.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SlidingWindowsTest {

    // 10 ms windows sliding by 5 ms: windows [-5,5), [0,10), [5,15), ...
    private final SlidingWindows w = new SlidingWindows(10, 5, 0);

    @Test
    void panesAreTheGreatestCommonDivisorOfSizeAndSlide() {
        assertThat(new SlidingWindows(3_600_000, 300_000, 0).pane()).isEqualTo(300_000);
        assertThat(new SlidingWindows(10, 4, 0).pane()).isEqualTo(2);
        assertThat(w.paneStart(7)).isEqualTo(5);
        assertThat(w.paneStart(-1)).isEqualTo(-5);
    }

    @Test
    void anEventBelongsToTheWindowsBetweenItsFirstAndLastEnd() {
        assertThat(w.firstWindowEnd(7)).isEqualTo(10); // [0,10) contains 7, [-5,5) does not
        assertThat(w.lastWindowEnd(7)).isEqualTo(15); // [5,15)
        assertThat(w.firstWindowEnd(5)).isEqualTo(10);
        assertThat(w.lastWindowEnd(5)).isEqualTo(15);
        assertThat(w.firstWindowEnd(4)).isEqualTo(5);
        assertThat(w.lastWindowEnd(-3)).isEqualTo(5);
        assertThat(w.firstWindowEnd(-3)).isEqualTo(0);
        SlidingWindows uneven = new SlidingWindows(10, 4, 0); // starts 0,4,8,...: [0,10),[4,14),[8,18)
        assertThat(uneven.firstWindowEnd(9)).isEqualTo(10);
        assertThat(uneven.lastWindowEnd(9)).isEqualTo(18);
        assertThat(uneven.isWindowEnd(14)).isTrue();
        assertThat(uneven.isWindowEnd(12)).isFalse();
    }

    @Test
    void anEventIsLateOnlyWhenItsLastWindowIsPurged() {
        // Last window of ts=7 is [5,15): fires at 14.
        assertThat(w.isLate(7, 13)).isFalse();
        assertThat(w.isLate(7, 14)).isTrue();
        SlidingWindows lenient = new SlidingWindows(10, 5, 3);
        assertThat(lenient.isLate(7, 16)).isFalse();
        assertThat(lenient.isLate(7, 17)).isTrue();
    }

    @Test
    void panesAreRetainedUntilTheirLastWindowIsPurged() {
        // At 9 the window [0,10) fired; pane 0 is in no later window, pane 5 is in [5,15).
        assertThat(w.minRetainedPaneStart(9)).isEqualTo(5);
        assertThat(new SlidingWindows(10, 5, 5).minRetainedPaneStart(9)).isEqualTo(0);
    }

    @Test
    void watermarksAlignDownToTheGridOfFireAndPurgeTimes() {
        // Panes of 5: windows fire at 4, 9, 14, …
        assertThat(w.alignToWindowTimers(3)).isEqualTo(-1);
        assertThat(w.alignToWindowTimers(4)).isEqualTo(4);
        assertThat(w.alignToWindowTimers(8)).isEqualTo(4);
        assertThat(w.alignToWindowTimers(-7)).isEqualTo(-11);
        assertThat(w.alignToWindowTimers(Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
        assertThat(w.alignToWindowTimers(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        // Lateness 2 purges at 6, 11, …: the grid is gcd(5, 2) = 1, every watermark matters.
        assertThat(new SlidingWindows(10, 5, 2).alignToWindowTimers(7)).isEqualTo(7);
        // 1 h windows sliding by 5 min with 1 min lateness: a grid of one minute.
        SlidingWindows hour = new SlidingWindows(3_600_000, 300_000, 60_000);
        assertThat(hour.alignToWindowTimers(659_999)).isEqualTo(659_999);
        assertThat(hour.alignToWindowTimers(719_998)).isEqualTo(659_999);
        // Exhaustively on a small grid: a fire or purge time is reached by the aligned watermark iff by the exact one.
        SlidingWindows lenient = new SlidingWindows(12, 4, 6);
        for (long wm = -30; wm < 60; wm++) {
            for (long end = -24; end < 72; end += 4) {
                assertThat(SlidingWindows.fireTime(end) <= lenient.alignToWindowTimers(wm))
                        .isEqualTo(SlidingWindows.fireTime(end) <= wm);
                assertThat(lenient.purgeTime(end) <= lenient.alignToWindowTimers(wm))
                        .isEqualTo(lenient.purgeTime(end) <= wm);
            }
        }
    }

    @Test
    void rejectsASlideLongerThanTheWindow() {
        assertThatThrownBy(() -> new SlidingWindows(5, 10, 0)).hasMessageContaining("slide");
    }
}
