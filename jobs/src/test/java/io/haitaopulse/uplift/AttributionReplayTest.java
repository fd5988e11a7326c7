package io.haitaopulse.uplift;

import static org.assertj.core.api.Assertions.assertThat;

import io.haitaopulse.common.PulseOptions;
import io.haitaopulse.io.InputFormat;
import io.haitaopulse.privacy.PrivacyOptions;
import io.haitaopulse.runtime.Replay;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Channel attribution on a hand-made day, 1-minute windows: sessions by 30-minute inactivity,
 * orders credited to the last non-direct touch within 7 days, referral tokens credited.
 */
class AttributionReplayTest {

    @TempDir
    Path tmp;

    private static String click(String user, long s, String channel, String campaign, String token) {
        return String.format(
                "{\"type\":\"click\",\"event_id\":\"%s-%d\",\"user_id\":\"%s\",\"item_id\":1,\"category_id\":2,"
                        + "\"action\":\"VIEW\",\"ts\":%d,\"channel\":%s,\"campaign_id\":%s,\"referrer_token\":%s}",
                user, s, user, s * 1000, q(channel), q(campaign), q(token));
    }

    private static String q(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }

    private static String paid(String user, long s, long cents) {
        return String.format(
                "{\"type\":\"order\",\"order_id\":\"%s-%d\",\"user_id\":\"%s\",\"status\":\"PAID\",\"ts\":%d,"
                        + "\"lines\":[{\"item_id\":1,\"category_id\":2,\"quantity\":1,\"unit_price_cents\":%d}]}",
                user, s, user, s * 1000, cents);
    }

    @Test
    void creditsSessionsOrdersNewUsersAndReferrers() throws Exception {
        List<String> lines = List.of(
                click("u1", 0, "WECHAT", "c1", null),
                click("u4", 0, "WEIBO", null, null),
                click("u3", 5, "REFERRAL", "c2", "t9"),
                click("u2", 10, null, null, null),
                paid("u2", 20, 500), // no touch: DIRECT, new user
                paid("u2", 30, 700), // DIRECT again, not new
                paid("u3", 40, 300), // REFERRAL c2, token t9
                click("u1", 100, "DIRECT", null, null), // same session, and direct clicks are not touches
                paid("u1", 200, 1000), // last non-direct touch: WECHAT c1 at 0 s
                click("u1", 2100, "SEARCH", null, null), // 2000 s of silence: a new session
                paid("u1", 2110, 50), // SEARCH, not new
                paid("u4", 700_000, 800)); // the WEIBO touch is older than 7 days: DIRECT
        Path in = tmp.resolve("events.jsonl");
        Files.write(in, lines, StandardCharsets.UTF_8);
        Configuration c = new Configuration();
        c.set(PulseOptions.WINDOW, Duration.ofMinutes(1));
        c.set(PulseOptions.SLIDE, Duration.ofMinutes(1));
        // The arithmetic on four users; suppression is tested below.
        c.set(PrivacyOptions.K_ANONYMITY, 1);
        Path out = tmp.resolve("out");

        Replay.run(new Replay.Spec("uplift", List.of(in), out, InputFormat.JSONL, c, 2, null, null));

        assertThat(Files.readAllLines(out.resolve("channel_attribution.jsonl")))
                .containsExactly(
                        row(0, "DIRECT", "", 1, 2, 1200, 1, 0),
                        row(0, "REFERRAL", "c2", 1, 1, 300, 1, 1),
                        row(0, "WECHAT", "c1", 1, 0, 0, 0, 0),
                        row(0, "WEIBO", "", 1, 0, 0, 0, 0),
                        row(180, "WECHAT", "c1", 0, 1, 1000, 1, 0),
                        row(2100, "SEARCH", "", 1, 1, 50, 0, 0),
                        row(699_960, "DIRECT", "", 0, 1, 800, 1, 0));
        assertThat(Files.readAllLines(out.resolve("referral_credits.jsonl")))
                .containsExactly(
                        "{\"window_start\":0,\"window_end\":60000,\"referrer_token\":\"t9\",\"campaign_id\":\"c2\",\"orders\":1,"
                                + "\"gmv_cents\":300,\"new_users\":1}");
    }

    @Test
    void aChannelRowOfFewerThanTenUsersIsSuppressed() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int u = 0; u < 10; u++) {
            lines.add(click("w" + u, u, "WECHAT", "c1", null));
        }
        for (int u = 0; u < 9; u++) {
            lines.add(click("b" + u, u, "WEIBO", null, null));
        }
        // Two sessions (31 min apart) of one user: two credits, still one person.
        lines.add(click("s0", 0, "SEARCH", null, null));
        lines.add(click("s0", 1860, "SEARCH", null, null));
        lines.sort(Comparator.comparingLong(l -> Long.parseLong(l.replaceAll(".*\"ts\":(\\d+).*", "$1"))));
        Path in = tmp.resolve("k.jsonl");
        Files.write(in, lines, StandardCharsets.UTF_8);
        Configuration c = new Configuration();
        c.set(PulseOptions.WINDOW, Duration.ofHours(1));
        c.set(PulseOptions.SLIDE, Duration.ofHours(1));
        Path out = tmp.resolve("k-out");

        Replay.Result r = Replay.run(new Replay.Spec("uplift", List.of(in), out, InputFormat.JSONL, c, 2, null, null));

        assertThat(Files.readAllLines(out.resolve("channel_attribution.jsonl")))
                .containsExactly(
                        "{\"window_start\":0,\"window_end\":3600000,\"channel\":\"WECHAT\",\"campaign_id\":\"c1\",\"sessions\":10,"
                                + "\"orders\":0,\"gmv_cents\":0,\"new_users\":0,\"referrers\":0}");
        assertThat(r.kSuppressed())
                .as("WEIBO (9 users) and SEARCH (1 user, 2 sessions)")
                .isEqualTo(2);
    }

    private static String row(
            long startS,
            String channel,
            String campaign,
            long sessions,
            long orders,
            long gmv,
            long newUsers,
            long referrers) {
        return String.format(
                "{\"window_start\":%d,\"window_end\":%d,\"channel\":\"%s\",\"campaign_id\":\"%s\",\"sessions\":%d,"
                        + "\"orders\":%d,\"gmv_cents\":%d,\"new_users\":%d,\"referrers\":%d}",
                startS * 1000, startS * 1000 + 60_000, channel, campaign, sessions, orders, gmv, newUsers, referrers);
    }
}
