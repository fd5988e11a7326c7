package io.haitaopulse.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.haitaopulse.io.InputFormat;
import io.haitaopulse.io.ReplayOutput;
import io.haitaopulse.runtime.Replay;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UserBehavior format pseudonymises too: its user ids are bare numbers, so instead of a
 * token scan this test plants distinctive ones and checks every place a user id can reach (a
 * late event, a dead letter's raw line) and every output byte.
 */
class UserBehaviorPrivacyTest {

    @Test
    void csvUserIdsArePseudonymisedInLateEventsAndDeadLetters(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("UserBehavior.csv");
        // Seconds: a view at 10000 s, one 100 s later that moves the watermark, one late at 9000 s, one garbled.
        Files.writeString(
                in,
                String.join(
                        "\n",
                        "987650001,11,1,pv,10000",
                        "987650002,12,1,pv,10100",
                        "987650003,13,1,pv,9000",
                        "987650004,14,1,zz,10200",
                        ""));
        PseudonymKey key = PseudonymKey.generate();
        Configuration conf = new Configuration();
        conf.set(PrivacyOptions.PSEUDONYM_SECRET, key.toBase64());
        Path out = tmp.resolve("out");

        Replay.Result r =
                Replay.run(new Replay.Spec("trends", List.of(in), out, InputFormat.USERBEHAVIOR, conf, 1, null, null));

        Pseudonymizer p = new Pseudonymizer(key);
        assertThat(r.keyId()).isEqualTo(key.id());
        assertThat(r.keyOrigin()).isEqualTo("pulse.privacy.pseudonym-secret");
        List<JsonNode> late = ReplayOutput.readRows(out.resolve("late_events.jsonl"));
        assertThat(late).hasSize(1);
        assertThat(late.get(0).get("event").get("user_id").asText()).isEqualTo(p.pseudonym("987650003"));
        List<JsonNode> dead = ReplayOutput.readRows(out.resolve("dead_letters.jsonl"));
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).get("raw").asText()).isEqualTo(p.pseudonym("987650004") + ",14,1,zz,10200");
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : files.toList()) {
                assertThat(Files.readString(f, StandardCharsets.UTF_8))
                        .as(f.getFileName().toString())
                        .doesNotContain("98765000");
            }
        }
    }
}
