package io.haitaopulse.testutil;

import io.haitaopulse.stack.LocalKafka;
import io.haitaopulse.stack.LocalPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real Kafka and PostgreSQL for tests. One PostgreSQL server per test JVM (each test takes a
 * fresh database); a Kafka broker per caller, because topic names are fixed by the contract and
 * test classes must not see each other's records. Everything stops when the JVM exits.
 */
public final class LiveStack {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final AtomicInteger BROKERS = new AtomicInteger();
    private static LocalPostgres postgres;

    private LiveStack() {}

    /** The shared PostgreSQL server, started on first use. */
    public static synchronized LocalPostgres postgres() {
        if (postgres == null) {
            try {
                postgres = LocalPostgres.start(workDir().resolve("postgres"), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            LocalPostgres started = postgres;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // The JVM is exiting; the server's own shutdown hook and temp cleanup remain.
                }
            }));
        }
        return postgres;
    }

    /** A new, empty database on the shared server; returns its JDBC URL. */
    public static String freshDatabase(String prefix) {
        String name = prefix + "_" + DATABASES.incrementAndGet();
        String admin = postgres().jdbcUrl();
        try (Connection c = DriverManager.getConnection(admin, LocalPostgres.USER, null);
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return admin.substring(0, admin.lastIndexOf('/') + 1) + name;
    }

    /** A new broker with an empty log; the caller closes it. */
    public static LocalKafka newKafka() {
        return newKafka(null);
    }

    /**
     * A new broker with an empty log, with SASL/SCRAM and ACLs when {@code adminPassword} is not
     * null ({@link LocalKafka#startSecured}); the caller closes it.
     */
    public static LocalKafka newKafka(String adminPassword) {
        try {
            Path dir = workDir().resolve("kafka-" + ProcessHandle.current().pid() + "-" + BROKERS.incrementAndGet());
            return adminPassword == null
                    ? LocalKafka.start(dir, 0, Duration.ofSeconds(90))
                    : LocalKafka.startSecured(dir, 0, Duration.ofSeconds(90), adminPassword);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path workDir() {
        Path dir = Paths.get("target", "live-stack").toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }
}
