package io.haitaopulse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark runs every case and writes its JSON. No speed is asserted (that is what the
 * benchmark itself is for): only that each case ran over the events it should have read. An
 * integration test: kafka_e2e and kafka_freshness start a Kafka broker and PostgreSQL.
 */
class BenchSmokeIT {

    @Test
    void runsEveryCaseAndWritesJson(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("bench.json");
        int code = BenchCli.execute(
                "--events",
                "20000",
                "--items",
                "500",
                "--span",
                "6h",
                "--warmup",
                "5000",
                "--warmup-rounds",
                "2",
                "--rate",
                "5000",
                "--freshness-seconds",
                "14",
                "--out",
                out.toString(),
                "--work",
                dir.resolve("work").toString());
        assertThat(code).isZero();

        JsonNode root = new ObjectMapper().readTree(out.toFile());
        List<String> names = new ArrayList<>();
        root.get("cases").forEach(c -> names.add(c.get("name").asText()));
        assertThat(names)
                .containsExactly(
                        "source_ceiling",
                        "bot_filter",
                        "hot_items_pulse",
                        "trends_pulse",
                        "trends_pulse_no_bots",
                        "hot_items_flink_sql",
                        "hot_items_flink_sql_tuned",
                        "hot_items_classic",
                        "nexmark_q5",
                        "uplift_pulse",
                        "sourcing_pulse",
                        "kafka_e2e",
                        "kafka_freshness");
        long total = root.get("config").get("events").asLong();
        assertThat(total).isEqualTo(20_000);
        for (JsonNode c : root.get("cases")) {
            assertThat(c.get("events").asLong()).as(c.get("name").asText()).isPositive();
            if (!c.get("name").asText().equals("kafka_freshness")) {
                assertThat(c.get("events").asLong()).as(c.get("name").asText()).isLessThanOrEqualTo(total);
                // Every bounded case has sources: its start-up and its tail are within its time.
                double startup = c.get("startup_seconds").asDouble();
                double tail = c.get("after_sources_seconds").asDouble();
                assertThat(startup).as(c.get("name").asText()).isPositive();
                assertThat(tail).as(c.get("name").asText()).isNotNegative();
                // They may overlap: a small source can end before the last task runs.
                assertThat(startup)
                        .as(c.get("name").asText())
                        .isLessThanOrEqualTo(c.get("seconds").asDouble());
                assertThat(tail)
                        .as(c.get("name").asText())
                        .isLessThanOrEqualTo(c.get("seconds").asDouble());
            }
            assertThat(c.get("seconds").asDouble()).as(c.get("name").asText()).isPositive();
            assertThat(c.get("events_per_second").asLong())
                    .as(c.get("name").asText())
                    .isPositive();
            assertThat(c.get("rows").asLong()).as(c.get("name").asText()).isPositive();
        }
        // Same input for the hot-items cases: the clicks topic.
        Map<String, JsonNode> cases = new HashMap<>();
        root.get("cases").forEach(c -> cases.put(c.get("name").asText(), c));
        JsonNode ceiling = cases.get("source_ceiling");
        assertThat(cases.get("bot_filter").get("events")).isEqualTo(ceiling.get("events"));
        assertThat(cases.get("hot_items_pulse").get("events")).isEqualTo(ceiling.get("events"));
        assertThat(cases.get("hot_items_flink_sql").get("events")).isEqualTo(ceiling.get("events"));
        assertThat(cases.get("hot_items_flink_sql_tuned").get("events")).isEqualTo(ceiling.get("events"));
        assertThat(cases.get("trends_pulse_no_bots").get("events"))
                .isEqualTo(cases.get("trends_pulse").get("events"));
        assertThat(cases.get("kafka_e2e").get("events").asLong()).isEqualTo(total);
        JsonNode freshness = cases.get("kafka_freshness");
        // 14 s at 5,000 events/s, cycling through the 20,000 events' clicks and orders: the producer
        // sends an event once it is due (within 1 ms), so never more than 5,000 * 14.001 + 1.
        assertThat(freshness.get("events").asLong()).isBetween(50_000L, 70_006L);
        // Windows of 2 s ending from 3.5 s into the stream to 1.2 s before its end: at least 3.
        assertThat(freshness.get("rows").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(freshness.get("latency_p50_ms").asDouble()).isPositive();
        assertThat(freshness.get("latency_p99_ms").asDouble())
                .isGreaterThanOrEqualTo(freshness.get("latency_p50_ms").asDouble());
        assertThat(cases.get("hot_items_pulse").get("latency_p99_ms").isNull()).isTrue();
        // CPU and JIT times for every case run in this process; the freshness case's CPU time is
        // this process's while the producer streams, and it has no JIT time.
        assertThat(ceiling.get("cpu_us_per_event").asDouble()).isPositive();
        assertThat(cases.get("trends_pulse").get("jit_seconds").asDouble()).isNotNegative();
        assertThat(freshness.get("cpu_seconds").asDouble()).isPositive();
        assertThat(freshness.get("jit_seconds").isNull()).isTrue();
        // The broker served both Kafka cases; PostgreSQL's time is measured too (on 20,000 events it
        // may stay under /proc's 10 ms tick); the in-memory cases have neither.
        for (String kafka : List.of("kafka_e2e", "kafka_freshness")) {
            assertThat(cases.get(kafka).get("broker_cpu_seconds").asDouble())
                    .as(kafka)
                    .isPositive();
            JsonNode pg = cases.get(kafka).get("postgres_cpu_seconds");
            assertThat(pg.isNumber()).as(kafka).isTrue();
            assertThat(pg.asDouble()).as(kafka).isNotNegative();
        }
        assertThat(cases.get("trends_pulse").get("broker_cpu_seconds").isNull()).isTrue();
        assertThat(root.get("config").get("warmup_rounds").asInt()).isEqualTo(2);
        // Every case warmed up at least once and at most the rounds given; kafka_freshness on kafka_e2e.
        assertThat(root.get("notes").get("warmup_runs").asText())
                .startsWith("source_ceiling ")
                .contains(", kafka_e2e ")
                .doesNotContain(" 0", " 3", "kafka_freshness");
        assertThat(ceiling.get("ratio_to_source_ceiling").asDouble()).isEqualTo(1.0);
        // "× Flink SQL" divides by the faster SQL case of the run: 1.0 for it, at most 1.0 for the other.
        String baseline = root.get("flink_sql_baseline").asText();
        assertThat(baseline).isIn("hot_items_flink_sql", "hot_items_flink_sql_tuned");
        String other = baseline.equals("hot_items_flink_sql") ? "hot_items_flink_sql_tuned" : "hot_items_flink_sql";
        assertThat(cases.get(baseline).get("ratio_to_flink_sql").asDouble()).isEqualTo(1.0);
        assertThat(cases.get(other).get("ratio_to_flink_sql").asDouble()).isLessThanOrEqualTo(1.0);
        assertThat(root.get("notes").get("rows_check").asText())
                .startsWith("hot_items_pulse, hot_items_flink_sql, hot_items_flink_sql_tuned and hot_items_classic "
                        + "gave the same");
    }
}
