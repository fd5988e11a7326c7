package io.haitaopulse.trends;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.io.InputFormat;
import io.haitaopulse.runtime.Replay;
import io.haitaopulse.testutil.TestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot items on the real Taobao sample (1 h windows, 5 min slide, top 3) against a reference that
 * counts every view once per window it belongs to, with no panes, no pre-aggregation and no
 * Flink: if the two agree row for row, the pane arithmetic, the sharded global ranking and the
 * tie-breaking are right.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserBehaviorHotItemsTest {

    private static final long HOUR = 3_600_000L;
    private static final long SLIDE = 300_000L;
    private static final int TOP = 3;

    @TempDir
    static Path tmp;

    private Path data;
    private Replay.Result inOrder;
    private Path inOrderOut;

    @BeforeAll
    void replayInOrder() throws Exception {
        data = TestData.file("UserBehavior.csv");
        inOrderOut = tmp.resolve("in-order");
        inOrder = Replay.run(spec(List.of(data), inOrderOut));
    }

    private static Replay.Spec spec(List<Path> inputs, Path out) {
        return new Replay.Spec(
                "trends",
                inputs,
                out,
                InputFormat.USERBEHAVIOR,
                HotItemsReplayTest.options(Duration.ofHours(1), Duration.ofMinutes(5), TOP, Duration.ofSeconds(5)),
                2,
                null,
                null);
    }

    @Test
    void matchesAnIndependentPerWindowCount() throws Exception {
        assertThat(inOrder.read()).isEqualTo(110_300);
        assertThat(inOrder.deadLettered()).isZero();
        assertThat(inOrder.late()).isZero();
        List<String> expected = reference(Files.readAllLines(data, StandardCharsets.US_ASCII));
        List<String> actual = Files.readAllLines(inOrderOut.resolve("hot_items.jsonl"), StandardCharsets.UTF_8);
        assertThat(actual).hasSameSizeAs(expected);
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    @Test
    void disorderWithinMaxDelayAndSplitInputsGiveIdenticalFiles() throws Exception {
        // Deliver every row up to 4 s after its event time (max delay is 5 s), alternating rows
        // between two files so that two sources with their own watermarks feed the job.
        List<String> rows = Files.readAllLines(data, StandardCharsets.US_ASCII);
        SplittableRandom random = new SplittableRandom(42);
        List<long[]> order = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            long ts = Long.parseLong(rows.get(i).substring(rows.get(i).lastIndexOf(',') + 1)) * 1000;
            order.add(new long[] {ts + random.nextLong(4001), i});
        }
        order.sort(Comparator.<long[]>comparingLong(o -> o[0]).thenComparingLong(o -> o[1]));
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        for (int k = 0; k < order.size(); k++) {
            (k % 2 == 0 ? a : b).add(rows.get((int) order.get(k)[1]));
        }
        long outOfOrder = 0;
        for (int k = 1; k < order.size(); k++) {
            if (order.get(k)[1] < order.get(k - 1)[1]) {
                outOfOrder++;
            }
        }
        assertThat(outOfOrder).as("rows delivered out of order").isGreaterThan(10_000);
        Path fileA = tmp.resolve("a.csv");
        Path fileB = tmp.resolve("b.csv");
        Files.write(fileA, a, StandardCharsets.US_ASCII);
        Files.write(fileB, b, StandardCharsets.US_ASCII);
        Path out = tmp.resolve("shuffled");

        Replay.Result shuffled = Replay.run(spec(List.of(fileA, fileB), out));

        assertThat(shuffled.late()).isZero();
        assertThat(Files.readAllBytes(out.resolve("hot_items.jsonl")))
                .isEqualTo(Files.readAllBytes(inOrderOut.resolve("hot_items.jsonl")));
    }

    /** Brute force: every view is added to each of the 12 windows containing it. */
    static List<String> reference(List<String> csv) {
        // window end -> scope -> item -> views; scopes sorted "all" first, then by number.
        Map<Long, Map<String, Map<Long, Long>>> counts = new TreeMap<>();
        Comparator<String> scopeOrder = Comparator.comparing((String s) -> !s.equals("all"))
                .thenComparing(s -> s.equals("all") ? 0L : Long.parseLong(s));
        for (String line : csv) {
            String[] f = line.split(",");
            if (!f[3].equals("pv")) {
                continue;
            }
            long item = Long.parseLong(f[1]);
            long ts = Long.parseLong(f[4]) * 1000;
            for (long start = Math.floorDiv(ts, SLIDE) * SLIDE; start > ts - HOUR; start -= SLIDE) {
                Map<String, Map<Long, Long>> byScope =
                        counts.computeIfAbsent(start + HOUR, e -> new TreeMap<>(scopeOrder));
                byScope.computeIfAbsent("all", s -> new HashMap<>()).merge(item, 1L, Long::sum);
                byScope.computeIfAbsent(f[2], s -> new HashMap<>()).merge(item, 1L, Long::sum);
            }
        }
        List<String> rows = new ArrayList<>();
        counts.forEach((end, byScope) -> byScope.forEach((scope, items) -> {
            List<Map.Entry<Long, Long>> ranked = new ArrayList<>(items.entrySet());
            ranked.sort(Map.Entry.<Long, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
            for (int r = 0; r < Math.min(TOP, ranked.size()); r++) {
                rows.add(String.format(
                        "{\"window_start\":%d,\"window_end\":%d,\"scope\":\"%s\",\"rank\":%d,\"item_id\":%d,\"views\":%d}",
                        end - HOUR,
                        end,
                        scope,
                        r + 1,
                        ranked.get(r).getKey(),
                        ranked.get(r).getValue()));
            }
        }));
        return rows;
    }
}
