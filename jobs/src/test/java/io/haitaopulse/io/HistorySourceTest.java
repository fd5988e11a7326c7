package io.haitaopulse.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.DeadLetter;
import io.haitaopulse.schema.Item;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.internal.Ingested;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.hybrid.HybridSource;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history part of a backfill: files merged by event time, each in its own order; only the
 * records asked for; a checkpoint after any record resumes exactly; lateness over the merged
 * stream is each file's own; and inside a {@link HybridSource} of two parts at parallelism 2 every
 * record comes once, part by part.
 */
class HistorySourceTest {

    private static final int ALL = Integer.MAX_VALUE;

    private static final LineParser EVERYTHING =
            HistorySource.forRecords(InputFormat.JSONL.parser(), Object.class, true);

    @TempDir
    Path dir;

    @Test
    void filesAreMergedByEventTimeEachKeepingItsOwnOrder() throws Exception {
        // a: out of order (3000 before 2500); a bad line and a catalogue record follow their predecessor.
        Path a = write(
                "a.jsonl",
                click("a1", 1000),
                click("a2", 3000),
                "not json",
                click("a3", 2500),
                item(7),
                click("a4", 5000));
        // b: a tie with a's 3000 goes after a (the file given first), blank lines are skipped.
        Path b = write("b.jsonl", order("b1", 2000), "", order("b2", 3000), order("b3", 4000));
        List<String> ids = ids(readAll(source(List.of(a, b), EVERYTHING), ALL).records());
        assertThat(ids).containsExactly("a1", "b1", "a2", "dead", "a3", "item7", "b2", "b3", "a4");
        // Dead letters name the file, as in replay.
        Ingested dead =
                readAll(source(List.of(a, b), EVERYTHING), ALL).records().get(3);
        assertThat(((DeadLetter) dead.getBody()).getSource())
                .isEqualTo(a.toAbsolutePath().toString());
    }

    @Test
    void onlyTheEventsOfOneTypeAndDeadLettersWhenAsked() throws Exception {
        Path mixed = write(
                "mixed.jsonl", click("c1", 1000), order("o1", 1500), "{\"type\":\"nope\"}", item(3), click("c2", 2000));
        LineParser clicks = HistorySource.forRecords(InputFormat.JSONL.parser(), Click.class, false);
        assertThat(ids(readAll(source(List.of(mixed), clicks), ALL).records())).containsExactly("c1", "c2");
        LineParser ordersAndDead = HistorySource.forRecords(InputFormat.JSONL.parser(), Order.class, true);
        assertThat(ids(readAll(source(List.of(mixed), ordersAndDead), ALL).records()))
                .containsExactly("o1", "dead");
        LineParser items = HistorySource.forRecords(InputFormat.JSONL.parser(), Item.class, false);
        assertThat(ids(readAll(source(List.of(mixed), items), ALL).records())).containsExactly("item3");
    }

    @Test
    void anEventTooFarAheadIsADeadLetterOfItsOwnType() throws Exception {
        long future = 4_102_444_800_000L; // 2100-01-01
        Path f = write("f.jsonl", click("c1", 1000), order("o1", future), "not json");
        ClockSkew skew = ClockSkew.defaults();
        LineParser orders = skew.checking(HistorySource.forRecords(InputFormat.JSONL.parser(), Order.class, false));
        List<Ingested> got = readAll(source(List.of(f), orders), ALL).records();
        assertThat(got).hasSize(1);
        assertThat(((DeadLetter) got.get(0).getBody()).getReason()).startsWith("clock skew: event time 2100-01-01");
        LineParser clicksAndDead =
                skew.checking(HistorySource.forRecords(InputFormat.JSONL.parser(), Click.class, true));
        assertThat(ids(readAll(source(List.of(f), clicksAndDead), ALL).records()))
                .containsExactly("c1", "dead");
    }

    @Test
    void aCheckpointAfterAnyRecordResumesExactly() throws Exception {
        Path a = write(
                "a.jsonl",
                click("a1", 1000),
                click("a2", 3000),
                "not json",
                click("a3", 2500),
                item(7),
                click("a4", 5000));
        Path b = write("b.jsonl", order("b1", 2000), "", order("b2", 3000), order("b3", 4000), "");
        HistorySource source = source(List.of(a, b), EVERYTHING);
        List<String> whole = ids(readAll(source, ALL).records());
        HistorySource.SplitSerializer serializer = new HistorySource.SplitSerializer();
        for (int k = 0; k <= whole.size(); k++) {
            Read first = readAll(source, k);
            assertThat(first.checkpoint()).as("checkpoint after %d records", k).hasSize(1);
            HistorySource.Split restored = serializer.deserialize(
                    serializer.getVersion(),
                    serializer.serialize(first.checkpoint().get(0)));
            List<String> resumed = new ArrayList<>(ids(first.records()));
            resumed.addAll(ids(read(source, restored, Integer.MAX_VALUE).records()));
            assertThat(resumed).as("resumed after %d records", k).isEqualTo(whole);
        }
        HistorySource.PendingSerializer pending = new HistorySource.PendingSerializer();
        HistorySource.Pending state = new HistorySource.Pending(
                List.of(readAll(source, 2).checkpoint().get(0)));
        assertThat(pending.deserialize(pending.getVersion(), pending.serialize(state)))
                .isEqualTo(state);
    }

    /**
     * Files of bounded disorder with some events far too late: judged over the merged stream by the
     * bounded-disorder rule (late when at or below the newest before it minus max-delay minus 1 ms),
     * exactly the events late in their own file are late.
     */
    @Test
    void lateEventsOfTheMergedStreamAreExactlyThoseOfEachFile() throws Exception {
        long delay = 5_000;
        for (int seed = 1; seed <= 20; seed++) {
            Random rnd = new Random(seed);
            List<Path> files = new ArrayList<>();
            Set<String> lateInFile = new HashSet<>();
            for (int f = 0; f < 3; f++) {
                List<String> lines = new ArrayList<>();
                long clock = rnd.nextInt(20_000);
                long newest = Long.MIN_VALUE;
                for (int i = 0; i < 150; i++) {
                    clock += rnd.nextInt(400 * (f + 1));
                    long ts = rnd.nextInt(10) == 0 ? clock - rnd.nextInt(20_000) : clock - rnd.nextInt((int) delay + 1);
                    String id = "f" + f + "e" + i;
                    if (newest != Long.MIN_VALUE && ts <= newest - delay - 1) {
                        lateInFile.add(id);
                    }
                    newest = Math.max(newest, ts);
                    lines.add(click(id, ts));
                    if (rnd.nextInt(25) == 0) {
                        lines.add("not json");
                    }
                }
                files.add(write("s" + seed + "f" + f + ".jsonl", lines.toArray(String[]::new)));
            }
            Set<String> lateMerged = new HashSet<>();
            long newest = Long.MIN_VALUE;
            for (Ingested r : readAll(source(files, EVERYTHING), ALL).records()) {
                if (r.getBody() instanceof Click c) {
                    long ts = c.getTs().toEpochMilli();
                    if (newest != Long.MIN_VALUE && ts <= newest - delay - 1) {
                        lateMerged.add(c.getEventId());
                    }
                    newest = Math.max(newest, ts);
                }
            }
            assertThat(lateInFile).as("seed %d exercises late events", seed).isNotEmpty();
            assertThat(lateMerged).as("seed %d", seed).isEqualTo(lateInFile);
        }
    }

    @Test
    void inAHybridSourceEveryReaderFinishesAndTheNextPartFollows() throws Exception {
        Path first = write("first.jsonl", click("p1a", 1000), "not json", click("p1b", 2000));
        Path second = write("second.jsonl", click("p2a", 3000), click("p2b", 4000));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, new Configuration());
        HybridSource<Ingested> hybrid = HybridSource.<Ingested, SplitEnumerator<?, ?>>builder(
                        source(List.of(first), EVERYTHING))
                .addSource(source(List.of(second), EVERYTHING))
                .build();
        List<Ingested> got = new ArrayList<>();
        env.fromSource(hybrid, WatermarkStrategy.noWatermarks(), "hybrid", IngestedTypeInfo.INSTANCE)
                .setParallelism(2)
                .executeAndCollect()
                .forEachRemaining(got::add);
        assertThat(ids(got)).containsExactlyInAnyOrder("p1a", "dead", "p1b", "p2a", "p2b");
        assertThat(ids(got)).containsSubsequence("p1a", "dead", "p1b").containsSubsequence("p2a", "p2b");
    }

    private HistorySource source(List<Path> files, LineParser parser) {
        return HistorySource.of(files, parser);
    }

    /** The records of the history from its start, stopping after {@code stopAfter}, with a checkpoint there. */
    private static Read readAll(HistorySource source, int stopAfter) throws Exception {
        List<HistorySource.FilePosition> start = new ArrayList<>();
        for (String f : source.files()) {
            start.add(new HistorySource.FilePosition(f, 0L, EventTime.NONE));
        }
        return read(source, new HistorySource.Split(start), stopAfter);
    }

    private static Read read(HistorySource source, HistorySource.Split split, int max) throws Exception {
        Collecting out = new Collecting();
        SourceReader<Ingested, HistorySource.Split> reader = source.createReader(null);
        try {
            reader.start();
            reader.addSplits(List.of(split));
            reader.notifyNoMoreSplits();
            InputStatus status = InputStatus.MORE_AVAILABLE;
            while (out.records.size() < max && (status = reader.pollNext(out)) == InputStatus.MORE_AVAILABLE) {
                // one record per poll
            }
            if (out.records.size() < max) {
                assertThat(status).isEqualTo(InputStatus.END_OF_INPUT);
                // A hybrid source polls a finished reader whenever it says it is available.
                assertThat(reader.isAvailable()).as("available after the end").isNotDone();
                assertThat(reader.pollNext(out)).isEqualTo(InputStatus.END_OF_INPUT);
                assertThat(reader.isAvailable()).isNotDone();
            }
            return new Read(out.records, reader.snapshotState(1L));
        } finally {
            reader.close();
        }
    }

    private record Read(List<Ingested> records, List<HistorySource.Split> checkpoint) {}

    private static List<String> ids(List<Ingested> records) {
        return records.stream()
                .map(r -> {
                    Object b = r.getBody();
                    if (b instanceof Click c) {
                        return c.getEventId();
                    } else if (b instanceof Order o) {
                        return o.getOrderId();
                    } else if (b instanceof Item i) {
                        return "item" + i.getItemId();
                    }
                    return "dead";
                })
                .toList();
    }

    private Path write(String name, String... lines) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, String.join("\n", lines) + "\n");
        return p;
    }

    private static String click(String id, long ts) {
        return "{\"type\":\"click\",\"event_id\":\"" + id + "\",\"user_id\":\"u\",\"item_id\":1,\"category_id\":2,"
                + "\"action\":\"VIEW\",\"ts\":" + ts + "}";
    }

    private static String order(String id, long ts) {
        return "{\"type\":\"order\",\"order_id\":\"" + id + "\",\"user_id\":\"u\",\"status\":\"PAID\",\"ts\":" + ts
                + ",\"lines\":[{\"item_id\":1,\"category_id\":2,\"quantity\":1,\"unit_price_cents\":100}]}";
    }

    private static String item(long id) {
        return "{\"type\":\"item\",\"item_id\":" + id + ",\"category_id\":2,\"name\":\"n\",\"ts\":0}";
    }

    /** Collects what a reader emits, through the split's output or the main one alike. */
    private static final class Collecting implements ReaderOutput<Ingested> {
        final List<Ingested> records = new ArrayList<>();

        @Override
        public void collect(Ingested record) {
            records.add(record);
        }

        @Override
        public void collect(Ingested record, long timestamp) {
            records.add(record);
        }

        @Override
        public void emitWatermark(Watermark watermark) {}

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}

        @Override
        public SourceOutput<Ingested> createOutputForSplit(String splitId) {
            return this;
        }

        @Override
        public void releaseOutputForSplit(String splitId) {}
    }
}
