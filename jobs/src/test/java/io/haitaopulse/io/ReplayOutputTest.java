package io.haitaopulse.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the replay turns the part files its sinks wrote into a table's final file: for an upsert
 * table the last row of each key in the order written, sorted by the key; for trend_alerts that is
 * the newest version of every episode.
 */
class ReplayOutputTest {

    @TempDir
    Path dir;

    private static String alert(long item, long started, Long ended, long last, double ratio, long views) {
        return "{\"item_id\":" + item + ",\"category_id\":101,\"started_at\":" + started + ",\"ended_at\":" + ended
                + ",\"last_window_end\":" + last + ",\"peak_ratio\":" + ratio + ",\"peak_z\":4.5,\"peak_views\":"
                + views + "}";
    }

    @Test
    void anEpisodesLastVersionReplacesTheEarlierOnesAndEpisodesAreSortedByItemThenStart() throws Exception {
        // As the trends job writes them: the versions of one episode in order, episodes interleaved.
        String a1 = alert(900, 600_000, null, 600_000, 3.0, 40);
        String b1 = alert(12, 900_000, null, 900_000, 2.6, 25);
        String a2 = alert(900, 600_000, null, 900_000, 3.5, 52);
        String b2 = alert(12, 900_000, 1_200_000L, 900_000, 2.6, 25);
        String a3 = alert(900, 600_000, 1_200_000L, 900_000, 3.5, 52);
        String c1 = alert(900, 60_000, null, 60_000, 2.8, 30);
        String c2 = alert(900, 60_000, 120_000L, 60_000, 2.8, 30);
        String d1 = alert(900, 1_500_000, null, 1_500_000, 9.0, 90);
        Path parts = JsonLinesFileSink.partsDir(dir, OutputTable.TREND_ALERTS.name());
        Files.createDirectories(parts);
        Files.write(parts.resolve("part-0.jsonl"), List.of(a1, b1, a2, c1, b2, c2, a3, d1), StandardCharsets.UTF_8);

        ReplayOutput out = new ReplayOutput(dir);
        Map<String, Long> written = out.finish(List.of(OutputTable.TREND_ALERTS));

        assertThat(written).containsExactly(Map.entry("trend_alerts", 4L));
        // Item 12 before 900 (numerically, not as text); item 900's episodes by start; each its last
        // version, the still open episode (d) as it was last written.
        assertThat(Files.readAllLines(out.file(OutputTable.TREND_ALERTS), StandardCharsets.UTF_8))
                .containsExactly(b2, c2, a3, d1);
        assertThat(Files.exists(dir.resolve(".parts"))).isFalse();
    }

    @Test
    void aTableWithoutRowsIsAnEmptyFile() throws Exception {
        ReplayOutput out = new ReplayOutput(dir);
        out.prepare(List.of(OutputTable.TREND_ALERTS));
        assertThat(out.finish(List.of(OutputTable.TREND_ALERTS))).containsExactly(Map.entry("trend_alerts", 0L));
        assertThat(Files.readString(out.file(OutputTable.TREND_ALERTS))).isEmpty();
    }
}
