package io.haitaopulse.generator;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haitaopulse.io.JsonRows;
import io.haitaopulse.schema.Arm;
import io.haitaopulse.schema.Campaign;
import io.haitaopulse.schema.CampaignKind;
import io.haitaopulse.schema.Channel;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import io.haitaopulse.schema.Complaint;
import io.haitaopulse.schema.Exposure;
import io.haitaopulse.schema.Order;
import io.haitaopulse.schema.OrderLine;
import io.haitaopulse.schema.OrderStatus;
import io.haitaopulse.schema.Review;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificRecord;

/**
 * Simulates a cross-border import shop and writes its events as the JSON Lines of CONTRACTS §2
 * ({@code clicks.jsonl}, {@code orders.jsonl}, {@code campaigns.jsonl}, {@code exposures.jsonl},
 * {@code reviews.jsonl}, each in delivery order) plus {@code truth.json}, everything it planted.
 *
 * <p>Time advances minute by minute; each minute starts a Poisson number of sessions following the
 * shop's daily and weekly rhythm (Asia/Shanghai). A session is one user's run of views through one
 * channel; views pick items by Zipf popularity with category affinity, carts and orders follow each
 * category's funnel, PAID lines may be RETURNED within 7 days and reviewed within 3. Planted:
 * demand shocks (step or ramp), star items (growing, loved), bad items (popular, counterfeit
 * complaints, returns), campaigns of every kind with hash-based hold-outs and a known effect on
 * the chance to buy and on order value (one with none), and a campaign without hold-out on one
 * category. Events reach the files up to {@code maxDelay} after their time, a share far later.
 *
 * <p>Deterministic: one {@link SplittableRandom} seeded by {@code seed}, no clock, no hash-order
 * iteration; the same seed and configuration give byte-identical files.
 */
public final class MarketSimulator {

    private static final long MINUTE = 60_000L;
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 86_400_000L;
    private static final long SHANGHAI = 8 * HOUR;

    /** An import-shop category: funnel rates, price level, base return rate. */
    record CategoryDef(long id, String name, double cartRate, double orderRate, long medianPriceCents, double returnRate) {}

    static final List<CategoryDef> CATEGORIES = List.of(
            new CategoryDef(101, "infant formula", 0.10, 0.45, 26_800, 0.02),
            new CategoryDef(102, "diapers", 0.12, 0.50, 15_900, 0.03),
            new CategoryDef(103, "snacks and food", 0.14, 0.40, 5_900, 0.02),
            new CategoryDef(104, "skincare", 0.09, 0.35, 19_900, 0.05),
            new CategoryDef(105, "cosmetics", 0.08, 0.33, 16_900, 0.06),
            new CategoryDef(106, "health supplements", 0.07, 0.38, 22_900, 0.03),
            new CategoryDef(107, "personal care", 0.11, 0.42, 7_900, 0.04),
            new CategoryDef(108, "mother and baby care", 0.09, 0.40, 12_900, 0.04),
            new CategoryDef(109, "wine and drinks", 0.06, 0.30, 18_900, 0.02),
            new CategoryDef(110, "home goods", 0.05, 0.28, 9_900, 0.07));

    private static final String[] TIER1 = {"shanghai", "beijing", "shenzhen", "guangzhou"};
    private static final String[] TIER2 = {"hangzhou", "chengdu", "nanjing", "wuhan", "suzhou", "xian", "chongqing", "tianjin"};
    private static final String[] OTHER = {"changsha", "hefei", "kunming", "xiamen", "qingdao", "dalian", "harbin", "nanning"};

    private final SimulatorConfig cfg;
    private final long seed;
    private final SplittableRandom rnd;
    /**
     * Draws of what was added later (devices, bots, unpaid orders) come from a second generator,
     * so that adding them leaves every earlier event of a seed exactly as it was.
     */
    private final SplittableRandom extra;
    private long extraSeq;
    private String[] device;
    private final List<ObjectNode> botTruth = new ArrayList<>();
    private final List<String> unpaidOrders = new ArrayList<>();
    private long createdOrders;

    // Catalogue.
    private int nItems;
    private long[] itemId;
    private int[] itemCat;
    private long[] price;
    private double[] popularity;
    private double[] returnRate;
    private int[] kindOf; // 0 normal, 1 star, 2 bad, 3 shock
    private long[] shockOnset;
    private double[] shockMultiplier;
    private boolean[] shockRamp;
    private int[][] byCategory;
    private double[] globalCumulative;
    private double[][] categoryCumulative;
    private int[] boosted;
    private int[] shocked;
    private double[] starPopularity;
    private double starPopularityAll;

    // Users.
    private String[] userId;
    private String[] region;
    private boolean[] core;
    private long[] firstActive;
    private boolean[] hasOrdered;

    // Campaigns.
    private final List<Camp> campaigns = new ArrayList<>();

    // Output.
    private final PriorityQueue<Pending> queue = new PriorityQueue<>();
    private long seq;
    private final long[] written = new long[5];
    private long late;
    private long malformed;

    /** Creates a simulator of {@code cfg} with {@code seed}. */
    public MarketSimulator(SimulatorConfig cfg, long seed) {
        this.cfg = cfg.validate();
        this.seed = seed;
        this.rnd = new SplittableRandom(seed);
        this.extra = new SplittableRandom(seed ^ 0x6a09e667f3bcc909L);
    }

    /** Payment timeout the planted unpaid orders are meant for (the job's default). */
    public static final long PAYMENT_TIMEOUT_MS = 15 * MINUTE;

    /** A campaign as planted: its definition, its true effect and the potential outcomes it produced. */
    static final class Camp {
        String id;
        CampaignKind kind;
        long start;
        long end;
        double holdout;
        double convMultiplier;
        double valueMultiplier;
        long targetCategory = -1;
        double exposureProb;
        BitSet exposed;
        BitSet treated;
        long[] firstExposure;
        // Potential outcomes of exposed users under control (0) and treatment (1), coupled draws.
        boolean[] conv0;
        boolean[] conv1;
        long[] rev0;
        long[] rev1;

        boolean randomised() {
            return holdout > 0;
        }
    }

    /** An event waiting for its delivery time: the record, or a malformed line as text. */
    private record Pending(long delivery, long seq, int file, IndexedRecord event, String line) implements Comparable<Pending> {
        @Override
        public int compareTo(Pending o) {
            int c = Long.compare(delivery, o.delivery);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    /** Output files, in the order of the writers. */
    public static final List<String> FILES = List.of("clicks.jsonl", "orders.jsonl", "campaigns.jsonl", "exposures.jsonl",
            "reviews.jsonl");

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

    /** Runs the simulation into {@code out}; returns the number of event lines written. */
    public long run(Path out) throws IOException {
        Files.createDirectories(out);
        BufferedWriter[] w = new BufferedWriter[FILES.size()];
        JsonGenerator[] g = new JsonGenerator[FILES.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = new BufferedWriter(new java.io.OutputStreamWriter(Files.newOutputStream(out.resolve(FILES.get(i))),
                    StandardCharsets.UTF_8), 1 << 16);
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
        writeTruth(out.resolve("truth.json"));
        return total;
    }

    /**
     * Runs the simulation into {@code out} (the benchmark keeps events in memory this way);
     * returns the number of events and malformed lines delivered. Call once per instance.
     */
    public long run(Output out) throws IOException {
        buildCatalogue();
        buildUsers();
        if (cfg.withCampaigns()) {
            plantCampaigns();
        }
        long start = cfg.start().toEpochMilli();
        long end = start + cfg.duration().toMillis();
        for (Camp c : campaigns) {
            emit(c.start, 2, definition(c));
        }
        plantBots();
        double perMinute = cfg.users() * cfg.sessionsPerUserPerDay() / 1440.0;
        for (long t = start; t < end; t += MINUTE) {
            double expected = perMinute * rhythm(t);
            int sessions = poisson(expected);
            for (int s = 0; s < sessions; s++) {
                int u = pickUser(t);
                if (u >= 0) {
                    session(u, t + rnd.nextLong(MINUTE), end);
                }
            }
            flush(out, t + MINUTE);
        }
        flush(out, Long.MAX_VALUE);
        long total = 0;
        for (long n : written) {
            total += n;
        }
        return total;
    }

    // ---------------------------------------------------------------- catalogue and users

    private void buildCatalogue() {
        int perCat = cfg.itemsPerCategory();
        nItems = perCat * CATEGORIES.size();
        itemId = new long[nItems];
        itemCat = new int[nItems];
        price = new long[nItems];
        popularity = new double[nItems];
        returnRate = new double[nItems];
        kindOf = new int[nItems];
        shockOnset = new long[nItems];
        shockMultiplier = new double[nItems];
        shockRamp = new boolean[nItems];
        byCategory = new int[CATEGORIES.size()][perCat];
        // Zipf popularity over a random permutation, so popular items spread over categories.
        int[] rank = new int[nItems];
        for (int i = 0; i < nItems; i++) {
            rank[i] = i;
        }
        for (int i = nItems - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int tmp = rank[i];
            rank[i] = rank[j];
            rank[j] = tmp;
        }
        for (int c = 0; c < CATEGORIES.size(); c++) {
            CategoryDef def = CATEGORIES.get(c);
            for (int k = 0; k < perCat; k++) {
                int i = c * perCat + k;
                itemId[i] = def.id() * 100_000 + 1 + k;
                itemCat[i] = c;
                byCategory[c][k] = i;
                price[i] = Math.max(100, Math.round(def.medianPriceCents() * Math.exp(0.4 * gaussian()) / 10) * 10);
                popularity[i] = 1.0 / Math.pow(rank[i] + 1, 1.05);
                returnRate[i] = def.returnRate() * Math.exp(0.3 * gaussian());
            }
        }
        // Plant: bad items among the popular ones, star items in the upper-middle, shocks in the middle.
        Integer[] byPopularity = new Integer[nItems];
        for (int i = 0; i < nItems; i++) {
            byPopularity[i] = i;
        }
        java.util.Arrays.sort(byPopularity, (a, b) -> Double.compare(popularity[b], popularity[a]));
        int bad = Math.max(1, nItems / 200);
        for (int k = 0; k < bad; k++) {
            int i = byPopularity[3 + k * 7];
            kindOf[i] = 2;
            returnRate[i] = 0.25;
        }
        int stars = Math.max(2, nItems / 150);
        for (int k = 0; k < stars; k++) {
            int i = byPopularity[10 + k * 5];
            if (kindOf[i] == 0) {
                kindOf[i] = 1;
                returnRate[i] = 0.005;
            }
        }
        long start = cfg.start().toEpochMilli();
        long span = cfg.duration().toMillis();
        globalCumulative = new double[nItems];
        categoryCumulative = new double[CATEGORIES.size()][perCat];
        double total = 0;
        for (int i = 0; i < nItems; i++) {
            total += popularity[i];
            globalCumulative[i] = total;
        }
        for (int c = 0; c < CATEGORIES.size(); c++) {
            double sum = 0;
            for (int k = 0; k < perCat; k++) {
                sum += popularity[byCategory[c][k]];
                categoryCumulative[c][k] = sum;
            }
        }
        int planted = 0;
        for (int k = 0; planted < cfg.shocks() && k < nItems; k++) {
            // Popular enough to be seen within minutes, but not the very top (those stay steady).
            int i = byPopularity[Math.min(nItems - 1, 12 + k * 3)];
            if (kindOf[i] != 0) {
                continue;
            }
            kindOf[i] = 3;
            planted++;
            // Onsets after a full day (the trend detector learns the daily rhythm first), at shop
            // hours (09:00-21:00 in Shanghai) when people are there to notice.
            long day = start + DAY + (long) (rnd.nextDouble() * Math.max(0, span - 2 * DAY)) / DAY * DAY;
            long onset = Math.floorDiv(day + SHANGHAI, DAY) * DAY - SHANGHAI + 9 * HOUR + rnd.nextLong(12 * HOUR);
            shockOnset[i] = Math.floorDiv(Math.min(onset, start + span - 3 * HOUR), MINUTE) * MINUTE;
            shockMultiplier[i] = 4 + 4 * rnd.nextDouble();
            shockRamp[i] = planted % 2 == 0;
        }
        boosted = java.util.stream.IntStream.range(0, nItems).filter(i -> kindOf[i] == 1 || kindOf[i] == 3).toArray();
        shocked = java.util.stream.IntStream.range(0, nItems).filter(i -> kindOf[i] == 3).toArray();
        starPopularity = new double[CATEGORIES.size()];
        starPopularityAll = 0;
        for (int i = 0; i < nItems; i++) {
            if (kindOf[i] == 1) {
                starPopularity[itemCat[i]] += popularity[i];
                starPopularityAll += popularity[i];
            }
        }
    }

    private void buildUsers() {
        int n = cfg.users();
        userId = new String[n];
        region = new String[n];
        core = new boolean[n];
        firstActive = new long[n];
        hasOrdered = new boolean[n];
        long start = cfg.start().toEpochMilli();
        for (int u = 0; u < n; u++) {
            userId[u] = "u" + Long.toString(seed * 1_000_003L + u * 7_919L & 0x7fffffffL, 36) + "-" + u;
            double r = rnd.nextDouble();
            region[u] = r < 0.45 ? TIER1[rnd.nextInt(TIER1.length)] : r < 0.8 ? TIER2[rnd.nextInt(TIER2.length)]
                    : OTHER[rnd.nextInt(OTHER.length)];
            core[u] = rnd.nextDouble() < 0.6; // women under 35
            boolean isNew = rnd.nextDouble() < 0.3;
            firstActive[u] = isNew ? start + (long) (rnd.nextDouble() * cfg.duration().toMillis()) : Long.MIN_VALUE;
        }
        device = new String[n];
        for (int u = 0; u < n; u++) {
            double d = extra.nextDouble();
            device[u] = d < 0.45 ? "ios" : d < 0.8 ? "android" : d < 0.95 ? "mini_program" : "web";
        }
    }

    /**
     * Bots: even ones view one unpopular item every 1–3 s for two hours (rule repeat-item), odd
     * ones view random items every 0.5–1.5 s for an hour (rule no-dwell). Each is a new user id.
     */
    private void plantBots() {
        long start = cfg.start().toEpochMilli();
        long span = cfg.duration().toMillis();
        for (int k = 0; k < cfg.bots(); k++) {
            boolean repeat = k % 2 == 0;
            long length = repeat ? 2 * HOUR : HOUR;
            long from = start + (span > length ? extra.nextLong(span - length) : 0);
            String user = "b" + Long.toString(seed * 1_000_003L + k * 104_729L & 0x7fffffffL, 36) + "-" + k;
            int target = -1;
            if (repeat) {
                // An item nobody much looks at: the bot alone would make it the hottest.
                do {
                    target = extra.nextInt(nItems);
                } while (kindOf[target] != 0 || popularity[target] > medianPopularity());
            }
            String region0 = OTHER[extra.nextInt(OTHER.length)];
            long clicks = 0;
            for (long t = from; t < from + length; t += repeat ? 1_000 + extra.nextLong(2_001) : 500 + extra.nextLong(1_001)) {
                int i = repeat ? target : extra.nextInt(nItems);
                CategoryDef def = CATEGORIES.get(itemCat[i]);
                emitExtra(t, 0, new Click("x" + (++extraSeq), user, itemId[i], def.id(), ClickAction.VIEW, Instant.ofEpochMilli(t),
                        null, Channel.DIRECT, null, null, region0, "web"));
                clicks++;
            }
            ObjectNode b = new ObjectMapper().createObjectNode();
            b.put("user_id", user).put("rule", repeat ? "repeat-item" : "no-dwell").put("from", from).put("until", from + length)
                    .put("clicks", clicks);
            if (repeat) {
                b.put("item_id", itemId[target]).put("category_id", CATEGORIES.get(itemCat[target]).id());
            }
            botTruth.add(b);
        }
    }

    private double medianPopularity() {
        double[] sorted = popularity.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Like {@link #emit}, drawing from {@link #extra}: in-bound delay only, never late or malformed. */
    private void emitExtra(long ts, int file, SpecificRecord event) {
        long delay = cfg.maxDelay().toMillis() == 0 ? 0 : extra.nextLong(cfg.maxDelay().toMillis() + 1);
        // Negative sequence numbers: distinct from emit's, so delivery order stays a total order.
        queue.add(new Pending(ts + delay, -(++extraSeq), file, (IndexedRecord) event, null));
    }

    private void plantCampaigns() {
        long start = cfg.start().toEpochMilli();
        long span = cfg.duration().toMillis();
        Object[][] plan = {
            // id, kind, from, to (share of the period), hold-out, conversion ×, value ×
            {"holiday-2026", CampaignKind.HOLIDAY_DISCOUNT, 0.10, 0.90, 0.20, 1.30, 1.05},
            {"newbie-pack", CampaignKind.NEW_USER_COUPON, 0.05, 0.95, 0.50, 1.60, 1.00},
            {"share-nearby", CampaignKind.REFERRAL, 0.20, 0.80, 0.30, 1.20, 1.00},
            {"flash-noon", CampaignKind.FLASH_SALE, 0.40, 0.60, 0.20, 1.50, 1.10},
            {"wechat-push", CampaignKind.SOCIAL, 0.15, 0.85, 0.50, 1.00, 1.00}, // A/A: no effect
        };
        for (Object[] p : plan) {
            Camp c = new Camp();
            c.id = (String) p[0];
            c.kind = (CampaignKind) p[1];
            c.start = Math.floorDiv(start + (long) (span * (double) p[2]), MINUTE) * MINUTE;
            c.end = Math.floorDiv(start + (long) (span * (double) p[3]), MINUTE) * MINUTE;
            c.holdout = (double) p[4];
            c.convMultiplier = (double) p[5];
            c.valueMultiplier = (double) p[6];
            c.exposureProb = 0.6;
            campaigns.add(c);
        }
        Camp did = new Camp();
        did.id = "formula-festival";
        did.kind = CampaignKind.HOLIDAY_DISCOUNT;
        did.start = Math.floorDiv(start + span / 2, HOUR) * HOUR;
        did.end = start + span - MINUTE;
        did.holdout = 0.0;
        did.convMultiplier = 1.4;
        did.valueMultiplier = 1.0;
        did.targetCategory = CATEGORIES.get(0).id();
        did.exposureProb = 0.0;
        campaigns.add(did);
        for (Camp c : campaigns) {
            int n = cfg.users();
            c.exposed = new BitSet(n);
            c.treated = new BitSet(n);
            c.firstExposure = new long[n];
            c.conv0 = new boolean[n];
            c.conv1 = new boolean[n];
            c.rev0 = new long[n];
            c.rev1 = new long[n];
        }
    }

    // ---------------------------------------------------------------- the shop's rhythm

    /** Activity relative to the daily mean at {@code t}: evenings and lunch peak, nights are quiet, weekends busier. */
    static double rhythm(long t) {
        long local = t + SHANGHAI;
        int hour = (int) Math.floorMod(Math.floorDiv(local, HOUR), 24L);
        int dow = (int) Math.floorMod(Math.floorDiv(local, DAY) + 3, 7L); // 1970-01-01 was a Thursday: 0 = Monday
        double[] hourly = {0.5, 0.3, 0.2, 0.12, 0.1, 0.12, 0.3, 0.6, 0.9, 1.0, 1.1, 1.2, 1.5, 1.3, 1.0, 1.0, 1.0, 1.1, 1.2,
            1.5, 1.9, 2.1, 1.8, 1.0};
        double weekly = dow >= 5 ? 1.2 : 0.92;
        return hourly[hour] / 0.995 * weekly;
    }

    private int pickUser(long t) {
        for (int attempt = 0; attempt < 8; attempt++) {
            int u = rnd.nextInt(userId.length);
            if (firstActive[u] != Long.MIN_VALUE && firstActive[u] > t) {
                continue;
            }
            // The core segment (women under 35) is half again as active.
            if (core[u] || rnd.nextDouble() < 0.667) {
                return u;
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------- one session

    private void session(int u, long t, long horizon) {
        String sessionId = "s" + (++seq);
        Channel channel = pickChannel();
        String campaignId = null;
        String token = null;
        List<Camp> active = new ArrayList<>();
        for (Camp c : campaigns) {
            if (t < c.start || t > c.end) {
                continue;
            }
            if (c.randomised()) {
                // Only users who never ordered are shown the new-user pack; once shown, its effect and
                // the potential-outcome accounting follow them whatever they do, so that the coupled
                // outcomes of both worlds stay comparable.
                boolean eligible = c.kind != CampaignKind.NEW_USER_COUPON || (!hasOrdered[u] && firstActive[u] != Long.MIN_VALUE);
                if (eligible && !c.exposed.get(u) && rnd.nextDouble() < c.exposureProb) {
                    c.exposed.set(u);
                    c.firstExposure[u] = t;
                    boolean control = assignment(c.id, userId[u]) < c.holdout;
                    if (!control) {
                        c.treated.set(u);
                    }
                    emit(t, 3, new Exposure(c.id, userId[u], control ? Arm.CONTROL : Arm.TREATMENT, Instant.ofEpochMilli(t)));
                    if (c.kind == CampaignKind.REFERRAL && !control) {
                        channel = Channel.REFERRAL;
                        token = "ref-" + Long.toString(assignmentHash(c.id, userId[rnd.nextInt(userId.length)]) & 0xffffffL, 36);
                        campaignId = c.id;
                    } else if (c.kind == CampaignKind.SOCIAL && !control) {
                        channel = rnd.nextBoolean() ? Channel.WECHAT : Channel.WEIBO;
                        campaignId = c.id;
                    }
                }
                if (c.exposed.get(u)) {
                    active.add(c);
                }
            } else if (c.targetCategory >= 0) {
                active.add(c);
            }
        }
        int views = 1 + geometric(0.18);
        int affinity = -1;
        long ts = t;
        List<OrderLine> basket = new ArrayList<>();
        for (int v = 0; v < views && ts < horizon - 10_000; v++) {
            int i = pickItem(affinity, ts);
            affinity = itemCat[i];
            CategoryDef def = CATEGORIES.get(itemCat[i]);
            emit(ts, 0, new Click("e" + (++seq), userId[u], itemId[i], def.id(), ClickAction.VIEW, Instant.ofEpochMilli(ts),
                    sessionId, channel, campaignId, token, region[u], device[u]));
            if (rnd.nextDouble() < 0.03) {
                emit(ts + 2_000, 0, new Click("e" + (++seq), userId[u], itemId[i], def.id(), ClickAction.FAV,
                        Instant.ofEpochMilli(ts + 2_000), sessionId, channel, campaignId, token, region[u], device[u]));
            }
            double cartRate = def.cartRate() * (kindOf[i] == 1 ? 1.6 : 1.0);
            if (rnd.nextDouble() < cartRate) {
                emit(ts + 5_000, 0, new Click("e" + (++seq), userId[u], itemId[i], def.id(), ClickAction.CART,
                        Instant.ofEpochMilli(ts + 5_000), sessionId, channel, campaignId, token, region[u], device[u]));
                int qty = rnd.nextDouble() < 0.8 ? 1 : 2 + rnd.nextInt(3);
                long discount = rnd.nextDouble() < 0.3 ? price[i] * qty * (5 + rnd.nextInt(16)) / 100 : 0;
                basket.add(new OrderLine(itemId[i], def.id(), qty, price[i], discount));
            }
            ts += 20_000 + rnd.nextLong(100_000);
        }
        if (basket.isEmpty() || ts >= horizon) {
            return;
        }
        // Buy the basket or not: the category's order rate, raised for treated users by their campaigns.
        CategoryDef firstCat = CATEGORIES.get(indexOfCategory(basket.get(0).getCategoryId()));
        double p0 = firstCat.orderRate();
        double uniform = rnd.nextDouble();
        double multiplier = 1.0;
        double valueMultiplier = 1.0;
        for (Camp c : active) {
            boolean inTarget = c.targetCategory < 0 || basket.get(0).getCategoryId() == c.targetCategory;
            if (inTarget && (!c.randomised() || c.treated.get(u))) {
                multiplier *= c.convMultiplier;
                valueMultiplier *= c.valueMultiplier;
            }
        }
        boolean buys = uniform < Math.min(0.98, p0 * multiplier);
        long value = 0;
        List<OrderLine> lines = new ArrayList<>();
        for (OrderLine l : basket) {
            int qty = valueMultiplier > 1 && rnd.nextDouble() < (valueMultiplier - 1) * 2 ? l.getQuantity() + 1 : l.getQuantity();
            OrderLine line = new OrderLine(l.getItemId(), l.getCategoryId(), qty, l.getUnitPriceCents(),
                    Math.min(l.getDiscountCents(), qty * l.getUnitPriceCents()));
            lines.add(line);
            value += qty * line.getUnitPriceCents() - line.getDiscountCents();
        }
        long baseValue = 0;
        for (OrderLine l : basket) {
            baseValue += l.getQuantity() * l.getUnitPriceCents() - Math.min(l.getDiscountCents(), l.getQuantity() * l.getUnitPriceCents());
        }
        // Potential outcomes for every randomised campaign the user is exposed to (coupled draws).
        for (Camp c : active) {
            if (!c.randomised() || ts > c.end) {
                continue;
            }
            double others = multiplier / (c.treated.get(u) ? c.convMultiplier : 1.0);
            double otherValue = valueMultiplier / (c.treated.get(u) ? c.valueMultiplier : 1.0);
            boolean b0 = uniform < Math.min(0.98, p0 * others);
            boolean b1 = uniform < Math.min(0.98, p0 * others * c.convMultiplier);
            c.conv0[u] |= b0;
            c.conv1[u] |= b1;
            c.rev0[u] += b0 ? Math.round(baseValue * otherValue) : 0;
            c.rev1[u] += b1 ? Math.round(baseValue * otherValue * c.valueMultiplier) : 0;
        }
        if (!buys) {
            if (cfg.unpaidShare() > 0 && extra.nextDouble() < cfg.unpaidShare()) {
                // Checked out and never paid: what order_timeouts must find.
                String unpaid = "n" + (++extraSeq);
                emitExtra(ts, 1, new Order(unpaid, userId[u], OrderStatus.CREATED, Instant.ofEpochMilli(ts), lines, null, null));
                unpaidOrders.add(unpaid);
                createdOrders++;
            }
            return;
        }
        String orderId = "o" + (++seq);
        String orderCampaign = null;
        String coupon = null;
        for (Camp c : active) {
            if (c.kind == CampaignKind.NEW_USER_COUPON && c.treated.get(u)) {
                orderCampaign = c.id;
                coupon = "NEWBIE-" + (1 + rnd.nextInt(3)) * 10;
            }
        }
        hasOrdered[u] = true;
        if (cfg.unpaidShare() > 0) {
            // Placed 10 s to 3 min before it was paid, well within the payment timeout.
            long placed = ts - 10_000 - extra.nextLong(170_001);
            emitExtra(placed, 1, new Order(orderId, userId[u], OrderStatus.CREATED, Instant.ofEpochMilli(placed), lines,
                    orderCampaign, coupon));
            createdOrders++;
        }
        emit(ts, 1, new Order(orderId, userId[u], OrderStatus.PAID, Instant.ofEpochMilli(ts), lines, orderCampaign, coupon));
        for (OrderLine l : lines) {
            int i = indexOfItem(l.getItemId());
            if (rnd.nextDouble() < returnRate[i]) {
                long back = ts + HOUR + rnd.nextLong(7 * DAY - HOUR);
                if (back < horizon) {
                    emit(back, 1, new Order(orderId, userId[u], OrderStatus.RETURNED, Instant.ofEpochMilli(back), List.of(l), null,
                            null));
                }
            }
            if (rnd.nextDouble() < 0.3) {
                long at = ts + 2 * HOUR + rnd.nextLong(3 * DAY);
                if (at < horizon) {
                    review(u, i, orderId, at);
                }
            }
        }
    }

    private void review(int u, int i, String orderId, long at) {
        int rating;
        Complaint complaint = null;
        if (kindOf[i] == 2) {
            rating = 1 + rnd.nextInt(3);
            if (rnd.nextDouble() < 0.4) {
                complaint = Complaint.COUNTERFEIT;
            }
        } else {
            double mean = kindOf[i] == 1 ? 4.8 : 4.3;
            rating = (int) Math.max(1, Math.min(5, Math.round(mean + 0.8 * gaussian())));
            if (rnd.nextDouble() < 0.03) {
                complaint = Complaint.values()[1 + rnd.nextInt(Complaint.values().length - 1)];
            }
        }
        emit(at, 4, new Review(itemId[i], userId[u], Instant.ofEpochMilli(at), rating, orderId, complaint));
    }

    private Channel pickChannel() {
        double r = rnd.nextDouble();
        if (r < 0.42) {
            return rnd.nextDouble() < 0.5 ? null : Channel.DIRECT;
        } else if (r < 0.64) {
            return Channel.SEARCH;
        } else if (r < 0.80) {
            return Channel.WECHAT;
        } else if (r < 0.88) {
            return Channel.WEIBO;
        } else if (r < 0.95) {
            return Channel.APP_PUSH;
        }
        return Channel.EMAIL;
    }

    /**
     * An item by popularity × boost: from the session's category (60 %) or the whole shop. The
     * base popularity is sampled from cumulative weights; the few boosted items (shocks, stars)
     * get their extra weight from a second, small draw, so sampling stays exact and O(log n).
     */
    private int pickItem(int affinity, long ts) {
        boolean local = affinity >= 0 && rnd.nextDouble() < 0.6;
        double[] cumulative = local ? categoryCumulative[affinity] : globalCumulative;
        int[] members = local ? byCategory[affinity] : null;
        double base = cumulative[cumulative.length - 1];
        // Stars all grow alike, so their extra weight is one growth factor times a precomputed sum;
        // only the few shocks are summed one by one (a catalogue of 200K items has 1,333 stars).
        double extra = (starGrowth(ts) - 1) * (local ? starPopularity[affinity] : starPopularityAll);
        for (int b : shocked) {
            if (!local || itemCat[b] == affinity) {
                extra += popularity[b] * (boost(b, ts) - 1);
            }
        }
        double r = rnd.nextDouble() * (base + extra);
        if (r >= base) {
            r -= base;
            for (int b : boosted) {
                if (!local || itemCat[b] == affinity) {
                    r -= popularity[b] * (boost(b, ts) - 1);
                    if (r < 0) {
                        return b;
                    }
                }
            }
        }
        int k = java.util.Arrays.binarySearch(cumulative, Math.min(r, base));
        k = k >= 0 ? k + 1 : -k - 1;
        k = Math.min(k, cumulative.length - 1);
        return members == null ? k : members[k];
    }

    /** Demand multiplier of an item at {@code ts}: shocks step or ramp up (over 10 minutes), stars grow 30 % a day. */
    private double boost(int i, long ts) {
        if (kindOf[i] == 3 && ts >= shockOnset[i]) {
            if (!shockRamp[i]) {
                return shockMultiplier[i];
            }
            double ramp = Math.min(1.0, (ts - shockOnset[i]) / (double) (10 * MINUTE));
            return 1 + (shockMultiplier[i] - 1) * ramp;
        }
        if (kindOf[i] == 1) {
            return starGrowth(ts);
        }
        return 1.0;
    }

    /** Demand multiplier of every star item at {@code ts}: 30 % a day. */
    private double starGrowth(long ts) {
        return Math.pow(1.3, (ts - cfg.start().toEpochMilli()) / (double) DAY);
    }

    // ---------------------------------------------------------------- output

    private Campaign definition(Camp c) {
        return new Campaign(c.id, c.kind, Instant.ofEpochMilli(c.start), Instant.ofEpochMilli(c.end), c.holdout,
                c.targetCategory >= 0 ? List.of(c.targetCategory) : null, null, c.id.replace('-', ' '));
    }

    private void emit(long ts, int file, SpecificRecord event) {
        long delay = cfg.maxDelay().toMillis() == 0 ? 0 : rnd.nextLong(cfg.maxDelay().toMillis() + 1);
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
        queue.add(new Pending(ts + delay, ++seq, file, record, line));
    }

    private String malformedLine(String line) {
        return switch (rnd.nextInt(4)) {
            case 0 -> line.substring(0, line.length() / 2);
            case 1 -> line.replace("\"action\":\"VIEW\"", "\"action\":\"view\"").replace("\"action\":\"CART\"", "\"action\":\"cart\"")
                    .replace("\"action\":\"FAV\"", "\"action\":\"fav\"");
            case 2 -> line.replaceFirst("\"item_id\":(\\d+)", "\"item_id\":\"$1\"");
            default -> "{\"type\":\"refund\",\"ts\":1}";
        };
    }

    private void flush(Output out, long before) throws IOException {
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

    private void writeTruth(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode t = json.createObjectNode();
        t.put("seed", seed);
        t.put("start", cfg.start().toEpochMilli());
        t.put("end", cfg.start().toEpochMilli() + cfg.duration().toMillis());
        ObjectNode params = t.putObject("parameters");
        params.put("users", cfg.users());
        params.put("items_per_category", cfg.itemsPerCategory());
        params.put("sessions_per_user_per_day", cfg.sessionsPerUserPerDay());
        params.put("max_delay_ms", cfg.maxDelay().toMillis());
        params.put("late_share", cfg.lateShare());
        params.put("malformed_share", cfg.malformedShare());
        ArrayNode cats = t.putArray("categories");
        for (CategoryDef c : CATEGORIES) {
            cats.addObject().put("category_id", c.id()).put("name", c.name()).put("cart_rate", c.cartRate())
                    .put("order_rate", c.orderRate()).put("median_price_cents", c.medianPriceCents())
                    .put("return_rate", c.returnRate());
        }
        ObjectNode counts = t.putObject("lines_written");
        for (int i = 0; i < FILES.size(); i++) {
            counts.put(FILES.get(i), written[i]);
        }
        t.put("late_events", late);
        ArrayNode bots = t.putArray("bots");
        botTruth.forEach(bots::add);
        ObjectNode unpaid = t.putObject("unpaid_orders");
        unpaid.put("payment_timeout_ms", PAYMENT_TIMEOUT_MS).put("created_orders", createdOrders);
        ArrayNode unpaidIds = unpaid.putArray("never_paid");
        unpaidOrders.forEach(unpaidIds::add);
        t.put("malformed_lines", malformed);
        ArrayNode shocks = t.putArray("shock_items");
        ArrayNode stars = t.putArray("star_items");
        ArrayNode bad = t.putArray("bad_items");
        ArrayNode steady = t.putArray("steady_high_volume_items");
        Integer[] byPopularity = new Integer[nItems];
        for (int i = 0; i < nItems; i++) {
            byPopularity[i] = i;
        }
        java.util.Arrays.sort(byPopularity, (a, b) -> Double.compare(popularity[b], popularity[a]));
        for (int i = 0; i < nItems; i++) {
            long cat = CATEGORIES.get(itemCat[i]).id();
            switch (kindOf[i]) {
                case 1 -> stars.addObject().put("item_id", itemId[i]).put("category_id", cat).put("daily_growth", 0.3)
                        .put("return_rate", returnRate[i]);
                case 2 -> bad.addObject().put("item_id", itemId[i]).put("category_id", cat).put("return_rate", returnRate[i])
                        .put("counterfeit_share_of_reviews", 0.4);
                case 3 -> shocks.addObject().put("item_id", itemId[i]).put("category_id", cat).put("onset_ts", shockOnset[i])
                        .put("kind", shockRamp[i] ? "ramp" : "step").put("multiplier", shockMultiplier[i]);
                default -> { }
            }
        }
        for (int k = 0; k < Math.min(nItems, 40); k++) {
            int i = byPopularity[k];
            if (kindOf[i] == 0) {
                steady.addObject().put("item_id", itemId[i]).put("category_id", CATEGORIES.get(itemCat[i]).id());
            }
        }
        ArrayNode camps = t.putArray("campaigns");
        for (Camp c : campaigns) {
            ObjectNode n = camps.addObject();
            n.put("campaign_id", c.id).put("kind", c.kind.name()).put("start_ts", c.start).put("end_ts", c.end)
                    .put("holdout_pct", c.holdout).put("randomised", c.randomised())
                    .put("conversion_multiplier", c.convMultiplier).put("order_value_multiplier", c.valueMultiplier)
                    .put("aa_test", c.convMultiplier == 1.0 && c.valueMultiplier == 1.0);
            if (c.targetCategory >= 0) {
                n.putArray("target_category_ids").add(c.targetCategory);
            }
            if (c.randomised()) {
                int exposed = c.exposed.cardinality();
                double conv = 0;
                double rev = 0;
                for (int u = c.exposed.nextSetBit(0); u >= 0; u = c.exposed.nextSetBit(u + 1)) {
                    conv += (c.conv1[u] ? 1 : 0) - (c.conv0[u] ? 1 : 0);
                    rev += c.rev1[u] - c.rev0[u];
                }
                n.put("exposed_users", exposed).put("treated_users", c.treated.cardinality());
                // Average effect over exposed users from coupled potential outcomes (returns excluded).
                n.putObject("true_lift").put("conversion", exposed == 0 ? 0 : conv / exposed)
                        .put("revenue_per_user", exposed == 0 ? 0 : rev / exposed);
            }
        }
        json.writeValue(file.toFile(), t);
    }

    // ---------------------------------------------------------------- helpers

    /** Hold-out assignment in [0, 1) from a hash of campaign and user, as a shop would do it. */
    static double assignment(String campaign, String user) {
        return (assignmentHash(campaign, user) >>> 11) / (double) (1L << 53);
    }

    static long assignmentHash(String campaign, String user) {
        long h = 0xcbf29ce484222325L;
        String s = campaign + "|" + user;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }

    private int indexOfCategory(long id) {
        return (int) (id - CATEGORIES.get(0).id());
    }

    private int indexOfItem(long id) {
        long cat = id / 100_000;
        return indexOfCategory(cat) * cfg.itemsPerCategory() + (int) (id % 100_000) - 1;
    }

    private int poisson(double mean) {
        if (mean > 30) {
            return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian()));
        }
        double l = Math.exp(-mean);
        int k = 0;
        double p = 1;
        do {
            k++;
            p *= rnd.nextDouble();
        } while (p > l);
        return k - 1;
    }

    private int geometric(double p) {
        return (int) Math.floor(Math.log(1 - rnd.nextDouble()) / Math.log(1 - p));
    }

    private double gaussian() {
        // Box-Muller on the seeded generator (SplittableRandom has no nextGaussian in Java 17).
        double u1 = 1 - rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
