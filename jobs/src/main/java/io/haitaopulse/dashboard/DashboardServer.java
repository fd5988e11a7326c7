package io.haitaopulse.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard for buyers and marketers: a small HTTP server (the JDK's own) that serves five
 * pages (trending, hot items, campaigns, sourcing, traffic), their JSON, a CSV export of the sourcing
 * shortlist, and Chart.js from its WebJar on the classpath. It reads only the {@code v_*} views of
 * deploy/sql/002_views.sql, as a login role that is a member of {@code pulse_dashboard}, over
 * read-only connections. {@link #start} fails when the views cannot be read with the given login.
 * Pages are in English, or Chinese with {@code ?lang=zh} (category names too: the part of
 * "English / 中文" for the page's language); items and campaigns show their names with the id
 * beside them; times are in the shop's offset from UTC and the freshness line words the
 * {@link ShopClock}. Close it to stop serving.
 */
public final class DashboardServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHART_JS_POM = "META-INF/maven/org.webjars.npm/chart.js/pom.properties";
    // Nothing but this origin: even a rendering bug could not load or run foreign script.
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private final HttpServer http;
    private final ExecutorService executor;
    private final ViewReader views;
    private final String chartJsPath;
    private final ShopClock clock;

    private DashboardServer(
            HttpServer http, ExecutorService executor, ViewReader views, String chartJsPath, ShopClock clock) {
        this.http = http;
        this.executor = executor;
        this.views = views;
        this.chartJsPath = chartJsPath;
        this.clock = clock;
    }

    /**
     * Starts serving on {@code host:port} ({@code port} 0: any free port) after checking that the
     * views answer to {@code user}; {@code password} may be null (trust authentication). Times are
     * shown, and data freshness worded, by {@code clock}.
     *
     * @throws IllegalStateException when the views cannot be read, the login may read or write the
     *     tables themselves (not a read-only dashboard login), or the port cannot be bound
     */
    public static DashboardServer start(
            String jdbcUrl, String user, String password, InetAddress host, int port, ShopClock clock) {
        ViewReader views = new ViewReader(jdbcUrl, user, password, clock);
        try {
            views.check();
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot read the dashboard views at " + jdbcUrl + " as " + user + ": " + e.getMessage(), e);
        }
        String chartJs = "/webjars/chart.js/" + chartJsVersion() + "/dist/chart.umd.min.js";
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot listen on " + host.getHostAddress() + ":" + port + ": " + e.getMessage(), e);
        }
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory daemons = r -> {
            Thread t = new Thread(r, "pulse-dashboard-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ExecutorService executor = Executors.newFixedThreadPool(4, daemons);
        DashboardServer server = new DashboardServer(http, executor, views, chartJs, clock);
        http.createContext("/", server::handle);
        http.setExecutor(executor);
        http.start();
        return server;
    }

    /** The port this server listens on. */
    public int port() {
        return http.getAddress().getPort();
    }

    /** Stops accepting requests and ends the server's threads. */
    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                send(ex, 405, "text/plain; charset=utf-8", "method not allowed".getBytes(StandardCharsets.UTF_8));
                return;
            }
            URI uri = ex.getRequestURI();
            String path = uri.getPath();
            String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
            String lang = List.of(query.split("&")).contains("lang=zh") ? "zh" : "en";
            try {
                route(ex, path, lang);
            } catch (SQLException e) {
                LOG.warn("dashboard query failed: {}", e.getMessage());
                send(ex, 503, "application/json", JSON.writeValueAsBytes(Map.of("error", "database unavailable")));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("dashboard request failed: {}", e.toString());
        }
    }

    private void route(HttpExchange ex, String path, String lang) throws IOException, SQLException {
        switch (path) {
            case "/" ->
                send(ex, 200, "text/html; charset=utf-8", bytes(Pages.shell("trending", lang, chartJsPath, clock)));
            case "/trending", "/hot", "/campaigns", "/sourcing", "/traffic" ->
                send(
                        ex,
                        200,
                        "text/html; charset=utf-8",
                        bytes(Pages.shell(path.substring(1), lang, chartJsPath, clock)));
            case "/api/trending" -> json(ex, views.trending(lang));
            case "/api/hot" -> json(ex, views.hot(lang));
            case "/api/campaigns" -> json(ex, views.campaigns(lang));
            case "/api/sourcing" -> json(ex, views.sourcing(lang));
            case "/api/traffic" -> json(ex, views.traffic(lang));
            case "/export/sourcing.csv" -> {
                ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"sourcing-shortlist.csv\"");
                send(ex, 200, "text/csv; charset=utf-8", bytes(Csv.write(views.shortlistCells(lang))));
            }
            case "/static/dashboard.js" -> resource(ex, "dashboard/dashboard.js", "text/javascript; charset=utf-8");
            case "/static/dashboard.css" -> resource(ex, "dashboard/dashboard.css", "text/css; charset=utf-8");
            default -> {
                if (path.equals(chartJsPath)) {
                    resource(ex, "META-INF/resources" + chartJsPath, "text/javascript; charset=utf-8");
                } else {
                    send(ex, 404, "text/plain; charset=utf-8", bytes("not found"));
                }
            }
        }
    }

    private static void json(HttpExchange ex, Object body) throws IOException {
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        send(ex, 200, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void resource(HttpExchange ex, String name, String type) throws IOException {
        try (InputStream in = DashboardServer.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                send(ex, 404, "text/plain; charset=utf-8", bytes("not found"));
                return;
            }
            send(ex, 200, type, in.readAllBytes());
        }
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Content-Security-Policy", CSP);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The Chart.js version on the classpath, from its WebJar's Maven metadata (the root pom pins it). */
    static String chartJsVersion() {
        try (InputStream in = DashboardServer.class.getClassLoader().getResourceAsStream(CHART_JS_POM)) {
            if (in == null) {
                throw new IllegalStateException("Chart.js WebJar missing from the classpath (" + CHART_JS_POM + ")");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** RFC 4180 CSV that spreadsheets open as data, never as formulas. */
    static final class Csv {

        private Csv() {}

        static String write(List<List<String>> rows) {
            StringBuilder b = new StringBuilder();
            for (List<String> row : rows) {
                for (int i = 0; i < row.size(); i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    b.append(cell(row.get(i)));
                }
                b.append("\r\n");
            }
            return b.toString();
        }

        static String cell(String v) {
            String s = v;
            // A text cell starting like a formula would be run by Excel: make it plain text. Numbers
            // (a leading minus) stay numbers.
            if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 && !s.matches("-?[0-9.eE+-]+|-?Infinity|NaN")) {
                s = "'" + s;
            }
            if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
                s = '"' + s.replace("\"", "\"\"") + '"';
            }
            return s;
        }
    }
}
