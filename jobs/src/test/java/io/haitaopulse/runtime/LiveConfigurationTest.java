package io.haitaopulse.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.junit.jupiter.api.Test;

/** The production defaults {@link Live#configure} fills in, and that an operator's own values win. */
class LiveConfigurationTest {

    @Test
    void objectReuseIsOnUnlessTheOperatorSaysOtherwise() {
        assertThat(Live.configure(new Configuration()).get(PipelineOptions.OBJECT_REUSE))
                .as("the bot filter's fan-out to every job's route must not deep-copy each event")
                .isTrue();
        Configuration own = new Configuration();
        own.set(PipelineOptions.OBJECT_REUSE, false);
        assertThat(Live.configure(own).get(PipelineOptions.OBJECT_REUSE)).isFalse();
    }

    @Test
    void genericTypesStayOffEvenWhenAsked() {
        Configuration own = new Configuration();
        own.set(PipelineOptions.GENERIC_TYPES, true);
        assertThat(Live.configure(own).get(PipelineOptions.GENERIC_TYPES))
                .as("a Kryo fallback is a bug, not a setting")
                .isFalse();
    }
}
