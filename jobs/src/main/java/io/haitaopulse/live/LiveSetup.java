package io.haitaopulse.live;

import io.haitaopulse.io.OutputTable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * What a live job needs before it starts: the topics and tables exist and both systems answer.
 * Missing topics are created with {@code pulse.kafka.partitions} partitions (the catalogue topic
 * {@code items} and the output topic {@code trend_alerts} compacted, {@link #configOf}) and missing tables
 * with the DDL of {@link PgTable} (the same as {@code deploy/sql/001_tables.sql}); nothing that
 * exists is changed. Failures become one-line {@link IllegalArgumentException}s naming the
 * address that did not answer.
 */
public final class LiveSetup {

    private static final long TIMEOUT_SECONDS = 20;

    /** SQL scripts shipped in the jar, in the order they are applied. */
    public static final List<String> SQL_SCRIPTS = List.of("001_tables.sql", "002_views.sql", "003_roles.sql");

    private LiveSetup() {}

    /** Prepares Kafka and PostgreSQL for {@code tables}; returns the partition count of each input topic. */
    public static Map<String, Integer> prepare(Configuration conf, List<OutputTable<?>> tables) {
        List<String> outputs = new ArrayList<>();
        if (conf.get(LiveOptions.SINKS).contains(LiveOptions.SinkKind.KAFKA)) {
            outputs.addAll(Topics.outputs(tables));
        }
        Map<String, Integer> partitions = createTopics(
                conf.get(LiveOptions.BOOTSTRAP_SERVERS),
                KafkaSecurity.of(conf, System.getenv()),
                conf.get(LiveOptions.PARTITIONS),
                outputs);
        if (conf.get(LiveOptions.SINKS).contains(LiveOptions.SinkKind.POSTGRES)) {
            StringBuilder ddl = new StringBuilder();
            tables.forEach(t -> ddl.append(new PgTable<>(t).ddl()));
            execute(LiveOptions.postgres(conf), ddl.toString());
        }
        return partitions;
    }

    /**
     * Creates the input topics and {@code outputs} where missing; returns every input topic's
     * partition count.
     */
    public static Map<String, Integer> createTopics(String bootstrap, int partitions, List<String> outputs) {
        return createTopics(bootstrap, KafkaSecurity.NONE, partitions, outputs);
    }

    /**
     * {@link #createTopics(String, int, List)} as the client {@code security} describes. A topic
     * that exists is only described, so a job's user needs no CREATE permission once an
     * administrator has made the topics.
     */
    public static Map<String, Integer> createTopics(
            String bootstrap, KafkaSecurity security, int partitions, List<String> outputs) {
        Properties p = security.clientProperties(bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            List<String> wanted = new ArrayList<>();
            Topics.INPUTS.forEach(t -> wanted.add(t.name()));
            wanted.addAll(outputs);
            for (String name : new LinkedHashSet<>(wanted)) {
                if (!existing.contains(name)) {
                    missing.add(new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configOf(name)));
                }
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    // Another job may have created one meanwhile; describe below tells.
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        throw e;
                    }
                }
            }
            List<String> inputs = Topics.INPUTS.stream().map(Topics.Input::name).toList();
            Map<String, TopicDescription> d = describeCreated(admin, inputs);
            Map<String, Integer> counts = new HashMap<>();
            d.forEach((name, desc) -> counts.put(name, desc.partitions().size()));
            return counts;
        } catch (TimeoutException e) {
            throw new IllegalArgumentException("Kafka at " + bootstrap + " did not answer within " + TIMEOUT_SECONDS
                    + " s (is the broker running? set pulse.kafka.bootstrap-servers)");
        } catch (ExecutionException e) {
            throw new IllegalArgumentException(
                    "Kafka at " + bootstrap + ": " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing Kafka topics", e);
        }
    }

    /**
     * The topic configuration Pulse creates topic {@code name} with: {@code cleanup.policy=compact}
     * for the {@link Topics#COMPACTED} inputs, {@code cleanup.policy=compact,delete} for the
     * {@link Topics#COMPACTED_OUTPUTS}, the broker's defaults (empty) for every other.
     */
    public static Map<String, String> configOf(String name) {
        if (Topics.COMPACTED.stream().anyMatch(t -> t.name().equals(name))) {
            return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        if (Topics.COMPACTED_OUTPUTS.stream().anyMatch(t -> Topics.output(t).equals(name))) {
            return Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG,
                    TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE);
        }
        return Map.of();
    }

    /**
     * Describes {@code topics}, which exist or were just created. A KRaft broker answers a create
     * before its own metadata cache holds the new topic, so a describe right after it may fail with
     * {@link UnknownTopicOrPartitionException} on a busy machine; that answer is retried (with a
     * short back-off) until {@link #TIMEOUT_SECONDS} have passed, every other failure is not.
     */
    private static Map<String, TopicDescription> describeCreated(Admin admin, List<String> topics)
            throws ExecutionException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        long backoffMs = 50;
        while (true) {
            try {
                return admin.describeTopics(topics).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            // A back-off between metadata requests, not a wait for a result: the next describe decides.
            TimeUnit.MILLISECONDS.sleep(backoffMs);
            backoffMs = Math.min(1000, backoffMs * 2);
        }
    }

    /** Runs {@code sql} (several statements) in one transaction. */
    public static void execute(PostgresUpsertSink.Settings pg, String sql) {
        try (Connection c = DriverManager.getConnection(pg.url(), pg.user(), pg.password());
                Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute(sql);
            c.commit();
        } catch (SQLException e) {
            throw new IllegalArgumentException("PostgreSQL at " + pg.url() + " as " + pg.user() + ": "
                    + e.getMessage().replaceAll("\\s+", " "));
        }
    }

    /**
     * Applies every script of {@link #SQL_SCRIPTS} as {@code owner}, then creates the login
     * {@code dashboard} in role {@code pulse_dashboard} (views only) with a random password, which it
     * returns. For the local stacks (the demo and {@code pulse stack}), whose databases are new.
     */
    public static String prepareDatabaseWithDashboardLogin(PostgresUpsertSink.Settings owner) {
        for (String script : SQL_SCRIPTS) {
            execute(owner, script(script));
        }
        String password = randomSecret();
        execute(owner, "CREATE ROLE dashboard LOGIN PASSWORD '" + password + "' IN ROLE pulse_dashboard");
        return password;
    }

    /** 16 random hex digits: a password for a local, throw-away service account. */
    public static String randomSecret() {
        return HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
    }

    /** A SQL script of {@code deploy/sql/}, as shipped in the jar. */
    public static String script(String name) {
        try (InputStream in = LiveSetup.class.getResourceAsStream("/sql/" + name)) {
            if (in == null) {
                throw new IllegalStateException("SQL script " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read SQL script " + name, e);
        }
    }
}
