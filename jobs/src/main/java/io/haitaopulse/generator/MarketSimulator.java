package io.haitaopulse.generator;

import static io.haitaopulse.generator.Times.MINUTE;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haitaopulse.io.JsonRows;
import io.haitaopulse.schema.Item;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificRecord;

/**
 * Simulates a cross-border import shop and writes its events as the JSON Lines of CONTRACTS §2
 * ({@code clicks.jsonl}, {@code orders.jsonl}, {@code campaigns.jsonl}, {@code exposures.jsonl},
 * {@code reviews.jsonl}, each in delivery order) plus {@code truth.json}, everything it planted,
 * and {@code items.jsonl}, the shop's catalogue ({@link #ITEMS_FILE}).
 *
 * <p>Time advances minute by minute; each minute starts a Poisson number of sessions following the
 * shop's daily and weekly rhythm (Asia/Shanghai). A session is one user's run of views through one
 * channel; views pick items by Zipf popularity with category affinity, carts and orders follow each
 * category's funnel, PAID lines may be RETURNED within 7 days and reviewed within 3. Planted:
 * demand shocks (step or ramp), star items (growing, loved), bad items (popular, counterfeit
 * complaints, returns), campaigns of every kind with hash-based hold-outs and a known effect on
 * the chance to buy and on order value (one with none), and a campaign without hold-out on one
 * category. An {@link ExperimentPlan} adds weeks of ordinary shopping before the campaigns, users
 * with persistent propensities, campaign-driven returns and exact coupled outcomes. Events reach the files up to {@code maxDelay} after their time, a share far later.
 *
 * <p>Deterministic: one {@link SplittableRandom} seeded by {@code seed}, no clock, no hash-order
 * iteration; the same seed and configuration give byte-identical files. Draws of what was added
 * later (devices, bots, unpaid orders) come from a second generator, so that adding them left
 * every earlier event of a seed exactly as it was; the catalogue's names are drawn from a third,
 * so writing it changed no other file, and the spikes and decoys of a {@link SpikePlan} from a
 * fourth.
 */
public final class MarketSimulator {

    /** Payment timeout the planted unpaid orders are meant for (the job's default). */
    public static final long PAYMENT_TIMEOUT_MS = 15 * MINUTE;

    /** Output files, in the order of the writers. */
    public static final List<String> FILES =
            List.of("clicks.jsonl", "orders.jsonl", "campaigns.jsonl", "exposures.jsonl", "reviews.jsonl");

    /**
     * The catalogue file written beside {@link #FILES} by {@link #run(Path)}: one {@code item}
     * record per item the shop sells, in item order, valid from the simulation's start (so that a
     * producer interleaving files by time streams it first).
     */
    public static final String ITEMS_FILE = "items.jsonl";

    /**
     * Where the simulation's events go, in delivery order across all files. {@code file} indexes
     * {@link #FILES}. A malformed line stands for a record that a producer garbled.
     */
    public interface Output {
        /** One well-formed event, an instance of the file's record type. */
        void event(int file, SpecificRecord event) throws IOException;

        /** One malformed line (only with a malformed share above 0). */
        void malformed(int file, String line) throws IOException;
    }

    private final SimulatorConfig cfg;
    private final long seed;
    private final SplittableRandom rnd;
    private final SplittableRandom extra;

    // What a finished run leaves for truth.json.
    private Catalogue catalogue;
    private List<PlantedCampaign> campaigns;
    private Delivery delivery;
    private List<ObjectNode> bots;
    private Orders orders;

    /** Creates a simulator of {@code cfg} with {@code seed}. */
    public MarketSimulator(SimulatorConfig cfg, long seed) {
        this.cfg = cfg.validate();
        this.seed = seed;
        this.rnd = new SplittableRandom(seed);
        this.extra = new SplittableRandom(seed ^ 0x6a09e667f3bcc909L);
    }

    /** Runs the simulation into {@code out}; returns the number of event lines written. */
    public long run(Path out) throws IOException {
        Files.createDirectories(out);
        BufferedWriter[] w = new BufferedWriter[FILES.size()];
        JsonGenerator[] g = new JsonGenerator[FILES.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = new BufferedWriter(
                    new OutputStreamWriter(Files.newOutputStream(out.resolve(FILES.get(i))), StandardCharsets.UTF_8),
                    1 << 16);
            g[i] = JsonRows.generator(w[i]);
        }
        long total;
        try {
            total = run(new Output() {
                @Override
                public void event(int file, SpecificRecord event) throws IOException {
                    // One generator per file, flushed per line: no per-event generator or string.
                    JsonRows.write(g[file], (IndexedRecord) event);
                    g[file].flush();
                    w[file].write('\n');
                }

                @Override
                public void malformed(int file, String line) throws IOException {
                    w[file].write(line);
                    w[file].write('\n');
                }
            });
        } finally {
            for (int i = 0; i < w.length; i++) {
                g[i].close();
                w[i].close();
            }
        }
        Truth.write(out.resolve("truth.json"), cfg, seed, catalogue, campaigns, delivery, bots, orders);
        writeCatalogue(out.resolve(ITEMS_FILE));
        return total;
    }

    /** Writes the catalogue of the finished run to {@code file}, names drawn from their own stream. */
    private void writeCatalogue(Path file) throws IOException {
        SplittableRandom names = new SplittableRandom(seed ^ 0xbb67ae8584caa73bL);
        try (BufferedWriter w = new BufferedWriter(
                        new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 16);
                JsonGenerator g = JsonRows.generator(w)) {
            for (Item item : CatalogueNames.items(catalogue, cfg.start(), names)) {
                JsonRows.write(g, item);
                g.flush();
                w.write('\n');
            }
        }
    }

    /**
     * Runs the simulation into {@code out} (the benchmark keeps events in memory this way);
     * returns the number of events and malformed lines delivered. Call once per instance.
     */
    public long run(Output out) throws IOException {
        // The order of these steps is the order of the draws: changing it changes every seed's files.
        // A spike plan draws from a generator of its own, so runs without one are unchanged.
        catalogue = new Catalogue(cfg, rnd, new SplittableRandom(seed ^ 0x3c6ef372fe94f82bL));
        Users users = new Users(cfg, seed, rnd, extra);
        campaigns = cfg.withCampaigns() ? PlantedCampaign.plant(cfg) : List.of();
        delivery = new Delivery(cfg, rnd, extra);
        long start = cfg.start().toEpochMilli();
        long end = start + cfg.duration().toMillis();
        for (PlantedCampaign c : campaigns) {
            delivery.emit(c.start, 2, c.definition());
        }
        bots = Bots.plant(cfg, seed, extra, catalogue, delivery);
        orders = new Orders(cfg, rnd, extra, catalogue, users, delivery);
        Sessions sessions = new Sessions(rnd, catalogue, users, campaigns, delivery, orders);
        double perMinute = cfg.users() * cfg.sessionsPerUserPerDay() / 1440.0;
        for (long t = start; t < end; t += MINUTE) {
            double expected = perMinute * Times.rhythm(t, cfg.dailyCycle());
            int n = Draws.poisson(rnd, expected);
            for (int s = 0; s < n; s++) {
                int u = users.pick(t);
                if (u >= 0) {
                    sessions.session(u, t + rnd.nextLong(MINUTE), end);
                }
            }
            delivery.flush(out, t + MINUTE);
        }
        delivery.flush(out, Long.MAX_VALUE);
        if (cfg.experiments().active()) {
            orders.settle(campaigns);
        }
        return delivery.total();
    }

    /** The campaigns a finished run planted, with their potential outcomes (for tests of the truth). */
    List<PlantedCampaign> campaigns() {
        return campaigns;
    }
}
