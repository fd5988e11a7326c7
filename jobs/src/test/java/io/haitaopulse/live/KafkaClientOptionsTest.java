package io.haitaopulse.live;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haitaopulse.io.OutputTable;
import io.haitaopulse.schema.HotItem;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** The batching options of the Kafka clients refuse a negative wait with one line naming the key. */
class KafkaClientOptionsTest {

    @Test
    void aNegativeFetchWaitIsRefusedWhenTheSourceIsBuilt() {
        Configuration conf = new Configuration();
        conf.set(LiveOptions.FETCH_WAIT, Duration.ofMillis(-1));
        assertThatThrownBy(() -> KafkaInputs.source(Topics.CLICKS, conf, "trends"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("pulse.kafka.fetch-wait")
                .hasMessageContaining("must not be negative");
    }

    @Test
    void aNegativeLingerIsRefusedWhenTheSinkIsBuilt() {
        Configuration conf = new Configuration();
        conf.set(LiveOptions.LINGER, Duration.ofMillis(-5));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        var rows = env.fromSequence(0, 0).map(i -> new HotItem(), new AvroTypeInfo<>(HotItem.class));
        assertThatThrownBy(() -> new LiveSinks(conf, "trends").write(OutputTable.HOT_ITEMS, rows))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("pulse.kafka.linger")
                .hasMessageContaining("must not be negative");
    }
}
