package io.haitaopulse.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.io.OutputTable;
import io.haitaopulse.schema.TrendAlert;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.junit.jupiter.api.Test;

/**
 * The catalogue on Kafka: an input topic keyed by item id and compacted, readable by the jobs and
 * writable by producers; the reference tables have no output topic of their own (theirs would be
 * the input of the same name). Of the outputs, trend_alerts alone is compacted.
 */
class TopicsTest {

    @Test
    void theItemsTopicIsACompactedInputAndTheOnlyOne() {
        assertThat(Topics.INPUTS).contains(Topics.ITEMS);
        assertThat(Topics.ITEMS.name()).isEqualTo("items");
        assertThat(Topics.ITEMS.keyField()).isEqualTo("item_id");
        assertThat(LiveSetup.configOf("items")).isEqualTo(Map.of("cleanup.policy", "compact"));
        for (Topics.Input<?> in : Topics.INPUTS) {
            if (in != Topics.ITEMS) {
                assertThat(LiveSetup.configOf(in.name())).as(in.name()).isEmpty();
            }
        }
        assertThat(LiveSetup.configOf("hot_items")).isEmpty();
    }

    @Test
    void trendAlertsIsTheOneCompactedOutputKeyedByItemAndEpisodeStart() {
        assertThat(LiveSetup.configOf("trend_alerts")).isEqualTo(Map.of("cleanup.policy", "compact,delete"));
        for (String topic : Topics.outputs(OutputTable.all())) {
            if (!topic.equals("trend_alerts")) {
                assertThat(LiveSetup.configOf(topic)).as(topic).isEmpty();
            }
        }
        // Every version of one episode has the same key, so compaction keeps its newest row.
        TrendAlert open = new TrendAlert(
                10100001L,
                101L,
                Instant.ofEpochMilli(1_793_620_800_000L),
                null,
                Instant.ofEpochMilli(1_793_620_800_000L),
                3.5,
                4.25,
                60L);
        TrendAlert ended = TrendAlert.newBuilder(open)
                .setLastWindowEnd(Instant.ofEpochMilli(1_793_621_400_000L))
                .setEndedAt(Instant.ofEpochMilli(1_793_621_700_000L))
                .setPeakViews(75L)
                .build();
        for (TrendAlert row : List.of(open, ended)) {
            assertThat(new String(TableRecordSerializer.key(OutputTable.TREND_ALERTS, row), StandardCharsets.UTF_8))
                    .isEqualTo("10100001|1793620800000");
        }
        assertThat(grants(KafkaAcls.jobUser("pulse"), "trend_alerts"))
                .containsExactlyInAnyOrder(AclOperation.WRITE, AclOperation.DESCRIBE);
        assertThat(grants(KafkaAcls.producerUser("shop"), "trend_alerts")).isEmpty();
    }

    @Test
    void theReferenceTablesHaveNoOutputTopic() {
        List<String> outputs = Topics.outputs(OutputTable.all());
        assertThat(outputs).contains("hot_items", "dead_letters", "late_events").doesNotContain("items", "campaigns");
        assertThat(outputs).hasSize(OutputTable.all().size() - 2);
        assertThat(OutputTable.ITEMS.onKafka()).isFalse();
        assertThat(OutputTable.CAMPAIGNS.onKafka()).isFalse();
        assertThat(OutputTable.HOT_ITEMS.onKafka()).isTrue();
    }

    @Test
    void jobsReadAndProducersWriteTheItemsTopicAndNoJobWritesAnInput() {
        assertThat(grants(KafkaAcls.jobUser("pulse"), "items"))
                .containsExactlyInAnyOrder(AclOperation.READ, AclOperation.DESCRIBE);
        assertThat(grants(KafkaAcls.jobUser("pulse"), "campaigns"))
                .containsExactlyInAnyOrder(AclOperation.READ, AclOperation.DESCRIBE);
        assertThat(grants(KafkaAcls.producerUser("shop"), "items"))
                .containsExactlyInAnyOrder(AclOperation.WRITE, AclOperation.DESCRIBE);
        assertThat(grants(KafkaAcls.jobUser("pulse"), "hot_items"))
                .containsExactlyInAnyOrder(AclOperation.WRITE, AclOperation.DESCRIBE);
    }

    private static List<AclOperation> grants(List<AclBinding> acls, String topic) {
        return acls.stream()
                .filter(a -> a.pattern().name().equals(topic))
                .map(a -> a.entry().operation())
                .toList();
    }
}
