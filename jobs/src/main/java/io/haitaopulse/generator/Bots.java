package io.haitaopulse.generator;

import static io.haitaopulse.generator.Times.HOUR;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haitaopulse.generator.Catalogue.CategoryDef;
import io.haitaopulse.schema.Channel;
import io.haitaopulse.schema.Click;
import io.haitaopulse.schema.ClickAction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Bots: even ones view one unpopular item every 1–3 s for two hours (rule repeat-item), odd
 * ones view random items every 0.5–1.5 s for an hour (rule no-dwell). Each is a new user id.
 * Every draw comes from the stream of later additions, so bots leave the shop's events as they were.
 */
final class Bots {

    private Bots() {}

    /** Plants {@code cfg.bots()} bots into {@code delivery}; returns what truth.json lists of each. */
    static List<ObjectNode> plant(
            SimulatorConfig cfg, long seed, SplittableRandom extra, Catalogue catalogue, Delivery delivery) {
        List<ObjectNode> truth = new ArrayList<>();
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
                    target = extra.nextInt(catalogue.nItems);
                } while (catalogue.kindOf[target] != Catalogue.NORMAL
                        || catalogue.popularity[target] > catalogue.medianPopularity());
            }
            String region0 = Users.OTHER[extra.nextInt(Users.OTHER.length)];
            long clicks = 0;
            for (long t = from;
                    t < from + length;
                    t += repeat ? 1_000 + extra.nextLong(2_001) : 500 + extra.nextLong(1_001)) {
                int i = repeat ? target : extra.nextInt(catalogue.nItems);
                CategoryDef def = catalogue.category(i);
                delivery.emitExtra(
                        t,
                        0,
                        new Click(
                                "x" + delivery.nextExtraSeq(),
                                user,
                                catalogue.itemId[i],
                                def.id(),
                                ClickAction.VIEW,
                                Instant.ofEpochMilli(t),
                                null,
                                Channel.DIRECT,
                                null,
                                null,
                                region0,
                                "web"));
                clicks++;
            }
            ObjectNode b = new ObjectMapper().createObjectNode();
            b.put("user_id", user)
                    .put("rule", repeat ? "repeat-item" : "no-dwell")
                    .put("from", from)
                    .put("until", from + length)
                    .put("clicks", clicks);
            if (repeat) {
                b.put("item_id", catalogue.itemId[target])
                        .put("category_id", catalogue.category(target).id());
            }
            truth.add(b);
        }
        return truth;
    }
}
