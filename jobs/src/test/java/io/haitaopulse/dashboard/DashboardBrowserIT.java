package io.haitaopulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haitaopulse.generator.MarketSimulator;
import io.haitaopulse.generator.SimulatorConfig;
import io.haitaopulse.io.InputFormat;
import io.haitaopulse.live.LiveSetup;
import io.haitaopulse.live.PostgresUpsertSink;
import io.haitaopulse.runtime.Replay;
import io.haitaopulse.stack.LocalPostgres;
import io.haitaopulse.testutil.LiveStack;
import java.io.File;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (Debian's Chromium, headless, through Selenium): a replay of the
 * small simulated shop is loaded into a fresh PostgreSQL with a catalogue of item and campaign
 * names (some items, categories and campaigns deliberately without one), the dashboard reads it as
 * a member of {@code pulse_dashboard}, and every page must show exactly what the views hold (read
 * here with plain JDBC and formatted here independently): names with their ids, money in yuan,
 * conversion differences in percentage points, times in the shop's UTC+08:00; refresh by itself,
 * word freshness against the wall clock or, for the demo, against the stream, speak Chinese on
 * request, and show hostile names as text without running them. Screenshots land in
 * target/dashboard-screenshots.
 */
class DashboardBrowserIT {

    private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");
    private static final List<String> TABLES = List.of(
            "hot_items",
            "demand_trends",
            "category_trends",
            "trend_alerts",
            "campaign_uplift",
            "campaign_did",
            "channel_attribution",
            "sourcing_shortlist",
            "traffic",
            "funnel",
            "order_timeouts");
    private static final String SCRIPT = "<script>window.__xss=1;alert(1)</script>";
    private static final String IMG = "<img src=x onerror=\"window.__xss=1;alert(1)\">";
    private static final ZoneOffset SHOP = ZoneOffset.ofHours(8);
    private static final DateTimeFormatter SHOP_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(SHOP);
    /** An unpaid order timing out at 16:15 UTC, after every order of the replay: 00:00 the next day in the shop. */
    private static final long LATE_TIMEOUT = 1_793_722_500_000L;

    private static final String A_B_ROWS =
            "WHERE n_treatment + n_control > 0 AND coalesce(holdout_pct > 0, n_control > 0)";
    /** Per campaign its goal metrics, then its guardrail, returns per user. */
    private static final String SCOREBOARD_ORDER = " ORDER BY campaign_id, metric = 'returns_per_user', metric";

    @TempDir
    static Path tmp;

    private static String url;
    private static PostgresUpsertSink.Settings owner;
    private static DashboardServer server;
    private static DashboardServer simulated;
    private static final AtomicLong STREAM_NEWEST = new AtomicLong(Long.MIN_VALUE);
    private static WebDriver driver;
    private static String base;
    private static String simulatedBase;

    @BeforeAll
    static void start() throws Exception {
        // Fail, never skip: a dashboard that was not looked at in a browser is not tested.
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new AssertionError("the dashboard browser test needs Chromium and its driver at " + CHROMIUM + " and "
                    + CHROMEDRIVER + ": apt-get install -y chromium chromium-driver");
        }
        Path events = tmp.resolve("events");
        Path out = tmp.resolve("out");
        new MarketSimulator(SimulatorConfig.scenario("small").withBotsAndUnpaid(2, 0.05), 3).run(events);
        Replay.run(new Replay.Spec("all", List.of(events), out, InputFormat.JSONL, new Configuration(), 2, null, null));

        url = LiveStack.freshDatabase("dashboard");
        owner = new PostgresUpsertSink.Settings(
                url, LocalPostgres.USER, null, 1, 0, PostgresUpsertSink.Mode.MULTI_ROW, 0, 0L);
        for (String script : LiveSetup.SQL_SCRIPTS) {
            LiveSetup.execute(owner, LiveSetup.script(script));
        }
        try (Connection c = DriverManager.getConnection(url, LocalPostgres.USER, null)) {
            for (String table : TABLES) {
                load(c, table, out.resolve(table + ".jsonl"));
            }
            // An append table: its key is a digest the live sink computes, here the row's own text.
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO suspicious_events SELECT j -> 'event', j ->> 'rule', "
                            + "(j ->> 'blacklisted_from')::bigint, (j ->> 'blacklisted_until')::bigint, md5(j::text) "
                            + "FROM json_array_elements(?::json) j")) {
                ps.setString(
                        1, "[" + String.join(",", Files.readAllLines(out.resolve("suspicious_events.jsonl"))) + "]");
                ps.executeUpdate();
            }
            // The simulated campaigns, with their names, as the catalogue table holds them.
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO campaigns SELECT * FROM json_populate_recordset(NULL::campaigns, ?::json)")) {
                ps.setString(1, "[" + String.join(",", Files.readAllLines(events.resolve("campaigns.jsonl"))) + "]");
                ps.executeUpdate();
            }
        }
        LiveSetup.execute(
                owner,
                String.join(
                        "\n",
                        // The item catalogue: items whose id is a multiple of 5 have no record, categories
                        // 106 to 110 no category name (as the Taobao sample has none): they show their ids.
                        "INSERT INTO items VALUES (4242, 101, 'Aptamil Profutura 2 800g', 0, 'Infant formula / 婴儿奶粉', "
                                + "'Aptamil', 'DE', 26800);",
                        "INSERT INTO items (item_id, category_id, name, ts, category_name, brand, origin_country, price_cents)",
                        "  SELECT i.item_id, i.category_id, (ARRAY['Aptamil', 'Kao', 'Shiseido', 'Blackmores'])[(i.item_id % 5)::int]",
                        "         || ' ' || coalesce(n.product, 'goods') || ' No. ' || i.item_id % 1000, 0, n.name,",
                        "         (ARRAY['Aptamil', 'Kao', 'Shiseido', 'Blackmores'])[(i.item_id % 5)::int],",
                        "         (ARRAY['DE', 'JP', 'JP', 'AU'])[(i.item_id % 5)::int], 9900",
                        "  FROM (SELECT DISTINCT ON (item_id) item_id, category_id FROM (SELECT item_id, category_id FROM demand_trends",
                        "        UNION ALL SELECT item_id, category_id FROM sourcing_shortlist) u ORDER BY item_id) i",
                        "  LEFT JOIN (VALUES (101, 'Infant formula / 婴儿奶粉', 'formula'), (102, 'Diapers / 纸尿裤', 'diapers'),",
                        "        (103, 'Skin care / 护肤品', 'serum'), (104, 'Health supplements / 保健品', 'fish oil'),",
                        "        (105, 'Snacks', 'snack box')) n(category_id, name, product) ON n.category_id = i.category_id",
                        "  WHERE i.item_id % 5 <> 0",
                        "  ON CONFLICT DO NOTHING;",
                        // A campaign with a hold-out and numbers to check by eye, and one without a hold-out:
                        // the job writes A/B rows for it all the same (no control arm), its place is the DiD table.
                        "INSERT INTO campaigns VALUES ('c-1111', 'HOLIDAY_DISCOUNT', 0, 1, 0.1, NULL, NULL, 'Singles'' Day 11.11'),",
                        "  ('c-618', 'FLASH_SALE', 0, 1, 0.0, '{101}', NULL, '618 mid-year sale');",
                        "INSERT INTO campaign_uplift (campaign_id, metric, as_of, n_treatment, n_control, mean_treatment, mean_control,",
                        "  lift_abs, lift_rel, ci_low, ci_high, anytime_ci_low, anytime_ci_high, srm_p, incremental_revenue_cents)",
                        "  SELECT 'c-1111', 'conversion', max(as_of), 12345, 1372, 0.05, 0.032, 0.018, 0.5624, -0.0051, 0.0412,",
                        "    -0.0203, 0.0561, 0.5, 73792283 FROM campaign_uplift",
                        "  UNION ALL SELECT 'c-1111', 'revenue_per_user', max(as_of), 12345, 1372, 18007.4471, 12030, 5977.4471,",
                        "    0.49687, 1234.0, 10754.4, -830.0, 12890.6, 0.5, 73792283 FROM campaign_uplift",
                        "  UNION ALL SELECT 'c-618', 'conversion', max(as_of), 500, 0, 0.2, NULL, NULL, NULL, NULL, NULL, NULL, NULL,",
                        "    1.0, NULL FROM campaign_uplift;",
                        // Singles' Day's pre-period adjustment and Bayesian reading, and its returns guardrail: returns
                        // rose, and the CUPED interval (which speaks first) lies above 0.
                        "UPDATE campaign_uplift SET pre_mean_treatment = 0.031, pre_mean_control = 0.0305, cuped_theta = 0.5,",
                        "  cuped_lift_abs = 0.0175, cuped_ci_low = 0.0012, cuped_ci_high = 0.0338, variance_reduction = 0.34,",
                        "  chance_to_win = 0.9731, risk_control = 0.0213, risk_treatment = 0.00042",
                        "  WHERE campaign_id = 'c-1111' AND metric = 'conversion';",
                        "UPDATE campaign_uplift SET pre_mean_treatment = 9012.5, pre_mean_control = 8800.0, cuped_theta = 0.75,",
                        "  cuped_lift_abs = 5973.0, cuped_ci_low = 2345.6, cuped_ci_high = 9600.4, variance_reduction = 0.2149,",
                        "  chance_to_win = 0.99962, risk_control = 0.31, risk_treatment = 0.0000004",
                        "  WHERE campaign_id = 'c-1111' AND metric = 'revenue_per_user';",
                        "INSERT INTO campaign_uplift (campaign_id, metric, as_of, n_treatment, n_control, mean_treatment, mean_control,",
                        "  lift_abs, lift_rel, ci_low, ci_high, anytime_ci_low, anytime_ci_high, srm_p, incremental_revenue_cents,",
                        "  pre_mean_treatment, pre_mean_control, cuped_theta, cuped_lift_abs, cuped_ci_low, cuped_ci_high,",
                        "  variance_reduction, chance_to_win, risk_control, risk_treatment)",
                        "  SELECT 'c-1111', 'returns_per_user', max(as_of), 12345, 1372, 1523.0, 1105.0, 418.0, 0.37828, 130.0, 706.0,",
                        "    -120.0, 956.0, 0.5, 73792283, 800.0, 790.0, 0.5, 418.0, 301.0, 535.0, 0.58, 0.0004, 0.0002, 0.3791",
                        "  FROM campaign_uplift;",
                        // Returns up by the fixed interval but not by the CUPED one, which speaks first: no warning.
                        "INSERT INTO campaigns VALUES ('c-0520', 'SOCIAL', 0, 1, 0.1, NULL, NULL, '520 love day');",
                        "INSERT INTO campaign_uplift (campaign_id, metric, as_of, n_treatment, n_control, mean_treatment, mean_control,",
                        "  lift_abs, lift_rel, ci_low, ci_high, anytime_ci_low, anytime_ci_high, srm_p, incremental_revenue_cents,",
                        "  pre_mean_treatment, pre_mean_control, cuped_theta, cuped_lift_abs, cuped_ci_low, cuped_ci_high,",
                        "  variance_reduction, chance_to_win, risk_control, risk_treatment)",
                        "  SELECT 'c-0520', 'returns_per_user', max(as_of), 2000, 220, 900.0, 800.0, 100.0, 0.125, 12.5, 187.5,",
                        "    -60.0, 260.0, 0.5, 0, 500.0, 480.0, 0.5, 70.0, -10.0, 150.0, 0.25, 0.0412, 0.001, 0.1137",
                        "  FROM campaign_uplift;",
                        "INSERT INTO campaign_did (campaign_id, as_of, method, pre_slots, post_slots, treated_pre_cents,",
                        "  treated_post_cents, control_pre_cents, control_post_cents, lift_rel, ci_low, ci_high, incremental_gmv_cents)",
                        "  SELECT 'c-618', max(as_of), 'observational: difference-in-differences vs untreated categories', 1, 1, 1, 1,",
                        "    1, 1, 0.1234, -0.0213, 0.2667, 1234567 FROM campaign_did;",
                        "INSERT INTO order_timeouts VALUES ('late-fixture', 'p-fixture', " + (LATE_TIMEOUT - 900_000L)
                                + ", " + LATE_TIMEOUT + ", NULL);",
                        // Hostile text where the dashboard shows text: a campaign, a channel and a hot-items
                        // scope, none of them in the catalogue.
                        "INSERT INTO campaign_uplift (campaign_id, metric, as_of, n_treatment, n_control, lift_abs, ci_low, ci_high,",
                        "  anytime_ci_low, anytime_ci_high, srm_p, incremental_revenue_cents)",
                        "  SELECT '" + SCRIPT
                                + "', 'conversion', max(as_of), 100, 90, -0.01234, -0.05, 0.02, -0.09, 0.07, 0.0001, -1234",
                        "  FROM campaign_uplift;",
                        "INSERT INTO channel_attribution SELECT window_start, window_end, '" + IMG.replace("'", "''")
                                + "', 'none', 3, 1, 999, 1, 0",
                        "  FROM channel_attribution ORDER BY window_end DESC LIMIT 1;",
                        // The replay's newest window is its ragged tail, where nothing trends: mark its busiest items
                        // trending so the items table has real rows (and real histories) to check.
                        "UPDATE demand_trends SET trending = true WHERE (window_end, item_id) IN (SELECT window_end, item_id FROM demand_trends",
                        "  WHERE window_end = (SELECT max(window_end) FROM demand_trends) ORDER BY views DESC, item_id LIMIT 3);",
                        "INSERT INTO hot_items SELECT window_start, window_end, '" + SCRIPT
                                + "', 1, 4242, 7 FROM hot_items",
                        "  ORDER BY window_end DESC LIMIT 1;",
                        // Trend episodes around the newest evaluated window W: item 4242 new (started 10 min
                        // before W), item 999995 (no catalogue record, category 107 unnamed) ongoing for 95 min;
                        // both ended earlier, 4242 after 45 min, 4h15m before W, 999995 after exactly 2 h; an
                        // episode of 4242 that ended 6h05m before W is too old to show.
                        "INSERT INTO trend_alerts SELECT a.* FROM (SELECT max(window_end) AS w FROM category_trends) c,",
                        "  LATERAL (VALUES (4242::bigint, 101::bigint, w - 600000, NULL::bigint, w, 4.23, 6.1, 1234::bigint),",
                        "    (999995, 107, w - 5700000, NULL, w, 12.34, 9.9, 98765),",
                        "    (4242, 101, w - 18000000, w - 15300000, w - 15600000, 3.27, 5.0, 75),",
                        "    (999995, 107, w - 21000000, w - 13800000, w - 14100000, 2.61, 4.4, 300),",
                        "    (4242, 101, w - 24900000, w - 21900000, w - 22200000, 8.0, 8.0, 800)) a",
                        "  ON CONFLICT DO NOTHING;"));

        // Role names are cluster-wide and the test server may be reused: a name of this run only.
        String role = "dash_browser_" + ProcessHandle.current().pid() + "_" + Long.toHexString(System.nanoTime());
        String password = Long.toHexString(Double.doubleToLongBits(Math.random()));
        LiveSetup.execute(owner, "CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "' IN ROLE pulse_dashboard");
        server = DashboardServer.start(url, role, password, InetAddress.getLoopbackAddress(), 0, ShopClock.wall(SHOP));
        base = "http://localhost:" + server.port();
        // What the demo starts: event time simulated, measured against the newest event streamed.
        simulated = DashboardServer.start(
                url,
                role,
                password,
                InetAddress.getLoopbackAddress(),
                0,
                ShopClock.simulated(SHOP, STREAM_NEWEST::get));
        simulatedBase = "http://localhost:" + simulated.port();
        driver = chromium();
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
        if (simulated != null) {
            simulated.close();
        }
    }

    /** The replay's rows of {@code table}, newest version per key (the file may hold re-fired rows; the last one wins). */
    private static void load(Connection c, String table, Path file) throws Exception {
        List<String> lines = new ArrayList<>(
                Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList());
        Collections.reverse(lines);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
                + " SELECT * FROM json_populate_recordset(NULL::" + table + ", ?::json) ON CONFLICT DO NOTHING")) {
            ps.setString(1, "[" + String.join(",", lines) + "]");
            ps.executeUpdate();
        }
    }

    private static WebDriver chromium() throws Exception {
        // Selenium Manager would download a driver when it cannot find one: name it explicitly.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1400,1000",
                "--user-data-dir=" + Files.createTempDirectory(tmp, "chromium-profile"));
        return new ChromeDriver(service, options);
    }

    // ---- pages ----

    @Test
    void hotItemsShowNamesWithIdsAndRankMoves() throws Exception {
        open("/hot", "hot");
        List<String> expected = values(
                        "SELECT rank, item_name, item_id, views, CASE WHEN previous_rank IS NULL THEN 'new' "
                                + "WHEN previous_rank > rank THEN 'up' WHEN previous_rank < rank THEN 'down' ELSE 'same' END "
                                + "FROM v_hot_items_current WHERE scope = 'all' ORDER BY rank")
                .stream()
                .map(r -> r.get(0) + "|" + named(r.get(1), r.get(2)) + "|" + count(r.get(3)) + "|" + r.get(4))
                .toList();
        assertThat(expected).isNotEmpty();
        List<String> shown = shown(
                "section[data-scope='all'] tbody tr",
                "[data-col='rank']",
                "[data-col='item']",
                "[data-col='views']",
                "[data-move]@data-move");
        assertThat(shown).isEqualTo(expected);
        // Items with a catalogue name, and items without one, shown by their id.
        List<String> everyItem = shown("section[data-scope] tbody tr", "[data-col='item']");
        assertThat(everyItem)
                .anyMatch(r -> r.matches("[A-Za-z]+ [a-z ]+ No\\. \\d+ \\d+"))
                .anyMatch(r -> r.matches("\\d+"));
        assertThat(sectionTitles()).isEqualTo(expectedSectionTitles("en"));
        assertThat(sectionTitles())
                .contains(
                        "all|All categories",
                        "101|Infant formula 101",
                        "105|Snacks 105",
                        "107|Category 107",
                        SCRIPT + "|Category " + SCRIPT);
        assertThat(shown("section[data-scope='" + SCRIPT.replace("'", "\\'") + "'] tbody tr", "[data-col='item']"))
                .containsExactly("Aptamil Profutura 2 800g 4242");
        assertShownAsText(driver.findElement(By.cssSelector("main")).getText(), SCRIPT);
        screenshot("hot");
    }

    @Test
    void trendingShowsNamedItemsAndCategoriesWithSparklines() throws Exception {
        open("/trending", "trending");
        List<String> items = values("SELECT item_name, item_id, category_name, category_id, views FROM v_trending_now "
                        + "ORDER BY z DESC NULLS LAST, ratio DESC NULLS LAST, item_id LIMIT 50")
                .stream()
                .map(r ->
                        named(r.get(0), r.get(1)) + "|" + named(part(r.get(2), "en"), r.get(3)) + "|" + count(r.get(4)))
                .toList();
        List<String> categories = categoryRows("en");
        assertThat(items).hasSize(3);
        assertThat(categories).isNotEmpty();
        assertThat(tableRows("trending-items", "item", "category", "views")).isEqualTo(items);
        assertThat(tableRows("trending-categories", "category", "views", "active_items"))
                .isEqualTo(categories)
                .anyMatch(r -> r.startsWith("Infant formula 101|"))
                .anyMatch(r -> r.matches("1(0[6-9]|10)\\|.*"));
        // The sparklines are Chart.js charts, so the library loaded from this server (the page allows no other origin).
        Object charted = js(
                "return Array.from(document.querySelectorAll('canvas.spark')).filter(c => Chart.getChart(c)).length");
        assertThat(((Number) charted).intValue()).isEqualTo(items.size() + categories.size());
        screenshot("trending");
    }

    @Test
    void trendingListsNewAndOngoingAlertsAndGreysTheRecentlyEnded() throws Exception {
        open("/trending", "trending");
        long w = newestWindow();
        assertThat(driver.findElement(By.cssSelector("section.alerts h3")).getText())
                .isEqualTo("Alerts");
        assertThat(driver.findElement(By.cssSelector("section.alerts h4")).getText())
                .isEqualTo("Recently ended (last 6 h)");
        // The replay ends every episode at the end of its input: the open ones are the two planted here.
        assertThat(shownAlerts())
                .isEqualTo(expectedAlerts("en"))
                .containsExactly(
                        "new|new|Aptamil Profutura 2 800g 4242|Infant formula 101|" + shopTime(w - 600_000)
                                + "|10 min|4.2×|1,234",
                        "ongoing|ongoing|999995|107|" + shopTime(w - 5_700_000) + "|1 h 35 min|12.3×|98,765");
        assertThat(shownEndedAlerts())
                .isEqualTo(expectedEndedAlerts("en"))
                .contains(
                        "Aptamil Profutura 2 800g 4242|Infant formula 101|" + shopTime(w - 18_000_000) + "|"
                                + shopTime(w - 15_300_000) + "|45 min|3.3×|75",
                        "999995|107|" + shopTime(w - 21_000_000) + "|" + shopTime(w - 13_800_000) + "|2 h|2.6×|300")
                .noneMatch(r -> r.contains(shopTime(w - 24_900_000)));
        // Ended episodes are greyed, open ones in the page's text colour.
        assertThat(js("return getComputedStyle(document.querySelector('#trend-alerts-ended tbody td')).color"))
                .isEqualTo("rgb(136, 136, 136)");
        assertThat(js("return getComputedStyle(document.querySelector('#trend-alerts tbody td')).color"))
                .isEqualTo("rgb(34, 34, 34)");
        screenshot("trending-alerts");
    }

    @Test
    void campaignsShowNamesMoneyInYuanLiftsInPointsAndNoEmptyABRows() throws Exception {
        open("/campaigns", "campaigns");
        List<List<Object>> board =
                values("SELECT campaign_name, campaign_id, campaign_kind, metric, n_treatment, n_control, "
                        + "mean_control, mean_treatment, lift_abs, lift_rel, ci_low, ci_high, anytime_ci_low, anytime_ci_high, "
                        + "srm_warning, incremental_revenue_cents FROM v_campaign_scoreboard " + A_B_ROWS
                        + SCOREBOARD_ORDER);
        assertThat(board).hasSizeGreaterThan(4);
        List<String> expected = board.stream()
                .map(r -> {
                    boolean rate = "conversion".equals(r.get(3));
                    return named(r.get(0), r.get(1)) + "|" + kind(r.get(2), "en") + "|" + metric(r.get(3)) + "|"
                            + count(r.get(4)) + " / " + count(r.get(5)) + "|" + level(rate, r.get(6)) + " → "
                            + level(rate, r.get(7)) + "|" + change(rate, r.get(8)) + "|" + relPct(r.get(9)) + "|"
                            + change(rate, r.get(10)) + " … " + change(rate, r.get(11)) + "|" + change(rate, r.get(12))
                            + " … " + change(rate, r.get(13)) + "|"
                            + (Boolean.TRUE.equals(r.get(14)) ? "warning" : "ok")
                            + "|" + yuan(r.get(15), true, true);
                })
                .toList();
        List<String> shown = shown(
                "#scoreboard tbody tr",
                "[data-col='campaign']",
                "[data-col='kind']",
                "[data-col='metric'] .metric-name",
                "[data-col='n']",
                "[data-col='means']",
                "[data-col='lift_abs']",
                "[data-col='lift_rel']",
                "[data-col='ci']",
                "[data-col='anytime_ci']",
                "[data-srm]@data-srm",
                "[data-col='incremental_revenue']");
        assertThat(shown).isEqualTo(expected);
        assertThat(shown)
                .contains(
                        "Singles' Day 11.11 c-1111|Holiday discount|Conversion|12,345 / 1,372|3.2% → 5.0%|+1.8 pp|+56.2%"
                                + "|-0.5 pp … +4.1 pp|-2.0 pp … +5.6 pp|ok|+¥737,923",
                        "Singles' Day 11.11 c-1111|Holiday discount|Revenue per user|12,345 / 1,372|¥120.30 → ¥180.07"
                                + "|+¥59.77|+49.7%|+¥12.34 … +¥107.54|-¥8.30 … +¥128.91|ok|+¥737,923",
                        SCRIPT
                                + "|–|Conversion|100 / 90|– → –|-1.2 pp|–|-5.0 pp … +2.0 pp|-9.0 pp … +7.0 pp|warning|-¥12");
        // A campaign without a hold-out has A/B rows in the table, but no A/B row on the page.
        assertThat(rows("SELECT count(*) FROM v_campaign_scoreboard WHERE campaign_id = 'c-618'"))
                .containsExactly("1");
        assertThat(shown).noneMatch(r -> r.contains("c-618") || r.contains("|0 / 0|"));
        assertThat(driver.findElements(By.cssSelector("#scoreboard svg.ci-bar rect.fixed")))
                .hasSizeGreaterThanOrEqualTo(1);

        List<String> did = values("SELECT campaign_name, campaign_id, campaign_kind, lift_rel, ci_low, ci_high, "
                        + "incremental_gmv_cents FROM v_campaign_did ORDER BY campaign_id")
                .stream()
                .map(r -> named(r.get(0), r.get(1)) + "|" + kind(r.get(2), "en") + "|" + relPct(r.get(3)) + "|"
                        + relPct(r.get(4)) + " … " + relPct(r.get(5)) + "|" + yuan(r.get(6), true, true))
                .toList();
        assertThat(tableRows("did", "campaign", "kind", "lift_rel", "ci", "incremental_gmv"))
                .isEqualTo(did)
                .contains("618 mid-year sale c-618|Flash sale|+12.3%|-2.1% … +26.7%|+¥12,346");

        List<String> channels = values("SELECT channel, campaign_name, campaign_id, sessions, orders, gmv_cents "
                        + "FROM v_channel_attribution ORDER BY gmv_cents DESC, channel, campaign_id")
                .stream()
                .map(r -> r.get(0) + "|" + ("".equals(r.get(2)) ? "No campaign" : named(r.get(1), r.get(2))) + "|"
                        + count(r.get(3)) + "|" + count(r.get(4)) + "|" + yuan(r.get(5), true, false))
                .toList();
        assertThat(tableRows("channels", "channel", "campaign", "sessions", "orders", "gmv"))
                .isEqualTo(channels)
                .contains(IMG + "|none|3|1|¥10");
        assertShownAsText(driver.findElement(By.id("channels")).getText(), IMG);
        assertShownAsText(driver.findElement(By.id("scoreboard")).getText(), SCRIPT);
        screenshot("campaigns");
    }

    @Test
    void campaignsShowCupedChanceToWinRiskAndTheReturnsGuardrail() throws Exception {
        open("/campaigns", "campaigns");
        assertThat(shownExperiment()).isEqualTo(expectedExperiment("en"));
        assertThat(shownExperiment())
                .contains(
                        "Singles' Day 11.11 c-1111|Conversion|<missing [data-guardrail]>|+0.1 pp … +3.4 pp-34% variance"
                                + "|97.3%|roll out 0.04%|stop 2.13%",
                        "Singles' Day 11.11 c-1111|Revenue per user|<missing [data-guardrail]>"
                                + "|+¥23.46 … +¥96.00-21% variance|>99.9%|roll out <0.01%|stop 31.00%",
                        "Singles' Day 11.11 c-1111|Returns per user|warning|+¥3.01 … +¥5.35-58% variance|<0.1%"
                                + "|roll out 37.91%|stop 0.02%",
                        SCRIPT + "|Conversion|<missing [data-guardrail]>|–|–|roll out –|stop –",
                        "520 love day c-0520|Returns per user|<missing [data-guardrail]>|-¥0.10 … +¥1.50-25% variance"
                                + "|4.1%|roll out 11.37%|stop 0.10%");
        // The guardrail row: money in yuan, after the campaign's goal metrics.
        assertThat(tableRows("scoreboard", "campaign", "means", "lift_abs", "lift_rel", "ci", "anytime_ci"))
                .containsSubsequence(
                        "Singles' Day 11.11 c-1111|3.2% → 5.0%|+1.8 pp|+56.2%|-0.5 pp … +4.1 pp|-2.0 pp … +5.6 pp",
                        "Singles' Day 11.11 c-1111|¥120.30 → ¥180.07|+¥59.77|+49.7%|+¥12.34 … +¥107.54|-¥8.30 … +¥128.91",
                        "Singles' Day 11.11 c-1111|¥11.05 → ¥15.23|+¥4.18|+37.8%|+¥1.30 … +¥7.06|-¥1.20 … +¥9.56");
        // The warning: a badge on the row and the sentence above the table, for every campaign whose returns rose.
        List<String> warned = values("SELECT campaign_name, campaign_id FROM v_campaign_scoreboard " + A_B_ROWS
                        + " AND guardrail_warning ORDER BY campaign_id")
                .stream()
                .map(r -> "⚠ " + named(r.get(0), r.get(1)) + ": Returns up beyond noise — a discount that "
                        + "sells more but brings returns back is not a win")
                .toList();
        assertThat(shown("#guardrail-warnings p", "p"))
                .isEqualTo(warned)
                .contains("⚠ Singles' Day 11.11 c-1111: Returns up beyond noise — a discount that sells more but "
                        + "brings returns back is not a win");
        WebElement badge =
                driver.findElement(By.cssSelector("tr[data-key='c-1111|returns_per_user'] [data-guardrail]"));
        assertThat(badge.getText()).isEqualTo("⚠ Returns up beyond noise");
        assertThat(badge.getDomAttribute("title"))
                .isEqualTo("Returns up beyond noise — a discount that sells more but brings returns back is not a win");
        assertThat(js("return getComputedStyle(arguments[0]).backgroundColor", badge))
                .isEqualTo("rgb(192, 57, 43)");
        assertThat(driver.findElement(By.cssSelector("tr[data-key='c-1111|returns_per_user'] .guardrail"))
                        .getText())
                .isEqualTo("guardrail: lower is better");
        // Tooltips: what chance to win means for returns, risk per user in yuan, the pre-period means, why a value is
        // missing.
        assertThat(title("c-1111|returns_per_user", "[data-col='chance_to_win'] .chance"))
                .isEqualTo("Probability that the treatment brings fewer returns per user than the control");
        assertThat(title("c-1111|conversion", "[data-col='chance_to_win'] .chance"))
                .isEqualTo("Probability that the treatment is better than the control");
        assertThat(title("c-1111|returns_per_user", "[data-risk='treatment'] .value"))
                .isEqualTo(
                        "Expected loss if you roll the campaign out to everyone and it is in fact worse: ¥4.19 per user");
        assertThat(title("c-1111|conversion", "[data-risk='control'] .value"))
                .isEqualTo("Expected loss if you stop the campaign and it was in fact better: 0.07 pp per user");
        assertThat(title("c-1111|revenue_per_user", "[data-col='cuped_ci'] .cuped"))
                .endsWith("Before exposure: control ¥88.00, treatment ¥90.13.");
        assertThat(title(SCRIPT + "|conversion", "[data-col='chance_to_win'] [data-why]"))
                .isEqualTo(
                        "Not enough data yet: one group has no variation in this metric (e.g. no orders or no returns yet)");
        assertThat(title(SCRIPT + "|conversion", "[data-col='cuped_ci'] [data-why]"))
                .isEqualTo("No pre-period adjustment for this row: it was written by an earlier version of the jobs");
        // Every missing value says why.
        assertThat(js("return Array.from(document.querySelectorAll('#scoreboard td .na'))"
                        + ".filter(e => !e.getAttribute('title')).length"))
                .isEqualTo(0L);
        // The CUPED interval is drawn in the CI bar too.
        assertThat(driver.findElements(By.cssSelector("tr[data-key='c-1111|returns_per_user'] svg.ci-bar rect.cuped")))
                .hasSize(1);
        assertNothingRan();
        screenshot("campaigns-experiment");
    }

    @Test
    void sourcingShowsNamesBrandAndOriginRefreshesByItselfAndExportsCsvWithNames() throws Exception {
        open("/sourcing", "sourcing");
        assertThat(expectedShortlist("en")).isNotEmpty();
        assertThat(shownShortlist()).isEqualTo(expectedShortlist("en"));
        Number scripts = (Number) js("return document.querySelectorAll('script').length");

        // A new row in the newest shortlist appears without reloading the page: the 2 s refresh.
        List<String> reasons = List.of(SCRIPT, IMG, "say \"hi\", twice", "=HYPERLINK(\"http://evil\")");
        try (Connection c = DriverManager.getConnection(url, LocalPostgres.USER, null);
                PreparedStatement ps =
                        c.prepareStatement("INSERT INTO sourcing_shortlist SELECT max(as_of), 999999, 1, 4242, "
                                + "0.5, 1.5, 0.1, 4.0, 0.0, 0.0, 1077, ? FROM sourcing_shortlist")) {
            ps.setArray(1, c.createArrayOf("text", reasons.toArray()));
            ps.executeUpdate();
        }
        new WebDriverWait(driver, Duration.ofSeconds(20))
                .until(d -> !d.findElements(By.cssSelector("tr[data-key='999999|1']"))
                        .isEmpty());
        assertThat(js(
                        "return Array.from(document.querySelectorAll(\"tr[data-key='999999|1'] [data-col='reasons'] li\"))"
                                + ".map(li => li.textContent)"))
                .isEqualTo(reasons);
        assertThat(shownShortlist()).isEqualTo(expectedShortlist("en"));
        assertThat(shown(
                        "tr[data-key='999999|1']",
                        "[data-col='category']",
                        "[data-col='item']",
                        "[data-col='brand']",
                        "[data-col='origin']",
                        "[data-col='order_units']"))
                .containsExactly("999999|Aptamil Profutura 2 800g 4242|Aptamil|DE|1,077");
        assertThat(shownShortlist()).anyMatch(r -> r.matches("(?s)[^|]+\\|\\d+\\|\\d+\\|–\\|–\\|.*"));
        assertThat(((Number) js("return document.querySelectorAll('script').length")).intValue())
                .isEqualTo(scripts.intValue());
        assertNothingRan();
        assertThat(driver.findElement(By.id("export")).getDomAttribute("href")).isEqualTo("/export/sourcing.csv");
        screenshot("sourcing");

        HttpResponse<String> csv = get(base + "/export/sourcing.csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValue("text/csv; charset=utf-8");
        List<List<String>> parsed = parseCsv(csv.body());
        List<List<String>> fromDb = csvFromDb("en");
        // The one difference a spreadsheet needs: text that starts like a formula is marked as text.
        String injected = String.join("; ", reasons);
        assertThat(parsed).hasSize(fromDb.size());
        for (int i = 0; i < parsed.size(); i++) {
            List<String> want = new ArrayList<>(fromDb.get(i));
            if (want.get(15).startsWith("=")) {
                want.set(15, "'" + want.get(15));
            }
            assertThat(parsed.get(i)).as("CSV row %d", i).isEqualTo(want);
        }
        assertThat(parsed).anyMatch(r -> r.get(15).equals(injected));
        assertThat(parsed)
                .anyMatch(r -> r.subList(1, 8)
                        .equals(List.of("999999", "", "1", "4242", "Aptamil Profutura 2 800g", "Aptamil", "DE")))
                .anyMatch(r -> r.get(1).equals("101") && r.get(2).equals("Infant formula"));

        // The Chinese page's export: category names in Chinese.
        List<List<String>> zh =
                parseCsv(get(base + "/export/sourcing.csv?lang=zh").body());
        assertThat(zh.stream().map(r -> r.get(2)).toList())
                .isEqualTo(csvFromDb("zh").stream().map(r -> r.get(2)).toList())
                .contains("婴儿奶粉", "Snacks", "");
    }

    @Test
    void trafficShowsTimesInShopTimeAndNamedFunnelCategories() throws Exception {
        open("/traffic", "traffic");
        List<String> now = values("SELECT dimension, value, pv, uv FROM v_traffic_now "
                        + "ORDER BY dimension <> 'all', dimension, pv DESC, value")
                .stream()
                .map(r -> r.get(0) + "|" + r.get(1) + "|" + count(r.get(2)) + "|" + count(r.get(3)))
                .toList();
        assertThat(now).isNotEmpty().first().asString().startsWith("all|all|");
        assertThat(tableRows("traffic-now", "dimension", "value", "pv", "uv")).isEqualTo(now);
        int hours = Integer.parseInt(rows("SELECT count(*) FROM v_traffic_hourly WHERE dimension = 'all'")
                .get(0));
        assertThat(hours).isGreaterThan(20);
        assertThat(((Number) js("const c = Chart.getChart(document.getElementById('traffic-chart'));"
                                + "return c ? c.data.datasets[1].data.length : -1"))
                        .intValue())
                .isEqualTo(hours);
        assertThat(js("return Chart.getChart(document.getElementById('traffic-chart')).data.labels[0]"))
                .isEqualTo(shopTime(
                        Long.parseLong(rows("SELECT min(window_start) FROM v_traffic_hourly WHERE dimension = 'all'")
                                .get(0))));
        List<List<Object>> funnel = values(
                "SELECT category_name, category_id, viewers, payers, view_to_cart FROM v_funnel_hourly "
                        + "WHERE window_start = (SELECT max(window_start) FROM v_funnel_hourly) ORDER BY viewers DESC, category_id");
        assertThat(funnel).isNotEmpty();
        assertThat(tableRows("funnel", "category", "viewers", "payers", "view_to_cart"))
                .isEqualTo(funnel.stream()
                        .map(r -> named(part(r.get(0), "en"), r.get(1)) + "|" + count(r.get(2)) + "|" + count(r.get(3))
                                + "|" + pct(r.get(4)))
                        .toList())
                .anyMatch(r -> r.matches("[A-Za-z ]+ 10[1-5]\\|.*"));
        List<String> unpaid = values("SELECT hour_start, timed_out, paid_late FROM v_unpaid_orders_hourly "
                        + "ORDER BY hour_start DESC LIMIT 24")
                .stream()
                .map(r -> shopTime(((Number) r.get(0)).longValue()) + "|" + count(r.get(1)) + "|" + count(r.get(2)))
                .toList();
        // 16:00 UTC is midnight of the next day in the shop.
        assertThat(tableRows("unpaid", "hour", "timed_out", "paid_late"))
                .isEqualTo(unpaid)
                .first()
                .isEqualTo("2026-11-04 00:00|1|0");
        List<String> bots = values(
                        "SELECT hour_start, rule, clicks, users FROM v_bot_activity_hourly ORDER BY hour_start DESC, rule LIMIT 48")
                .stream()
                .map(r -> shopTime(((Number) r.get(0)).longValue()) + "|" + r.get(1) + "|" + count(r.get(2)) + "|"
                        + count(r.get(3)))
                .toList();
        assertThat(bots).isNotEmpty();
        assertThat(tableRows("bots", "hour", "rule", "clicks", "users")).isEqualTo(bots);
        screenshot("traffic");
    }

    @Test
    void chineseLabelsAndCategoryNamesWithLangZh() throws Exception {
        for (String page : Pages.PAGES) {
            open("/" + page + "?lang=zh", page);
            assertThat(driver.findElement(By.cssSelector("html")).getDomAttribute("lang"))
                    .isEqualTo("zh-CN");
            assertThat(driver.findElement(By.cssSelector("main h2")).getText())
                    .isEqualTo(Pages.labels("zh").get("page." + page));
        }
        assertThat(driver.findElements(By.cssSelector("th")).stream().map(WebElement::getText))
                .contains("排名", "品牌", "原产地", "建议采购量", "理由");
        assertThat(driver.findElement(By.id("export")).getText()).isEqualTo("导出 CSV");
        assertThat(driver.findElement(By.id("export")).getDomAttribute("href"))
                .isEqualTo("/export/sourcing.csv?lang=zh");
        assertThat(shownShortlist()).isEqualTo(expectedShortlist("zh")).anyMatch(r -> r.startsWith("婴儿奶粉 101|"));
        screenshot("sourcing-zh");

        open("/hot?lang=zh", "hot");
        assertThat(sectionTitles()).isEqualTo(expectedSectionTitles("zh"));
        assertThat(sectionTitles()).contains("all|全部品类", "101|婴儿奶粉 101", "102|纸尿裤 102", "105|Snacks 105", "107|品类 107");
        open("/trending?lang=zh", "trending");
        assertThat(tableRows("trending-categories", "category", "views", "active_items"))
                .isEqualTo(categoryRows("zh"))
                .anyMatch(r -> r.startsWith("婴儿奶粉 101|"));
        long w = newestWindow();
        assertThat(driver.findElement(By.cssSelector("section.alerts h3")).getText())
                .isEqualTo("趋势预警");
        assertThat(driver.findElement(By.cssSelector("section.alerts h4")).getText())
                .isEqualTo("近期结束（近 6 小时）");
        assertThat(driver.findElements(By.cssSelector("#trend-alerts th")).stream()
                        .map(WebElement::getText))
                .containsExactly("状态", "商品", "品类", "开始", "持续时间", "峰值倍数", "峰值浏览");
        assertThat(driver.findElements(By.cssSelector("#trend-alerts-ended th")).stream()
                        .map(WebElement::getText))
                .containsExactly("商品", "品类", "开始", "结束", "持续时间", "峰值倍数", "峰值浏览");
        assertThat(shownAlerts())
                .isEqualTo(expectedAlerts("zh"))
                .containsExactly(
                        "new|新|Aptamil Profutura 2 800g 4242|婴儿奶粉 101|" + shopTime(w - 600_000) + "|10 分钟|4.2×|1,234",
                        "ongoing|持续中|999995|107|" + shopTime(w - 5_700_000) + "|1 小时 35 分钟|12.3×|98,765");
        assertThat(shownEndedAlerts())
                .isEqualTo(expectedEndedAlerts("zh"))
                .contains(
                        "Aptamil Profutura 2 800g 4242|婴儿奶粉 101|" + shopTime(w - 18_000_000) + "|"
                                + shopTime(w - 15_300_000) + "|45 分钟|3.3×|75",
                        "999995|107|" + shopTime(w - 21_000_000) + "|" + shopTime(w - 13_800_000) + "|2 小时|2.6×|300");
        screenshot("trending-zh");
        open("/campaigns?lang=zh", "campaigns");
        assertThat(shown(
                        "#scoreboard tbody tr",
                        "[data-col='campaign']",
                        "[data-col='kind']",
                        "[data-col='metric'] .metric-name",
                        "[data-col='lift_abs']"))
                .contains(
                        "Singles' Day 11.11 c-1111|节日折扣|转化率|+1.8 pp",
                        "Singles' Day 11.11 c-1111|节日折扣|人均收入|+¥59.77",
                        "Singles' Day 11.11 c-1111|节日折扣|人均退货额|+¥4.18");
        assertThat(shownExperiment()).isEqualTo(expectedExperiment("zh"));
        assertThat(shownExperiment())
                .contains(
                        "Singles' Day 11.11 c-1111|转化率|<missing [data-guardrail]>|+0.1 pp … +3.4 pp方差 -34%"
                                + "|97.3%|全量上线 0.04%|停止活动 2.13%",
                        "Singles' Day 11.11 c-1111|人均退货额|warning|+¥3.01 … +¥5.35方差 -58%|<0.1%"
                                + "|全量上线 37.91%|停止活动 0.02%");
        assertThat(driver.findElements(By.cssSelector("#scoreboard th")).stream()
                        .map(WebElement::getText))
                .contains("95% 置信区间（按活动前行为调整，CUPED）", "胜出概率", "风险（占对照组均值）");
        assertThat(driver.findElement(By.cssSelector("tr[data-key='c-1111|returns_per_user'] [data-guardrail]"))
                        .getText())
                .isEqualTo("⚠ 退货增加超出随机波动");
        assertThat(shown("#guardrail-warnings p", "p"))
                .contains("⚠ Singles' Day 11.11 c-1111: 退货增加超出随机波动——卖得更多却带回退货的折扣不算成功");
        assertThat(title(SCRIPT + "|conversion", "[data-col='chance_to_win'] [data-why]"))
                .isEqualTo("数据尚不足：某一组在该指标上尚无差异（如尚无订单或退货）");
        assertThat(tableRows("did", "campaign", "kind")).contains("618 mid-year sale c-618|限时抢购");
        screenshot("campaigns-zh");

        open("/hot", "hot");
        assertThat(driver.findElement(By.cssSelector("main h2")).getText()).isEqualTo("Hot items");
    }

    @Test
    void theDemoWordsSimulatedShopTimeAndHowFarTheTablesAreBehindTheStream() throws Exception {
        long newest = newest();
        STREAM_NEWEST.set(Long.MIN_VALUE);
        openAt(simulatedBase, "/trending", "trending");
        assertThat(driver.findElement(By.id("timezone")).getText())
                .isEqualTo("Times in simulated shop time, UTC+08:00");
        String tables = "Simulated shop time: tables at " + shopTime(newest) + " (UTC+08:00)";
        assertThat(driver.findElement(By.id("freshness")).getText()).isEqualTo(tables);

        STREAM_NEWEST.set(newest + Duration.ofMinutes(37).toMillis());
        waitForFreshness(tables + ", 37 min behind the stream");
        screenshot("trending-simulated");

        STREAM_NEWEST.set(newest + Duration.ofHours(3).toMillis());
        openAt(simulatedBase, "/campaigns?lang=zh", "campaigns");
        assertThat(driver.findElement(By.id("timezone")).getText()).isEqualTo("时间均为模拟店铺时间（UTC+08:00）");
        waitForFreshness("模拟店铺时间：数据表已到 " + shopTime(newest) + " (UTC+08:00)，落后数据流 3 小时");

        // The JSON carries the stream clock, never an age against the wall clock.
        JsonNode f = new ObjectMapper()
                .readTree(get(simulatedBase + "/api/hot").body())
                .get("freshness");
        assertThat(f.get("simulated").asBoolean()).isTrue();
        assertThat(f.get("newest").asLong()).isEqualTo(newest);
        assertThat(f.get("stream_newest").asLong()).isEqualTo(newest + 10_800_000L);
        assertThat(f.get("behind_seconds").asLong()).isEqualTo(10_800L);
        assertThat(f.has("age_seconds")).isFalse();
    }

    @Test
    void refusesALoginThatCanTouchTheTables() {
        assertThatThrownBy(() -> DashboardServer.start(
                        url, LocalPostgres.USER, null, InetAddress.getLoopbackAddress(), 0, ShopClock.wall(SHOP)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(LocalPostgres.USER + " is not a read-only dashboard login");
    }

    // ---- helpers ----

    /**
     * Loads {@code path}, waits until the page's script rendered data, checks the shop-time label and
     * the freshness line: the newest event time in UTC+08:00 and its age against the wall clock.
     */
    private static void open(String path, String page) throws Exception {
        openAt(base, path, page);
        boolean zh = path.contains("lang=zh");
        assertThat(driver.findElement(By.id("timezone")).getText())
                .isEqualTo(zh ? "时间均为店铺时间（UTC+08:00）" : "Times in shop time, UTC+08:00");
        String newest = shopTime(newest()) + " (UTC+08:00)";
        String freshness = driver.findElement(By.id("freshness")).getText();
        if (zh) {
            assertThat(freshness).startsWith("最新数据：" + newest + "，").matches("最新数据：.*，\\d+ (分钟|小时|天)前");
        } else {
            assertThat(freshness)
                    .as("freshness on %s", path)
                    .startsWith("Newest data: " + newest + ", ")
                    .matches("Newest data: .*, \\d+ (min|h|days) old");
        }
    }

    private static void openAt(String at, String path, String page) {
        driver.get(at + path);
        new WebDriverWait(driver, Duration.ofSeconds(30))
                .until(d -> d.findElement(By.tagName("body")).getDomAttribute("data-rendered") != null);
        assertThat(driver.findElement(By.tagName("body")).getDomAttribute("data-page"))
                .isEqualTo(page);
        assertNothingRan();
    }

    private static void waitForFreshness(String text) {
        new WebDriverWait(driver, Duration.ofSeconds(20))
                .until(d -> d.findElement(By.id("freshness")).getText().equals(text));
    }

    private static long newest() throws Exception {
        return Long.parseLong(rows("SELECT max(newest) FROM v_freshness").get(0));
    }

    private static void assertShownAsText(String shown, String hostile) {
        assertThat(shown).contains(hostile);
        assertNothingRan();
    }

    /** No alert open and the hostile snippets' global flag never set. */
    private static void assertNothingRan() {
        assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        assertThat(js("return typeof window.__xss")).isEqualTo("undefined");
    }

    /** The hot-items sections in page order, each as scope|title. */
    private static List<String> sectionTitles() {
        return shown("section[data-scope]", "section@data-scope", "h3");
    }

    private static List<String> expectedSectionTitles(String lang) throws Exception {
        String category = "zh".equals(lang) ? "品类" : "Category";
        return values("SELECT scope, scope_name FROM (SELECT DISTINCT scope, scope_name FROM v_hot_items_current) s "
                        + "ORDER BY scope = 'all' DESC, scope")
                .stream()
                .map(r -> r.get(0) + "|"
                        + ("all".equals(r.get(0))
                                ? ("zh".equals(lang) ? "全部品类" : "All categories")
                                : r.get(1) == null ? category + " " + r.get(0) : named(part(r.get(1), lang), r.get(0))))
                .toList();
    }

    private static List<String> categoryRows(String lang) throws Exception {
        return values("SELECT category_name, category_id, views, active_items FROM v_category_trends_now "
                        + "ORDER BY ratio DESC NULLS LAST, views DESC, category_id")
                .stream()
                .map(r -> named(part(r.get(0), lang), r.get(1)) + "|" + count(r.get(2)) + "|" + count(r.get(3)))
                .toList();
    }

    /** The newest evaluated window: what the alerts' ages are measured against. */
    private static long newestWindow() throws Exception {
        return Long.parseLong(
                rows("SELECT max(window_end) FROM category_trends").get(0));
    }

    /** The open alerts on the page: status (attribute, then text), item, category, start, duration, peaks. */
    private static List<String> shownAlerts() {
        return shown(
                "#trend-alerts tbody tr",
                "[data-status]@data-status",
                "[data-col='status']",
                "[data-col='item']",
                "[data-col='category']",
                "[data-col='started']",
                "[data-col='duration']",
                "[data-col='peak_ratio']",
                "[data-col='peak_views']");
    }

    private static List<String> expectedAlerts(String lang) throws Exception {
        return values("SELECT status, item_name, item_id, category_name, category_id, started_at, duration_ms, "
                        + "peak_ratio, peak_views FROM v_trend_alerts WHERE status <> 'ended' "
                        + "ORDER BY started_at DESC, peak_z DESC NULLS LAST, item_id LIMIT 50")
                .stream()
                .map(r -> r.get(0) + "|" + ("zh".equals(lang) ? ("new".equals(r.get(0)) ? "新" : "持续中") : r.get(0))
                        + "|" + named(r.get(1), r.get(2)) + "|" + named(part(r.get(3), lang), r.get(4)) + "|"
                        + shopTime(((Number) r.get(5)).longValue()) + "|" + duration(r.get(6), lang) + "|"
                        + times(r.get(7)) + "|" + count(r.get(8)))
                .toList();
    }

    private static List<String> shownEndedAlerts() {
        return tableRows(
                "trend-alerts-ended", "item", "category", "started", "ended", "duration", "peak_ratio", "peak_views");
    }

    private static List<String> expectedEndedAlerts(String lang) throws Exception {
        return values("SELECT item_name, item_id, category_name, category_id, started_at, ended_at, duration_ms, "
                        + "peak_ratio, peak_views FROM v_trend_alerts WHERE status = 'ended' "
                        + "ORDER BY ended_at DESC, started_at DESC, item_id LIMIT 50")
                .stream()
                .map(r -> named(r.get(0), r.get(1)) + "|" + named(part(r.get(2), lang), r.get(3)) + "|"
                        + shopTime(((Number) r.get(4)).longValue()) + "|"
                        + shopTime(((Number) r.get(5)).longValue()) + "|" + duration(r.get(6), lang) + "|"
                        + times(r.get(7)) + "|" + count(r.get(8)))
                .toList();
    }

    /** The experiment columns of the scoreboard: campaign, metric, guardrail badge, CUPED, chance to win, risks. */
    private static List<String> shownExperiment() {
        return shown(
                "#scoreboard tbody tr",
                "[data-col='campaign']",
                "[data-col='metric'] .metric-name",
                "[data-guardrail]@data-guardrail",
                "[data-col='cuped_ci']",
                "[data-col='chance_to_win']",
                "[data-risk='treatment']",
                "[data-risk='control']");
    }

    private static List<String> expectedExperiment(String lang) throws Exception {
        boolean zh = "zh".equals(lang);
        return values("SELECT campaign_name, campaign_id, metric, guardrail_warning, cuped_ci_low, cuped_ci_high, "
                        + "variance_reduction, chance_to_win, risk_treatment, risk_control FROM v_campaign_scoreboard "
                        + A_B_ROWS + SCOREBOARD_ORDER)
                .stream()
                .map(r -> {
                    boolean rate = "conversion".equals(r.get(2));
                    String cuped = r.get(4) == null || r.get(5) == null
                            ? "–"
                            : change(rate, r.get(4)) + " … " + change(rate, r.get(5))
                                    + (r.get(6) == null ? "" : variance(((Number) r.get(6)).doubleValue(), zh));
                    return named(r.get(0), r.get(1)) + "|" + Pages.labels(lang).get("metric." + r.get(2)) + "|"
                            + (Boolean.TRUE.equals(r.get(3)) ? "warning" : "<missing [data-guardrail]>") + "|" + cuped
                            + "|" + chance(r.get(7)) + "|" + (zh ? "全量上线 " : "roll out ") + risk(r.get(8)) + "|"
                            + (zh ? "停止活动 " : "stop ") + risk(r.get(9));
                })
                .toList();
    }

    /** The title (tooltip) of {@code css} in the scoreboard row {@code key}. */
    private static String title(String key, String css) {
        return (String) js(
                "const tr = Array.from(document.querySelectorAll('#scoreboard tbody tr'))"
                        + ".find(t => t.dataset.key === arguments[0]);"
                        + "const e = tr && tr.querySelector(arguments[1]); return e ? e.getAttribute('title') : null;",
                key,
                css);
    }

    private static List<String> shownShortlist() {
        return shown(
                "#shortlist tbody tr",
                "[data-col='category']",
                "[data-col='rank']",
                "[data-col='item']",
                "[data-col='brand']",
                "[data-col='origin']",
                "[data-col='order_units']",
                "[data-col='reasons']@reasons");
    }

    private static List<String> expectedShortlist(String lang) throws Exception {
        return values("SELECT category_name, category_id, rank, item_name, item_id, brand, origin_country, "
                        + "recommended_order_units, array_to_string(reasons, '\n') FROM v_sourcing_shortlist "
                        + "ORDER BY category_id, rank")
                .stream()
                .map(r -> named(part(r.get(0), lang), r.get(1)) + "|" + r.get(2) + "|" + named(r.get(3), r.get(4)) + "|"
                        + (r.get(5) == null ? "–" : r.get(5)) + "|" + (r.get(6) == null ? "–" : r.get(6)) + "|"
                        + count(r.get(7)) + "|" + r.get(8))
                .toList();
    }

    /** The CSV the export must produce: header, then every value as PostgreSQL prints it, category names in {@code lang}. */
    private static List<List<String>> csvFromDb(String lang) throws Exception {
        List<List<String>> out = new ArrayList<>();
        out.add(List.of(
                "as_of",
                "category_id",
                "category_name",
                "rank",
                "item_id",
                "item_name",
                "brand",
                "origin_country",
                "score",
                "forecast_daily_units",
                "conversion_rate",
                "avg_rating",
                "return_rate",
                "complaint_rate",
                "recommended_order_units",
                "reasons"));
        for (List<String> r : strings(
                "SELECT as_of, category_id, category_name, rank, item_id, item_name, brand, origin_country, score, "
                        + "forecast_daily_units, conversion_rate, avg_rating, return_rate, complaint_rate, "
                        + "recommended_order_units, array_to_string(reasons, '; ') FROM v_sourcing_shortlist "
                        + "ORDER BY category_id, rank")) {
            List<String> row = new ArrayList<>(r);
            row.set(2, part(row.get(2), lang));
            out.add(row.stream().map(v -> v == null ? "" : v).toList());
        }
        return out;
    }

    private static List<String> tableRows(String id, String... columns) {
        return shown(
                "#" + id + " tbody tr",
                Stream.of(columns).map(c -> "[data-col='" + c + "']").toArray(String[]::new));
    }

    /**
     * The rows matching {@code rowCss}, each as its cells joined by "|", read in one script so a
     * refresh cannot swap the table halfway. A cell is the text of a CSS match, or with
     * {@code css@attr} that attribute (of the row itself when css is its tag), or with
     * {@code css@reasons} its list items joined by newlines.
     */
    private static List<String> shown(String rowCss, String... cells) {
        Object rows = js(
                "const [rowCss, cells] = arguments;"
                        + "return Array.from(document.querySelectorAll(rowCss)).map(tr => cells.map(spec => {"
                        + "  const [css, attr] = spec.split('@');"
                        + "  const e = tr.matches(css) ? tr : tr.querySelector(css);"
                        + "  if (e === null) return '<missing ' + css + '>';"
                        + "  if (attr === 'reasons') return Array.from(e.querySelectorAll('li')).map(li => li.textContent).join('\\n');"
                        + "  return attr ? e.getAttribute(attr) : e.textContent; }).join('|'));",
                rowCss,
                List.of(cells));
        List<String> out = new ArrayList<>();
        for (Object row : (List<?>) rows) {
            out.add((String) row);
        }
        return out;
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    private static HttpResponse<String> get(String address) throws Exception {
        return HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(address)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void screenshot(String name) {
        try {
            Path dir = Paths.get("target", "dashboard-screenshots");
            Files.createDirectories(dir);
            File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ---- the page's formats, written here independently ----

    /** A time in the shop's UTC+08:00. */
    private static String shopTime(long ms) {
        return SHOP_TIME.format(Instant.ofEpochMilli(ms));
    }

    /** A catalogue name with its id beside it; the id alone without a name. */
    private static String named(Object name, Object id) {
        return name == null || "".equals(name) ? String.valueOf(id) : name + " " + id;
    }

    /** The part of "English / 中文" for {@code lang}; a name without " / " is the same in both. */
    private static String part(Object name, String lang) {
        if (name == null) {
            return null;
        }
        String[] parts = ((String) name).split(" / ", 2);
        return parts.length == 1 ? parts[0] : "zh".equals(lang) ? parts[1] : parts[0];
    }

    private static String kind(Object kind, String lang) {
        return kind == null ? "–" : Pages.labels(lang).get("kind." + kind);
    }

    private static String metric(Object metric) {
        return Pages.labels("en").get("metric." + metric);
    }

    private static String count(Object v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%,d", ((Number) v).longValue());
    }

    /** Whole minutes: "45 min", "2 h", "1 h 35 min"; in Chinese 分钟 and 小时. */
    private static String duration(Object ms, String lang) {
        long minutes = Math.round(((Number) ms).longValue() / 60_000.0);
        long h = minutes / 60;
        long m = minutes % 60;
        boolean zh = "zh".equals(lang);
        String min = zh ? " 分钟" : " min";
        String hours = zh ? " 小时" : " h";
        return h == 0 ? m + min : m == 0 ? h + hours : h + hours + " " + m + min;
    }

    /** A ratio as a multiple, one decimal: "4.2×". */
    private static String times(Object v) {
        return v == null ? "–" : fixed(((Number) v).doubleValue(), 1) + "×";
    }

    private static String pct(Object v) {
        return v == null ? "–" : fixed(((Number) v).doubleValue() * 100, 1) + "%";
    }

    private static String signed(String s) {
        return s.matches("[0.,]+") || s.startsWith("-") ? s : "+" + s;
    }

    private static String pp(Object v) {
        return v == null ? "–" : signed(fixed(((Number) v).doubleValue() * 100, 1)) + " pp";
    }

    private static String relPct(Object v) {
        return v == null ? "–" : signed(fixed(((Number) v).doubleValue() * 100, 1)) + "%";
    }

    /** Cents in yuan: two decimals per user, whole yuan with thousands separators for totals, a sign on changes. */
    private static String yuan(Object cents, boolean total, boolean change) {
        if (cents == null) {
            return "–";
        }
        double v = ((Number) cents).doubleValue() / 100;
        String digits = total
                ? String.format(
                        Locale.ROOT,
                        "%,d",
                        new BigDecimal(Math.abs(v))
                                .setScale(0, RoundingMode.HALF_UP)
                                .longValueExact())
                : fixed(Math.abs(v), 2);
        String sign = digits.matches("[0.,]+") ? "" : v < 0 ? "-" : change ? "+" : "";
        return sign + "¥" + digits;
    }

    /** A probability in percent, one decimal, never a certain-looking 100.0% or 0.0%. */
    private static String chance(Object v) {
        if (v == null) {
            return "–";
        }
        String s = fixed(((Number) v).doubleValue() * 100, 1);
        return s.equals("100.0") ? ">99.9%" : s.equals("0.0") ? "<0.1%" : s + "%";
    }

    /** A relative risk in percent of the control mean, two decimals; a risk below that is "<0.01%". */
    private static String risk(Object v) {
        if (v == null) {
            return "–";
        }
        double d = ((Number) v).doubleValue();
        String s = fixed(d * 100, 2);
        return s.equals("0.00") && d > 0 ? "<0.01%" : s + "%";
    }

    /** The change of the lift's variance by CUPED, whole percent: "-34% variance", "方差 -34%". */
    private static String variance(double reduction, boolean zh) {
        String n = signed(fixed(-reduction * 100, 0));
        return zh ? "方差 " + n + "%" : n + "% variance";
    }

    private static String level(boolean rate, Object v) {
        return rate ? pct(v) : yuan(v, false, false);
    }

    private static String change(boolean rate, Object v) {
        return rate ? pp(v) : yuan(v, false, true);
    }

    /** As the page formats: round half away from zero on the exact double (JS toFixed), no minus on zero. */
    private static String fixed(double v, int digits) {
        return new BigDecimal(v).setScale(digits, RoundingMode.HALF_UP).toPlainString();
    }

    /** Rows of {@code sql} as PostgreSQL prints them, columns joined by "|". */
    private static List<String> rows(String sql) throws Exception {
        return values(sql).stream()
                .map(r -> String.join("|", r.stream().map(String::valueOf).toList()))
                .toList();
    }

    private static List<List<Object>> values(String sql) throws Exception {
        List<List<Object>> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, LocalPostgres.USER, null);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    row.add(v instanceof Number || v instanceof Boolean || v == null ? v : rs.getString(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    /** Rows of {@code sql}, every value as PostgreSQL prints it (the CSV's promise). */
    private static List<List<String>> strings(String sql) throws Exception {
        List<List<String>> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, LocalPostgres.USER, null);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    /** RFC 4180, written here independently of the server's writer. */
    private static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cell.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                cell.append(ch);
            }
        }
        assertThat(cell).as("CSV ends with CRLF").isEmpty();
        return rows;
    }
}
