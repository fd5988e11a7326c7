package io.haitaopulse.generator;

import static io.haitaopulse.generator.Times.HOUR;
import static io.haitaopulse.generator.Times.MINUTE;

import io.haitaopulse.schema.Campaign;
import io.haitaopulse.schema.CampaignKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A campaign as planted: its definition, its true effect and the potential outcomes it produced.
 * Mutable: sessions record exposures and both worlds' outcomes of exposed users as they happen.
 */
final class PlantedCampaign {
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

    /**
     * The campaigns of a run of {@code cfg}, in the order they are announced: one randomised campaign
     * of each kind (one of them an A/A test without effect) and one without hold-out on one category.
     * Their windows are shares of the period; nothing is drawn.
     */
    static List<PlantedCampaign> plant(SimulatorConfig cfg) {
        List<PlantedCampaign> campaigns = new ArrayList<>();
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
            PlantedCampaign c = new PlantedCampaign();
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
        PlantedCampaign did = new PlantedCampaign();
        did.id = "formula-festival";
        did.kind = CampaignKind.HOLIDAY_DISCOUNT;
        did.start = Math.floorDiv(start + span / 2, HOUR) * HOUR;
        did.end = start + span - MINUTE;
        did.holdout = 0.0;
        did.convMultiplier = 1.4;
        did.valueMultiplier = 1.0;
        did.targetCategory = Catalogue.CATEGORIES.get(0).id();
        did.exposureProb = 0.0;
        campaigns.add(did);
        for (PlantedCampaign c : campaigns) {
            int n = cfg.users();
            c.exposed = new BitSet(n);
            c.treated = new BitSet(n);
            c.firstExposure = new long[n];
            c.conv0 = new boolean[n];
            c.conv1 = new boolean[n];
            c.rev0 = new long[n];
            c.rev1 = new long[n];
        }
        return campaigns;
    }

    /** The campaign's definition as the shop announces it ({@code campaigns.jsonl}). */
    Campaign definition() {
        return new Campaign(
                id,
                kind,
                Instant.ofEpochMilli(start),
                Instant.ofEpochMilli(end),
                holdout,
                targetCategory >= 0 ? List.of(targetCategory) : null,
                null,
                id.replace('-', ' '));
    }

    /** Hold-out assignment in [0, 1) from a hash of campaign and user, as a shop would do it. */
    static double assignment(String campaign, String user) {
        return (assignmentHash(campaign, user) >>> 11) / (double) (1L << 53);
    }

    /** FNV-1a of {@code campaign|user}, finished with a 64-bit mix. */
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
}
