package io.haitaopulse.cli;

import io.haitaopulse.common.Durations;
import io.haitaopulse.common.PulseOptions;
import io.haitaopulse.dashboard.DashboardServer;
import io.haitaopulse.dashboard.ShopClock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pulse dashboard}: serves the dashboard ({@link DashboardServer}) until Ctrl-C. It logs in
 * as a member of {@code pulse_dashboard}; the password comes from {@code PULSE_DASHBOARD_PASSWORD}
 * so it never shows in a process list or shell history (unset: trust authentication). Times are
 * shown in the shop's offset from UTC, {@code --timezone-offset}, which should be the jobs'
 * {@code pulse.timezone-offset}; data freshness is an age against the wall clock.
 */
@Command(
        name = "dashboard",
        mixinStandardHelpOptions = true,
        description =
                "Serve the dashboard (trending, hot items, campaigns, sourcing) from the PostgreSQL views until Ctrl-C. "
                        + "Password: environment variable PULSE_DASHBOARD_PASSWORD.")
final class DashboardCommand implements Callable<Integer> {

    /** Where the password comes from. */
    static final String PASSWORD_ENV = "PULSE_DASHBOARD_PASSWORD";

    @Option(
            names = "--postgres-url",
            required = true,
            paramLabel = "JDBC_URL",
            description = "The database, e.g. jdbc:postgresql://localhost:5432/pulse.")
    String postgresUrl;

    @Option(
            names = "--user",
            required = true,
            paramLabel = "USER",
            description = "A login role that is a member of pulse_dashboard.")
    String user;

    @Option(names = "--port", paramLabel = "PORT", description = "Port to serve on (default: 8088; 0: any free port).")
    int port = 8088;

    @Option(
            names = "--host",
            paramLabel = "ADDRESS",
            description = "Address to listen on (default: 127.0.0.1, this machine only).")
    String host = "127.0.0.1";

    @Option(
            names = "--timezone-offset",
            paramLabel = "OFFSET",
            description = "The shop's offset from UTC, as the jobs' pulse.timezone-offset: every time is shown in it "
                    + "(default: 8h, China; e.g. -5h, 330m).")
    String timezoneOffset = Durations.format(PulseOptions.TIMEZONE_OFFSET.defaultValue());

    @Override
    public Integer call() throws Exception {
        if (!postgresUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException(
                    "--postgres-url must be a PostgreSQL JDBC URL (jdbc:postgresql://HOST:PORT/DB), not '" + postgresUrl
                            + "'");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535, not " + port);
        }
        if (user.isBlank()) {
            throw new IllegalArgumentException("--user must not be empty");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--host " + host + " is not a known address");
        }
        ZoneOffset offset;
        try {
            offset = ShopClock.parseOffset(timezoneOffset);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--timezone-offset: " + e.getMessage());
        }
        DashboardServer server = DashboardServer.start(
                postgresUrl, user, System.getenv(PASSWORD_ENV), address, port, ShopClock.wall(offset));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                        },
                        "pulse-dashboard-stop"));
        System.out.println("Dashboard   http://" + (address.isLoopbackAddress() ? "localhost" : host) + ":"
                + server.port() + "/   (Ctrl-C stops it)");
        stopped.await();
        return 0;
    }
}
