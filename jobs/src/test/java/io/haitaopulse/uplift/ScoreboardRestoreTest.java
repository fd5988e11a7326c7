package io.haitaopulse.uplift;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.common.SlidingWindows;
import io.haitaopulse.privacy.KAnonymity;
import io.haitaopulse.schema.CampaignUplift;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * A failure of {@code LiveRecoveryIT} seen once (campaign_uplift: live 1,990 rows, replay 2,140,
 * the 150 missing all {@code formula-festival}, n = 0), replayed on the scoreboard alone with the
 * watermarks the live job delivered to it, so that it would fail every time, not once in seven.
 *
 * <p>{@code formula-festival} is the one campaign without exposures, so it never gets a change:
 * its {@code maxTs} stays at its start and its rows exist only because the watermark passes their
 * slots; at the end of input (watermark MAX) the scoreboard stops it after one row. Its row count
 * is therefore "slots the watermark passed before MAX, plus one", a property of the watermark
 * trajectory rather than of the input. The interleaving that loses the rows:
 * <ol>
 *   <li>Checkpoint N is taken early: the campaigns reader has delivered only its first record
 *       (newbie-pack), so formula-festival is not in the scoreboard's state and the campaigns
 *       source's restored watermark is newbie-pack's start − 5 s − 1 ms.</li>
 *   <li>Attempt 0 goes on after N: the rest of the campaigns arrive, the watermark runs to about
 *       17:47, the rows up to 17:45 are emitted and flushed to PostgreSQL (every 500 ms), and the
 *       injected failure comes with N's completion notice.</li>
 *   <li>Attempt 1 restores N. Sources that had ended come back at MAX; clicks, orders and exposures
 *       run from N's offsets to their end; the restored campaigns reader, which still has five
 *       definitions to read, is the last source to finish. The scoreboard's watermark, the minimum
 *       over all sources, is held at the campaigns source's watermark: it rises to formula's
 *       start − 5 s − 1 ms when its definition is read and then jumps to MAX.</li>
 *   <li>At MAX formula-festival emits its first slot (12:05) and is dropped as "reflecting all
 *       input". Every other campaign has changes up to its end, so its rows go on at MAX and are
 *       complete; only formula-festival loses the slots after attempt 0's last flush.</li>
 * </ol>
 * PostgreSQL holds the union of both attempts (idempotent upserts): the slots 17:50 … 24:00 were
 * written by neither. With the input's extent ({@link io.haitaopulse.io.InputExtent}) broadcast to
 * the scoreboard before the end of input, both attempts end where an uninterrupted run does.
 */
class ScoreboardRestoreTest {

    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;
    /** 2026-11-02 00:00 Asia/Shanghai, the simulated day of the small scenario. */
    private static final long DAY = 1_793_548_800_000L;

    private static final long MAX_DELAY = 5_000L;

    private static final String FORMULA = "formula-festival";
    private static final long FORMULA_START = DAY + 12 * HOUR;
    private static final long FORMULA_END = DAY + 24 * HOUR - MINUTE;

    /** The scoreboard's watermark when checkpoint N was taken, as measured in a local run (00:00:25.607). */
    private static final long WATERMARK_AT_CHECKPOINT = DAY + 25_607L;
    /** How far attempt 0 got after N before the injected failure. */
    private static final long WATERMARK_AT_FAILURE = DAY + 17 * HOUR + 47 * MINUTE;
    /** The last watermark of the clicks source: an uninterrupted run passes it before MAX. */
    private static final long LAST_CLICKS_WATERMARK = DAY + 24 * HOUR - 14_000L;

    private static final SlidingWindows SLOTS = new SlidingWindows(5 * MINUTE, 5 * MINUTE, 0);

    @Test
    void aRestoreWhoseCampaignsSourceFinishesLastWritesEveryRowOfACampaignWithoutExposures() throws Exception {
        List<String> uninterrupted = uninterruptedRun();
        assertThat(uninterrupted)
                .as("an uninterrupted run: every slot 12:05 … 24:00, the three metrics")
                .hasSize(3 * 144);

        TreeSet<String> postgres = new TreeSet<>();
        OperatorSubtaskState checkpointN;
        var attempt0 = harness();
        {
            attempt0.open();
            // The campaigns source holds event time at newbie-pack's watermark; the others are behind it.
            attempt0.watermark(WATERMARK_AT_CHECKPOINT);
            checkpointN = attempt0.snapshot(1L, 1L);
            attempt0.processElement(new StreamRecord<>(formulaDefinition()));
            advanceByMinutes(attempt0, WATERMARK_AT_CHECKPOINT, WATERMARK_AT_FAILURE);
            // Best case for the live job: every row attempt 0 emitted was flushed before it failed.
            postgres.addAll(keys(attempt0));
            attempt0.close();
        }
        var attempt1 = harness();
        {
            attempt1.initializeState(checkpointN);
            attempt1.open();
            // The restored campaigns source re-reads formula-festival's definition ...
            attempt1.processElement(new StreamRecord<>(formulaDefinition()));
            // ... its watermark rises to that definition's ...
            attempt1.watermark(FORMULA_START - MAX_DELAY - 1);
            // ... and it finishes last: every other source is already at MAX. The input's extent
            // (restored with the checkpoint and grown by the events read since) comes first.
            attempt1.processBroadcastElement(LAST_CLICKS_WATERMARK, Long.MAX_VALUE);
            attempt1.watermark(Long.MAX_VALUE);
            postgres.addAll(keys(attempt1));
            attempt1.close();
        }

        List<String> missing = new ArrayList<>(uninterrupted);
        missing.removeAll(postgres);
        assertThat(missing).as("rows of %s that neither attempt wrote", FORMULA).isEmpty();
        assertThat(postgres).containsExactlyElementsOf(uninterrupted);
    }

    /** The watermarks of a run without failure: the campaigns source finishes first, clicks last. */
    private static List<String> uninterruptedRun() throws Exception {
        var h = harness();
        h.open();
        h.watermark(WATERMARK_AT_CHECKPOINT);
        h.processElement(new StreamRecord<>(formulaDefinition()));
        advanceByMinutes(h, WATERMARK_AT_CHECKPOINT, LAST_CLICKS_WATERMARK);
        h.processBroadcastElement(LAST_CLICKS_WATERMARK, Long.MAX_VALUE);
        h.watermark(Long.MAX_VALUE);
        List<String> rows = new ArrayList<>(new TreeSet<>(keys(h)));
        h.close();
        return rows;
    }

    private static KeyedBroadcastOperatorTestHarness<String, ScoreInput, Long, CampaignUplift> harness()
            throws Exception {
        return new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(
                        new CampaignScoreboard(SLOTS, 0.01, 1000, new KAnonymity(10)),
                        List.of(io.haitaopulse.io.InputExtent.STATE)),
                s -> s.campaignId,
                Types.STRING,
                1,
                1,
                0);
    }

    /** formula-festival as the generator plants it: no hold-out, so nobody is ever exposed. */
    private static ScoreInput formulaDefinition() {
        return ScoreInput.definition(FORMULA, "HOLIDAY_DISCOUNT", FORMULA_START, FORMULA_END, 0.0);
    }

    /** Watermarks a minute apart, as a busy clicks source delivers them. */
    private static void advanceByMinutes(
            KeyedBroadcastOperatorTestHarness<String, ScoreInput, Long, CampaignUplift> h, long from, long to)
            throws Exception {
        for (long w = from + MINUTE; w < to; w += MINUTE) {
            h.watermark(w);
        }
        h.watermark(to);
    }

    /** The PostgreSQL key (campaign_id, metric, as_of) of every row emitted so far. */
    private static List<String> keys(KeyedBroadcastOperatorTestHarness<String, ScoreInput, Long, CampaignUplift> h) {
        List<String> keys = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof CampaignUplift row) {
                keys.add(row.getCampaignId() + " " + row.getMetric() + " "
                        + (row.getAsOf().toEpochMilli() - DAY) / MINUTE);
            }
        }
        return keys;
    }
}
