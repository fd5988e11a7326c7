package io.haitaopulse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.common.PulseOptions;
import io.haitaopulse.live.AvroWire;
import io.haitaopulse.live.Topics;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The hot-items implementations the benchmark compares (ours, Flink SQL with its default and its
 * tuned options, the classic approach) give exactly the rows of a
 * brute-force reference (every view added to every window that contains it, then sorted), so the
 * speeds it reports are speeds of the same answer. Windows of 30 min sliding by 10 min, Top-5,
 * over a simulated 6 hours of a 300-item shop.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HotItemsAgreementTest {

    private static final long WINDOW = Duration.ofMinutes(30).toMillis();
    private static final long SLIDE = Duration.ofMinutes(10).toMillis();
    private static final int TOP = 5;

    private BenchData data;
    private BenchRunner runner;
    private Configuration jobConf;
    private List<HotRow> reference;

    @BeforeAll
    void setUp() throws Exception {
        data = BenchData.generate(30_000, 300, Duration.ofHours(6), 7);
        runner = new BenchRunner(2, Duration.ofSeconds(1), true);
        jobConf = new Configuration();
        jobConf.set(PulseOptions.WINDOW, Duration.ofMillis(WINDOW));
        jobConf.set(PulseOptions.SLIDE, Duration.ofMillis(SLIDE));
        jobConf.set(PulseOptions.TOP, TOP);
        reference = bruteForce(data);
    }

    @AfterAll
    void tearDown() {
        runner.close();
        data.release();
    }

    @Test
    void referenceIsNotTrivial() {
        assertThat(reference).hasSizeGreaterThan(300);
        assertThat(reference.stream().map(HotRow::scope).distinct().count()).isEqualTo(11); // "all" and 10 categories
    }

    @Test
    void pulseMatchesReference() throws Exception {
        assertThat(RowsCheck.rowsOf(runner, PulseCases.hotItems(), data, jobConf))
                .isEqualTo(reference);
    }

    @Test
    void flinkSqlMatchesReference() throws Exception {
        assertThat(RowsCheck.rowsOf(runner, FlinkSqlHotItems.asDocumented(), data, jobConf))
                .isEqualTo(reference);
    }

    @Test
    void tunedFlinkSqlMatchesReference() throws Exception {
        assertThat(RowsCheck.rowsOf(runner, FlinkSqlHotItems.tuned(), data, jobConf))
                .isEqualTo(reference);
    }

    @Test
    void classicMatchesReference() throws Exception {
        assertThat(RowsCheck.rowsOf(runner, new ClassicHotItems(), data, jobConf))
                .isEqualTo(reference);
    }

    /** Every VIEW counted in each window containing it, per item, globally and per category. */
    private static List<HotRow> bruteForce(BenchData data) throws Exception {
        Map<String, Map<Long, Long>> counts = new HashMap<>(); // "end|scope" → item → views
        BenchData.Topic clicks = data.topic(Topics.CLICKS);
        AvroWire.Decoder<Click> decoder = AvroWire.decoder(Click.class);
        for (int i = 0; i < clicks.size(); i++) {
            Click c = decoder.decode(clicks.record(i));
            if (c.getAction() != ClickAction.VIEW) {
                continue;
            }
            long ts = c.getTs().toEpochMilli();
            // Windows [end - WINDOW, end) with end a multiple of SLIDE that contain ts.
            for (long end = Math.floorDiv(ts, SLIDE) * SLIDE + SLIDE; end - WINDOW <= ts; end += SLIDE) {
                counts.computeIfAbsent(end + "|all", k -> new HashMap<>()).merge(c.getItemId(), 1L, Long::sum);
                counts.computeIfAbsent(end + "|" + c.getCategoryId(), k -> new HashMap<>())
                        .merge(c.getItemId(), 1L, Long::sum);
            }
        }
        List<HotRow> rows = new ArrayList<>();
        counts.forEach((key, items) -> {
            long end = Long.parseLong(key.substring(0, key.indexOf('|')));
            String scope = key.substring(key.indexOf('|') + 1);
            List<Map.Entry<Long, Long>> sorted = new ArrayList<>(items.entrySet());
            sorted.sort((a, b) -> !a.getValue().equals(b.getValue())
                    ? Long.compare(b.getValue(), a.getValue())
                    : Long.compare(a.getKey(), b.getKey()));
            for (int r = 0; r < Math.min(TOP, sorted.size()); r++) {
                rows.add(new HotRow(
                        end, scope, r + 1, sorted.get(r).getKey(), sorted.get(r).getValue()));
            }
        });
        return RowsCheck.asTable(rows);
    }
}
