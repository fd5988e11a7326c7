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
    /** Multiplier of the return chance of lines treated users buy while it runs (1 without campaign returns). */
    double returnMultiplier = 1.0;
    /** Position in the list of planted campaigns (bit of {@link Orders}' record of what each purchase counted for). */
    int index;

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
    // With exact coupled outcomes (ExperimentPlan): returned value in [first exposure, end] per world;
    // rev0/rev1 are then net of it and conv/rev/ret cover every purchase and return in the interval.
    long[] ret0;
    long[] ret1;

    boolean randomised() {
        return holdout > 0;
    }

    /**
     * The campaigns of a run of {@code cfg}, in the order they are announced: one randomised campaign
     * of each kind (one of them an A/A test without effect) and one without hold-out on one category.
     * Their windows are shares of the campaign period (the period after the experiment plan's
     * pre-campaign period, if any); nothing is drawn.
     */
    static List<PlantedCampaign> plant(SimulatorConfig cfg) {
        List<PlantedCampaign> campaigns = new ArrayList<>();
        long start = cfg.campaignPeriodStart();
        long span = cfg.duration().toMillis() - cfg.experiments().preCampaign().toMillis();
        boolean returns = cfg.experiments().campaignReturns();
        Object[][] plan = {
            // id, kind, from, to (share of the period), hold-out, conversion ×, value ×, returns ×
            // (discounts bring impulse buys that come back; the A/A campaign changes nothing)
            {"holiday-2026", CampaignKind.HOLIDAY_DISCOUNT, 0.10, 0.90, 0.20, 1.30, 1.05, 2.0},
            {"newbie-pack", CampaignKind.NEW_USER_COUPON, 0.05, 0.95, 0.50, 1.60, 1.00, 1.3},
            {"share-nearby", CampaignKind.REFERRAL, 0.20, 0.80, 0.30, 1.20, 1.00, 1.0},
            {"flash-noon", CampaignKind.FLASH_SALE, 0.40, 0.60, 0.20, 1.50, 1.10, 3.0},
            {"wechat-push", CampaignKind.SOCIAL, 0.15, 0.85, 0.50, 1.00, 1.00, 1.0}, // A/A: no effect
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
            c.returnMultiplier = returns ? (double) p[7] : 1.0;
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
        did.returnMultiplier = returns ? 1.5 : 1.0;
        did.targetCategory = Catalogue.CATEGORIES.get(0).id();
        did.exposureProb = 0.0;
        campaigns.add(did);
        for (int k = 0; k < campaigns.size(); k++) {
            PlantedCampaign c = campaigns.get(k);
            c.index = k;
            int n = cfg.users();
            c.exposed = new BitSet(n);
            c.treated = new BitSet(n);
            c.firstExposure = new long[n];
            c.conv0 = new boolean[n];
            c.conv1 = new boolean[n];
            c.rev0 = new long[n];
            c.rev1 = new long[n];
            c.ret0 = new long[n];
            c.ret1 = new long[n];
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
