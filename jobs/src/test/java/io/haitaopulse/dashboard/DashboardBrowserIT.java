package io.haitaopulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * small simulated shop is loaded into a fresh PostgreSQL, the dashboard reads it as a member of
 * {@code pulse_dashboard}, and every page must show exactly the numbers the views hold (read here
 * with plain JDBC), refresh by itself, show freshness, speak Chinese on request, and show hostile
 * names as text without running them. Screenshots land in target/dashboard-screenshots.
 */
class DashboardBrowserIT {

    private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");
    private static final List<String> TABLES = List.of(
            "hot_items",
            "demand_trends",
            "category_trends",
            "campaign_uplift",
            "campaign_did",
            "channel_attribution",
            "sourcing_shortlist",
            "traffic",
            "funnel",
            "order_timeouts");
    private static final String SCRIPT = "<script>window.__xss=1;alert(1)</script>";
    private static final String IMG = "<img src=x onerror=\"window.__xss=1;alert(1)\">";
    private static final DateTimeFormatter UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    @TempDir
    static Path tmp;

    private static String url;
    private static PostgresUpsertSink.Settings owner;
    private static DashboardServer server;
    private static WebDriver driver;
    private static String base;

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
        }
        // Hostile text where the dashboard shows text: a campaign, a channel and a hot-items scope.
        LiveSetup.execute(
                owner,
                String.join(
                        "\n",
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
                        "  ORDER BY window_end DESC LIMIT 1;"));

        // Role names are cluster-wide and the test server may be reused: a name of this run only.
        String role = "dash_browser_" + ProcessHandle.current().pid() + "_" + Long.toHexString(System.nanoTime());
        String password = Long.toHexString(Double.doubleToLongBits(Math.random()));
        LiveSetup.execute(owner, "CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "' IN ROLE pulse_dashboard");
        server = DashboardServer.start(url, role, password, InetAddress.getLoopbackAddress(), 0);
        base = "http://localhost:" + server.port();
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
    void hotItemsShowTheViewsRowsWithRankMoves() throws Exception {
        open("/hot", "hot");
        List<String> expected = rows("SELECT rank, item_id, views, CASE WHEN previous_rank IS NULL THEN 'new' "
                + "WHEN previous_rank > rank THEN 'up' WHEN previous_rank < rank THEN 'down' ELSE 'same' END "
                + "FROM v_hot_items_current WHERE scope = 'all' ORDER BY rank");
        assertThat(expected).isNotEmpty();
        List<String> shown = shown(
                "section[data-scope='all'] tbody tr",
                "[data-col='rank']",
                "[data-col='item_id']",
                "[data-col='views']",
                "[data-move]@data-move");
        assertThat(shown).isEqualTo(expected);
        assertThat(driver.findElements(By.cssSelector("section[data-scope]")))
                .hasSize(Integer.parseInt(rows("SELECT count(DISTINCT scope) FROM v_hot_items_current")
                        .get(0)));
        assertShownAsText(driver.findElement(By.cssSelector("main")).getText(), SCRIPT);
        screenshot("hot");
    }

    @Test
    void trendingShowsItemsAndCategoriesWithSparklines() throws Exception {
        open("/trending", "trending");
        List<String> items = rows(
                "SELECT item_id, views FROM v_trending_now ORDER BY z DESC NULLS LAST, ratio DESC NULLS LAST, item_id "
                        + "LIMIT 50");
        List<String> categories = rows("SELECT category_id, views, active_items FROM v_category_trends_now "
                + "ORDER BY ratio DESC NULLS LAST, views DESC, category_id");
        assertThat(items).hasSize(3);
        assertThat(categories).isNotEmpty();
        assertThat(tableRows("trending-items", "item_id", "views")).isEqualTo(items);
        assertThat(tableRows("trending-categories", "category_id", "views", "active_items"))
                .isEqualTo(categories);
        // The sparklines are Chart.js charts, so the library loaded from this server (the page allows no other origin).
        Object charted = js(
                "return Array.from(document.querySelectorAll('canvas.spark')).filter(c => Chart.getChart(c)).length");
        assertThat(((Number) charted).intValue()).isEqualTo(items.size() + categories.size());
        screenshot("trending");
    }

    @Test
    void campaignsShowLiftCisSrmAndChannels() throws Exception {
        open("/campaigns", "campaigns");
        List<List<Object>> board = values(
                "SELECT campaign_id, metric, lift_abs, ci_low, ci_high, anytime_ci_low, anytime_ci_high, "
                        + "srm_warning, incremental_revenue_cents FROM v_campaign_scoreboard ORDER BY campaign_id, metric");
        assertThat(board).hasSizeGreaterThan(1);
        List<String> expected = board.stream()
                .map(r -> r.get(0) + "|" + r.get(1) + "|" + fixed(r.get(2), 4) + "|" + fixed(r.get(3), 4)
                        + "|" + fixed(r.get(4), 4) + "|" + fixed(r.get(5), 4) + "|" + fixed(r.get(6), 4) + "|"
                        + (Boolean.TRUE.equals(r.get(7)) ? "warning" : "ok") + "|"
                        + (r.get(8) == null ? "–" : fixed(((Number) r.get(8)).doubleValue() / 100, 2)))
                .toList();
        List<String> shown = shown(
                "#scoreboard tbody tr",
                "[data-col='campaign_id']",
                "[data-col='metric']",
                "[data-col='lift_abs']",
                "[data-col='ci'] .lo",
                "[data-col='ci'] .hi",
                "[data-col='anytime_ci'] .lo",
                "[data-col='anytime_ci'] .hi",
                "[data-srm]@data-srm",
                "[data-col='incremental_revenue']");
        assertThat(shown).isEqualTo(expected);
        assertThat(shown)
                .anyMatch(
                        s -> s.startsWith(SCRIPT + "|conversion|-0.0123|-0.0500|0.0200|-0.0900|0.0700|warning|-12.34"));
        assertThat(driver.findElements(By.cssSelector("#scoreboard svg.ci-bar rect.fixed")))
                .hasSizeGreaterThanOrEqualTo(1);

        assertThat(tableRows("channels", "channel", "campaign_id", "sessions", "orders"))
                .isEqualTo(
                        rows(
                                "SELECT channel, campaign_id, sessions, orders FROM v_channel_attribution ORDER BY gmv_cents DESC, channel, campaign_id"));
        assertShownAsText(driver.findElement(By.id("channels")).getText(), IMG);
        assertShownAsText(driver.findElement(By.id("scoreboard")).getText(), SCRIPT);
        screenshot("campaigns");
    }

    @Test
    void sourcingShowsTheShortlistRefreshesByItselfAndExportsCsv() throws Exception {
        open("/sourcing", "sourcing");
        String shortlist = "SELECT category_id, rank, item_id, recommended_order_units, array_to_string(reasons, '\n') "
                + "FROM v_sourcing_shortlist ORDER BY category_id, rank";
        assertThat(rows(shortlist)).isNotEmpty();
        assertThat(shownShortlist()).isEqualTo(rows(shortlist));
        Number scripts = (Number) js("return document.querySelectorAll('script').length");

        // A new row in the newest shortlist appears without reloading the page: the 2 s refresh.
        List<String> reasons = List.of(SCRIPT, IMG, "say \"hi\", twice", "=HYPERLINK(\"http://evil\")");
        try (Connection c = DriverManager.getConnection(url, LocalPostgres.USER, null);
                PreparedStatement ps =
                        c.prepareStatement("INSERT INTO sourcing_shortlist SELECT max(as_of), 999999, 1, 4242, "
                                + "0.5, 1.5, 0.1, 4.0, 0.0, 0.0, 77, ? FROM sourcing_shortlist")) {
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
        assertThat(shownShortlist()).isEqualTo(rows(shortlist));
        assertThat(((Number) js("return document.querySelectorAll('script').length")).intValue())
                .isEqualTo(scripts.intValue());
        assertNothingRan();
        assertThat(driver.findElement(By.id("export")).getDomAttribute("href")).isEqualTo("/export/sourcing.csv");
        screenshot("sourcing");

        HttpResponse<String> csv = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(base + "/export/sourcing.csv"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValue("text/csv; charset=utf-8");
        List<List<String>> parsed = parseCsv(csv.body());
        List<List<String>> fromDb = new ArrayList<>();
        fromDb.add(List.of(
                "as_of",
                "category_id",
                "rank",
                "item_id",
                "score",
                "forecast_daily_units",
                "conversion_rate",
                "avg_rating",
                "return_rate",
                "complaint_rate",
                "recommended_order_units",
                "reasons"));
        for (List<String> r : strings(
                "SELECT as_of, category_id, rank, item_id, score, forecast_daily_units, conversion_rate, avg_rating, "
                        + "return_rate, complaint_rate, recommended_order_units, array_to_string(reasons, '; ') FROM v_sourcing_shortlist "
                        + "ORDER BY category_id, rank")) {
            fromDb.add(r.stream().map(v -> v == null ? "" : v).toList());
        }
        // The one difference a spreadsheet needs: text that starts like a formula is marked as text.
        String injected = String.join("; ", reasons);
        assertThat(parsed).hasSize(fromDb.size());
        for (int i = 0; i < parsed.size(); i++) {
            List<String> want = new ArrayList<>(fromDb.get(i));
            if (want.get(11).startsWith("=")) {
                want.set(11, "'" + want.get(11));
            }
            assertThat(parsed.get(i)).as("CSV row %d", i).isEqualTo(want);
        }
        assertThat(parsed).anyMatch(r -> r.get(11).equals(injected));
    }

    @Test
    void trafficShowsTheNewestMinuteTheHourlyChartFunnelUnpaidOrdersAndBots() throws Exception {
        open("/traffic", "traffic");
        List<String> now = rows(
                "SELECT dimension, value, pv, uv FROM v_traffic_now ORDER BY dimension <> 'all', dimension, pv DESC, value");
        assertThat(now).isNotEmpty().first().asString().startsWith("all|all|");
        assertThat(tableRows("traffic-now", "dimension", "value", "pv", "uv")).isEqualTo(now);
        int hours = Integer.parseInt(rows("SELECT count(*) FROM v_traffic_hourly WHERE dimension = 'all'")
                .get(0));
        assertThat(hours).isGreaterThan(20);
        assertThat(((Number) js("const c = Chart.getChart(document.getElementById('traffic-chart'));"
                                + "return c ? c.data.datasets[1].data.length : -1"))
                        .intValue())
                .isEqualTo(hours);
        List<List<Object>> funnel = values(
                "SELECT category_id, viewers, payers, view_to_cart FROM v_funnel_hourly "
                        + "WHERE window_start = (SELECT max(window_start) FROM v_funnel_hourly) ORDER BY viewers DESC, category_id");
        assertThat(funnel).isNotEmpty();
        assertThat(tableRows("funnel", "category_id", "viewers", "payers", "view_to_cart"))
                .isEqualTo(funnel.stream()
                        .map(r -> r.get(0) + "|" + r.get(1) + "|" + r.get(2) + "|"
                                + (r.get(3) == null ? "–" : fixed(((Number) r.get(3)).doubleValue() * 100, 1) + "%"))
                        .toList());
        List<String> unpaid =
                rows("SELECT timed_out, paid_late FROM v_unpaid_orders_hourly ORDER BY hour_start DESC LIMIT 24");
        assertThat(unpaid).isNotEmpty();
        assertThat(tableRows("unpaid", "timed_out", "paid_late")).isEqualTo(unpaid);
        List<String> bots =
                rows("SELECT rule, clicks, users FROM v_bot_activity_hourly ORDER BY hour_start DESC, rule LIMIT 48");
        assertThat(bots).isNotEmpty();
        assertThat(tableRows("bots", "rule", "clicks", "users")).isEqualTo(bots);
        screenshot("traffic");
    }

    @Test
    void chineseLabelsWithLangZh() {
        for (String page : Pages.PAGES) {
            open("/" + page + "?lang=zh", page);
            assertThat(driver.findElement(By.cssSelector("html")).getDomAttribute("lang"))
                    .isEqualTo("zh-CN");
            assertThat(driver.findElement(By.cssSelector("main h2")).getText())
                    .isEqualTo(Pages.labels("zh").get("page." + page));
            assertThat(driver.findElement(By.id("freshness")).getText())
                    .startsWith("最新数据: ")
                    .matches("最新数据: .* UTC \\(\\d+ (分钟|小时|天)前\\)");
        }
        assertThat(driver.findElements(By.cssSelector("th")).stream().map(WebElement::getText))
                .contains("排名", "建议采购量", "理由");
        assertThat(driver.findElement(By.id("export")).getText()).isEqualTo("导出 CSV");
        screenshot("sourcing-zh");
        open("/hot", "hot");
        assertThat(driver.findElement(By.cssSelector("main h2")).getText()).isEqualTo("Hot items");
    }

    @Test
    void refusesALoginThatCanTouchTheTables() {
        assertThatThrownBy(
                        () -> DashboardServer.start(url, LocalPostgres.USER, null, InetAddress.getLoopbackAddress(), 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(LocalPostgres.USER + " is not a read-only dashboard login");
    }

    // ---- helpers ----

    /** Loads {@code path}, waits until the page's script rendered data, checks the freshness line against v_freshness. */
    private static void open(String path, String page) {
        driver.get(base + path);
        new WebDriverWait(driver, Duration.ofSeconds(30))
                .until(d -> d.findElement(By.tagName("body")).getDomAttribute("data-rendered") != null);
        assertThat(driver.findElement(By.tagName("body")).getDomAttribute("data-page"))
                .isEqualTo(page);
        String newest;
        try {
            newest = UTC.format(Instant.ofEpochMilli(
                    Long.parseLong(rows("SELECT max(newest) FROM v_freshness").get(0))));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        String freshness = driver.findElement(By.id("freshness")).getText();
        assertThat(freshness).as("freshness on %s", path).contains(newest + " UTC");
        if (!path.contains("lang=zh")) {
            assertThat(freshness).matches("Newest data: .* UTC \\(\\d+ (min|h|days) old\\)");
        }
        assertNothingRan();
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

    private static List<String> shownShortlist() {
        return shown(
                "#shortlist tbody tr",
                "[data-col='category_id']",
                "[data-col='rank']",
                "[data-col='item_id']",
                "[data-col='order_units']",
                "[data-col='reasons']@reasons");
    }

    private static List<String> tableRows(String id, String... columns) {
        return shown(
                "#" + id + " tbody tr",
                Stream.of(columns).map(c -> "[data-col='" + c + "']").toArray(String[]::new));
    }

    /**
     * The rows matching {@code rowCss}, each as its cells joined by "|", read in one script so a
     * refresh cannot swap the table halfway. A cell is the text of a CSS match, or with
     * {@code css@attr} that attribute, or with {@code css@reasons} its list items joined by newlines.
     */
    private static List<String> shown(String rowCss, String... cells) {
        Object rows = js(
                "const [rowCss, cells] = arguments;"
                        + "return Array.from(document.querySelectorAll(rowCss)).map(tr => cells.map(spec => {"
                        + "  const [css, attr] = spec.split('@'); const e = tr.querySelector(css);"
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

    /** As the page formats: round half away from zero on the exact double (JS toFixed), no minus on zero. */
    private static String fixed(Object v, int digits) {
        if (v == null) {
            return "–";
        }
        return new BigDecimal(((Number) v).doubleValue())
                .setScale(digits, RoundingMode.HALF_UP)
                .toPlainString();
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
