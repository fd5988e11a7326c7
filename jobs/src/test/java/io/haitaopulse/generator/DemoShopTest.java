package io.haitaopulse.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.haitaopulse.runtime.LiveDemo;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code pulse demo --scenario} takes every scenario: the shop the demo adds its bots, unpaid
 * orders and first-impression spikes to is valid for each (the spikes' onsets fit in the run, and
 * its catalogue has items enough to plant them on), without simulating a single event.
 */
class DemoShopTest {

    @Test
    void everyScenarioMakesAValidDemoShop() {
        for (String scenario : SimulatorConfig.SCENARIOS) {
            assertThatCode(() -> new Catalogue(
                            LiveDemo.simulatorConfig(scenario).validate(),
                            new SplittableRandom(1),
                            new SplittableRandom(2)))
                    .as("the demo's shop for scenario %s", scenario)
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void theDefaultShopPlantsEightSpikesAndAOneDayShopTwo() {
        assertThat(LiveDemo.simulatorConfig("default").spikePlan().spikes()).isEqualTo(8);
        assertThat(LiveDemo.simulatorConfig("small").spikePlan().spikes()).isEqualTo(2);
    }
}
