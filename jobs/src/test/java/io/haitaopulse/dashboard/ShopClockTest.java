package io.haitaopulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The shop's offset as the dashboard takes and labels it, and the category names per language. */
class ShopClockTest {

    @Test
    void offsetsParseInTheDurationFormsWithASign() {
        assertThat(ShopClock.parseOffset("8h")).isEqualTo(ZoneOffset.ofHours(8));
        assertThat(ShopClock.parseOffset("+8h")).isEqualTo(ZoneOffset.ofHours(8));
        assertThat(ShopClock.parseOffset("-5h")).isEqualTo(ZoneOffset.ofHours(-5));
        assertThat(ShopClock.parseOffset("330m")).isEqualTo(ZoneOffset.ofHoursMinutes(5, 30));
        assertThat(ShopClock.parseOffset("0s")).isEqualTo(ZoneOffset.UTC);
    }

    @Test
    void badOffsetsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> ShopClock.parseOffset("UTC+8"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'UTC+8' is not a time zone offset; use e.g. 8h, -5h or 330m");
        assertThatThrownBy(() -> ShopClock.parseOffset("19h"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a time zone offset must be whole seconds within -18h and +18h, not PT19H");
        assertThatThrownBy(() -> ShopClock.offsetOf(Duration.ofMillis(1500)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void labelsNameTheOffsetFromUtc() {
        assertThat(ShopClock.wall(ZoneOffset.ofHours(8)).label()).isEqualTo("UTC+08:00");
        assertThat(ShopClock.wall(ZoneOffset.ofHours(-5)).label()).isEqualTo("UTC-05:00");
        assertThat(ShopClock.wall(ZoneOffset.UTC).label()).isEqualTo("UTC+00:00");
        assertThat(ShopClock.wall(ZoneOffset.UTC).isSimulated()).isFalse();
        assertThat(ShopClock.simulated(ZoneOffset.UTC, () -> 0L).isSimulated()).isTrue();
    }

    @Test
    void categoryNamesShowThePartOfThePagesLanguage() {
        assertThat(ViewReader.inLanguage("Infant formula / 婴儿奶粉", "en")).isEqualTo("Infant formula");
        assertThat(ViewReader.inLanguage("Infant formula / 婴儿奶粉", "zh")).isEqualTo("婴儿奶粉");
        assertThat(ViewReader.inLanguage("Snacks", "zh")).isEqualTo("Snacks");
        assertThat(ViewReader.inLanguage("A/B testing kits", "en")).isEqualTo("A/B testing kits");
        assertThat(ViewReader.inLanguage(null, "en")).isNull();
    }
}
