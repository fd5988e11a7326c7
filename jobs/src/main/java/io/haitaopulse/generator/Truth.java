package io.haitaopulse.generator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haitaopulse.generator.Catalogue.CategoryDef;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code truth.json}: everything a run planted and counted — parameters, categories, lines per
 * file, late and malformed lines, bots, unpaid orders, shock, star, bad and steady items, and
 * per campaign its true effect from the coupled potential outcomes. A run with a
 * {@link SpikePlan} also lists the plan, what each of its spikes was dealt and its decoys; a run
 * with an {@link ExperimentPlan} lists that plan, defines its true lifts ({@code
 * true_lift_definitions}) and gives each campaign its return multiplier, the true lift of
 * {@code returns_per_user} and the true means of both worlds; a run without either writes exactly
 * the fields it always did.
 */
final class Truth {

    private Truth() {}

    /** Writes the truth of a finished run of {@code cfg} with {@code seed} to {@code file}. */
    static void write(
            Path file,
            SimulatorConfig cfg,
            long seed,
            Catalogue catalogue,
            List<PlantedCampaign> campaigns,
            Delivery delivery,
            List<ObjectNode> botTruth,
            Orders orders)
            throws IOException {
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
        if (cfg.dailyCycle() != 1.0) {
            params.put("daily_cycle", cfg.dailyCycle());
        }
        if (cfg.spikePlan().active()) {
            plan(params.putObject("spike_plan"), cfg.spikePlan());
        }
        boolean exact = cfg.experiments().active();
        if (exact) {
            params.putObject("experiment_plan")
                    .put("pre_campaign_ms", cfg.experiments().preCampaign().toMillis())
                    .put("campaign_period_start", cfg.campaignPeriodStart())
                    .put("propensity_shape", cfg.experiments().propensityShape())
                    .put("campaign_returns", cfg.experiments().campaignReturns());
        }
        ArrayNode cats = t.putArray("categories");
        for (CategoryDef c : Catalogue.CATEGORIES) {
            cats.addObject()
                    .put("category_id", c.id())
                    .put("name", c.name())
                    .put("cart_rate", c.cartRate())
                    .put("order_rate", c.orderRate())
                    .put("median_price_cents", c.medianPriceCents())
                    .put("return_rate", c.returnRate());
        }
        ObjectNode counts = t.putObject("lines_written");
        for (int i = 0; i < MarketSimulator.FILES.size(); i++) {
            counts.put(MarketSimulator.FILES.get(i), delivery.written(i));
        }
        t.put("late_events", delivery.late());
        ArrayNode bots = t.putArray("bots");
        botTruth.forEach(bots::add);
        ObjectNode unpaid = t.putObject("unpaid_orders");
        unpaid.put("payment_timeout_ms", MarketSimulator.PAYMENT_TIMEOUT_MS)
                .put("created_orders", orders.createdOrders());
        ArrayNode unpaidIds = unpaid.putArray("never_paid");
        orders.unpaidOrders().forEach(unpaidIds::add);
        t.put("malformed_lines", delivery.malformed());
        items(t, catalogue);
        if (cfg.spikePlan().active()) {
            decoys(t, catalogue, cfg.spikePlan());
        }
        if (exact) {
            definitions(t.putObject("true_lift_definitions"));
        }
        ArrayNode camps = t.putArray("campaigns");
        for (PlantedCampaign c : campaigns) {
            if (exact) {
                exactCampaign(camps.addObject(), c);
            } else {
                campaign(camps.addObject(), c);
            }
        }
        json.writeValue(file.toFile(), t);
    }

    private static void items(ObjectNode t, Catalogue catalogue) {
        ArrayNode shocks = t.putArray("shock_items");
        ArrayNode stars = t.putArray("star_items");
        ArrayNode bad = t.putArray("bad_items");
        ArrayNode steady = t.putArray("steady_high_volume_items");
        long[] itemId = catalogue.itemId;
        double[] returnRate = catalogue.returnRate;
        for (int i = 0; i < catalogue.nItems; i++) {
            long cat = catalogue.category(i).id();
            switch (catalogue.kindOf[i]) {
                case Catalogue.STAR ->
                    stars.addObject()
                            .put("item_id", itemId[i])
                            .put("category_id", cat)
                            .put("daily_growth", 0.3)
                            .put("return_rate", returnRate[i]);
                case Catalogue.BAD ->
                    bad.addObject()
                            .put("item_id", itemId[i])
                            .put("category_id", cat)
                            .put("return_rate", returnRate[i])
                            .put("counterfeit_share_of_reviews", 0.4);
                case Catalogue.SHOCK -> {
                    ObjectNode shock = shocks.addObject()
                            .put("item_id", itemId[i])
                            .put("category_id", cat)
                            .put("onset_ts", catalogue.shockOnset[i])
                            .put("kind", catalogue.shockRamp[i] ? "ramp" : "step")
                            .put("multiplier", catalogue.shockMultiplier[i]);
                    SpikePlan.Combination deal = catalogue.planned[i];
                    if (deal != null) {
                        shock.put("size_band", deal.band().label())
                                .put("popularity_rank", catalogue.rankOf[i])
                                .put("phase", deal.phase().label());
                        if (catalogue.shockEnd[i] == Long.MAX_VALUE) {
                            shock.putNull("end_ts");
                        } else {
                            shock.put("end_ts", catalogue.shockEnd[i]);
                        }
                    }
                }
                default -> {}
            }
        }
        Integer[] byPopularity = catalogue.byPopularity();
        for (int k = 0; k < Math.min(catalogue.nItems, 40); k++) {
            int i = byPopularity[k];
            if (catalogue.kindOf[i] == Catalogue.NORMAL) {
                steady.addObject()
                        .put("item_id", itemId[i])
                        .put("category_id", catalogue.category(i).id());
            }
        }
    }

    private static void plan(ObjectNode n, SpikePlan plan) {
        n.put("spikes", plan.spikes());
        plan.multipliers().forEach(n.putArray("multipliers")::add);
        plan.bands().forEach(b -> n.withArray("size_bands").add(b.label()));
        plan.shapes().forEach(s -> n.withArray("shapes").add(s.label()));
        plan.phases().forEach(p -> n.withArray("phases").add(p.label()));
        // Onset windows as offsets from the start.
        n.putObject("first_hours_onsets")
                .put("from_ms", plan.firstHoursFrom().toMillis())
                .put("to_ms", plan.firstHoursTo().toMillis());
        n.putObject("day_2_onsets")
                .put("from_ms", plan.day2From().toMillis())
                .put("to_ms", plan.day2To().toMillis());
        n.put("spike_duration_ms", plan.spikeDuration().toMillis());
        n.put("decoys", plan.decoys());
        n.put("decoy_multiplier", plan.decoyMultiplier());
        n.put("decoy_size_band", plan.decoyBand().label());
    }

    /** The always-hot decoys: planted items that must never trend. */
    private static void decoys(ObjectNode t, Catalogue catalogue, SpikePlan plan) {
        ArrayNode decoys = t.putArray("decoy_items");
        for (int i = 0; i < catalogue.nItems; i++) {
            if (catalogue.kindOf[i] == Catalogue.DECOY) {
                decoys.addObject()
                        .put("item_id", catalogue.itemId[i])
                        .put("category_id", catalogue.category(i).id())
                        .put("multiplier", catalogue.decoyMultiplier[i])
                        .put("size_band", plan.decoyBand().label())
                        .put("popularity_rank", catalogue.rankOf[i]);
            }
        }
    }

    private static void campaign(ObjectNode n, PlantedCampaign c) {
        n.put("campaign_id", c.id)
                .put("kind", c.kind.name())
                .put("start_ts", c.start)
                .put("end_ts", c.end)
                .put("holdout_pct", c.holdout)
                .put("randomised", c.randomised())
                .put("conversion_multiplier", c.convMultiplier)
                .put("order_value_multiplier", c.valueMultiplier)
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
            n.putObject("true_lift")
                    .put("conversion", exposed == 0 ? 0 : conv / exposed)
                    .put("revenue_per_user", exposed == 0 ? 0 : rev / exposed);
        }
    }

    /** What the true lifts of a run with exact coupled outcomes mean, in words, for whoever reads the file. */
    private static void definitions(ObjectNode d) {
        d.put(
                "common",
                "Mean over the campaign's exposed users of (metric if treated - metric if held out). Both worlds of a user "
                        + "share every draw: each filled basket's purchase, extra units, returns and return times are "
                        + "drawn once and evaluated under both arms of this campaign, every other campaign as realised; "
                        + "the observed world of each user is exactly their arm's potential outcome. Interval: "
                        + "[first_exposure_ts, end_ts] of the campaign, event times.");
        d.put("conversion", "1 if the user has a PAID order in the interval, else 0.");
        d.put(
                "revenue_per_user",
                "Value in cents of the PAID orders in the interval minus the value of RETURNED lines whose own ts is in "
                        + "the interval (net, as campaign_uplift measures it).");
        d.put(
                "returns_per_user",
                "Value in cents of RETURNED lines whose own ts is in the interval (lower is better).");
    }

    /** A campaign of a run with exact coupled outcomes: {@link #campaign} plus returns and both worlds' means. */
    private static void exactCampaign(ObjectNode n, PlantedCampaign c) {
        n.put("campaign_id", c.id)
                .put("kind", c.kind.name())
                .put("start_ts", c.start)
                .put("end_ts", c.end)
                .put("holdout_pct", c.holdout)
                .put("randomised", c.randomised())
                .put("conversion_multiplier", c.convMultiplier)
                .put("order_value_multiplier", c.valueMultiplier)
                .put("return_multiplier", c.returnMultiplier)
                .put("aa_test", c.convMultiplier == 1.0 && c.valueMultiplier == 1.0 && c.returnMultiplier == 1.0);
        if (c.targetCategory >= 0) {
            n.putArray("target_category_ids").add(c.targetCategory);
        }
        if (c.randomised()) {
            int exposed = c.exposed.cardinality();
            double[] sum0 = new double[3];
            double[] sum1 = new double[3];
            for (int u = c.exposed.nextSetBit(0); u >= 0; u = c.exposed.nextSetBit(u + 1)) {
                sum0[0] += c.conv0[u] ? 1 : 0;
                sum1[0] += c.conv1[u] ? 1 : 0;
                sum0[1] += c.rev0[u];
                sum1[1] += c.rev1[u];
                sum0[2] += c.ret0[u];
                sum1[2] += c.ret1[u];
            }
            String[] metrics = {"conversion", "revenue_per_user", "returns_per_user"};
            n.put("exposed_users", exposed).put("treated_users", c.treated.cardinality());
            ObjectNode lift = n.putObject("true_lift");
            ObjectNode control = n.putObject("true_mean_control");
            ObjectNode treatment = n.putObject("true_mean_treatment");
            for (int m = 0; m < metrics.length; m++) {
                // Exact: sums of whole cents and counts are exact in a double far below 2^53.
                lift.put(metrics[m], exposed == 0 ? 0 : (sum1[m] - sum0[m]) / exposed);
                control.put(metrics[m], exposed == 0 ? 0 : sum0[m] / exposed);
                treatment.put(metrics[m], exposed == 0 ? 0 : sum1[m] / exposed);
            }
        }
    }
}
