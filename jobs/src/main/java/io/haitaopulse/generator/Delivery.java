package io.haitaopulse.generator;

import static io.haitaopulse.generator.Times.MINUTE;

import io.haitaopulse.io.JsonRows;
import java.io.IOException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificRecord;

/**
 * How events reach the files: each waits until its delivery time, up to {@code maxDelay} after the
 * event (a late share far beyond), and a share of click lines arrives garbled. Also numbers what
 * the simulation creates: the one sequence of the main stream names sessions, clicks and orders
 * and breaks delivery ties, so the ids of a seed follow from its draws alone.
 */
final class Delivery {

    /** An event waiting for its delivery time: the record, or a malformed line as text. */
    private record Pending(long delivery, long seq, int file, IndexedRecord event, String line)
            implements Comparable<Pending> {
        @Override
        public int compareTo(Pending o) {
            int c = Long.compare(delivery, o.delivery);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final SimulatorConfig cfg;
    private final SplittableRandom rnd;
    private final SplittableRandom extra;
    private final PriorityQueue<Pending> queue = new PriorityQueue<>();
    private long seq;
    private long extraSeq;
    private final long[] written = new long[MarketSimulator.FILES.size()];
    private long late;
    private long malformed;

    /** Delivery of {@code cfg}'s disorder; {@link #emit} draws from {@code rnd}, {@link #emitExtra} from {@code extra}. */
    Delivery(SimulatorConfig cfg, SplittableRandom rnd, SplittableRandom extra) {
        this.cfg = cfg;
        this.rnd = rnd;
        this.extra = extra;
    }

    /** The next number of the main sequence (ids of sessions, clicks and orders). */
    long nextSeq() {
        return ++seq;
    }

    /** The next number of the sequence of later additions (ids of bot clicks and unpaid orders). */
    long nextExtraSeq() {
        return ++extraSeq;
    }

    /** Queues {@code event} of time {@code ts} for {@code file}: delayed, maybe late, maybe (clicks) malformed. */
    void emit(long ts, int file, SpecificRecord event) {
        long delay =
                cfg.maxDelay().toMillis() == 0 ? 0 : rnd.nextLong(cfg.maxDelay().toMillis() + 1);
        if (cfg.lateShare() > 0 && rnd.nextDouble() < cfg.lateShare()) {
            delay = cfg.maxDelay().toMillis() * 3 + MINUTE + rnd.nextLong(10 * MINUTE);
            late++;
        }
        IndexedRecord record = (IndexedRecord) event;
        String line = null;
        if (file == 0 && cfg.malformedShare() > 0 && rnd.nextDouble() < cfg.malformedShare()) {
            line = malformedLine(JsonRows.toJson(record));
            record = null;
            malformed++;
        }
        queue.add(new Pending(ts + delay, nextSeq(), file, record, line));
    }

    /** Like {@link #emit}, drawing from {@code extra}: in-bound delay only, never late or malformed. */
    void emitExtra(long ts, int file, SpecificRecord event) {
        long delay = cfg.maxDelay().toMillis() == 0
                ? 0
                : extra.nextLong(cfg.maxDelay().toMillis() + 1);
        // Negative sequence numbers: distinct from emit's, so delivery order stays a total order.
        queue.add(new Pending(ts + delay, -nextExtraSeq(), file, (IndexedRecord) event, null));
    }

    private String malformedLine(String line) {
        return switch (rnd.nextInt(4)) {
            case 0 -> line.substring(0, line.length() / 2);
            case 1 ->
                line.replace("\"action\":\"VIEW\"", "\"action\":\"view\"")
                        .replace("\"action\":\"CART\"", "\"action\":\"cart\"")
                        .replace("\"action\":\"FAV\"", "\"action\":\"fav\"");
            case 2 -> line.replaceFirst("\"item_id\":(\\d+)", "\"item_id\":\"$1\"");
            default -> "{\"type\":\"refund\",\"ts\":1}";
        };
    }

    /** Hands {@code out} every queued event due before {@code before}, in delivery order. */
    void flush(MarketSimulator.Output out, long before) throws IOException {
        while (!queue.isEmpty() && queue.peek().delivery < before) {
            Pending p = queue.poll();
            if (p.event != null) {
                out.event(p.file, (SpecificRecord) p.event);
            } else {
                out.malformed(p.file, p.line);
            }
            written[p.file]++;
        }
    }

    /** Lines delivered to {@code file} so far. */
    long written(int file) {
        return written[file];
    }

    /** Lines delivered to all files so far. */
    long total() {
        long total = 0;
        for (long n : written) {
            total += n;
        }
        return total;
    }

    /** Events delivered beyond the bound. */
    long late() {
        return late;
    }

    /** Click lines garbled. */
    long malformed() {
        return malformed;
    }
}
