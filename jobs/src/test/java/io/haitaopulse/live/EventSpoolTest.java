package io.haitaopulse.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haitaopulse.generator.MarketSimulator;
import io.haitaopulse.generator.SimulatorConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EventProducer#spool}: the records read back from a spool are, one by one and in order,
 * the records the producer would send reading the files themselves (topic, key, value, stamp and
 * position in event time), bad lines and catalogue records included.
 */
class EventSpoolTest {

    @TempDir
    Path dir;

    private List<Path> simulatedShop() throws IOException {
        Path events = dir.resolve("events");
        new MarketSimulator(SimulatorConfig.scenario("small").withDuration(Duration.ofHours(6)), 3).run(events);
        // A line a broken producer wrote, and one cut off: they go out as their raw bytes.
        Files.writeString(
                events.resolve("clicks.jsonl"),
                "{\"type\":\"click\",\"user_id\":\n\u00ff\u00fe not json\n",
                StandardCharsets.ISO_8859_1,
                StandardOpenOption.APPEND);
        try (Stream<Path> s = Files.list(events)) {
            return s.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        }
    }

    private static List<EventProducer.Outgoing> all(EventProducer.Records records) throws IOException {
        List<EventProducer.Outgoing> out = new ArrayList<>();
        try (records) {
            for (EventProducer.Outgoing r = records.next(); r != null; r = records.next()) {
                out.add(r);
            }
        }
        return out;
    }

    @Test
    void aSpoolHoldsExactlyTheRecordsTheFilesWouldSendInTheirOrder() throws Exception {
        List<Path> files = simulatedShop();
        Path spool = dir.resolve("stream.spool");

        long written = EventProducer.spool(files, spool);
        List<EventProducer.Outgoing> direct = all(new EventProducer.Merged(files));
        List<EventProducer.Outgoing> spooled = all(new EventProducer.Spooled(spool));

        assertThat(written).isEqualTo(direct.size());
        assertThat(spooled).hasSameSizeAs(direct);
        for (int i = 0; i < direct.size(); i++) {
            EventProducer.Outgoing d = direct.get(i);
            EventProducer.Outgoing s = spooled.get(i);
            assertThat(s.topic()).as("topic of record %d", i).isEqualTo(d.topic());
            assertThat(Arrays.equals(s.key(), d.key()))
                    .as("key of record %d", i)
                    .isTrue();
            assertThat(s.value()).as("value of record %d", i).isEqualTo(d.value());
            assertThat(s.stamp()).as("stamp of record %d", i).isEqualTo(d.stamp());
            assertThat(s.eventTs()).as("event time of record %d", i).isEqualTo(d.eventTs());
        }
        // Every kind of record is in there: events, catalogue records and the two raw lines.
        assertThat(direct.stream().map(EventProducer.Outgoing::topic).distinct())
                .contains("clicks", "orders", "campaigns", "items");
        assertThat(direct.stream().filter(r -> r.stamp() == EventProducer.Outgoing.RAW))
                .hasSize(2)
                .allSatisfy(r -> assertThat(r.key()).isNull());
        assertThat(direct.stream().filter(r -> r.stamp() != EventProducer.Outgoing.RAW))
                .allSatisfy(r -> assertThat(r.key()).isNotNull());
    }

    @Test
    void aSpoolCutShortIsAnErrorNotAShorterStream() throws Exception {
        List<Path> files = simulatedShop();
        Path spool = dir.resolve("stream.spool");
        EventProducer.spool(files, spool);
        byte[] whole = Files.readAllBytes(spool);
        Path cut = dir.resolve("cut.spool");
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2));

        assertThatThrownBy(() -> all(new EventProducer.Spooled(cut)))
                .isInstanceOf(IOException.class)
                .hasMessage(cut + " ends before its last record: not a complete spool");
    }
}
