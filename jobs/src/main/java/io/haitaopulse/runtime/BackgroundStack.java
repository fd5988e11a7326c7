package io.haitaopulse.runtime;

import io.haitaopulse.io.OutputTable;
import io.haitaopulse.live.KafkaSecurity;
import io.haitaopulse.live.LiveOptions;
import io.haitaopulse.live.LiveSetup;
import io.haitaopulse.live.Topics;
import io.haitaopulse.privacy.PrivacyOptions;
import io.haitaopulse.privacy.PseudonymKey;
import io.haitaopulse.stack.Leftovers;
import io.haitaopulse.stack.LocalKafka;
import io.haitaopulse.stack.LocalPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;

/**
 * The data services of the live path — a Kafka broker and PostgreSQL — running in the background
 * on this machine, for jobs started separately ({@code pulse run}, or {@code pulse submit} to a
 * cluster). {@link #start} starts both detached in a directory of their own (they outlive the JVM
 * that started them), creates the input and output topics and applies the SQL scripts (tables,
 * views, roles), writes a pseudonymisation key and a configuration file naming all of it, and
 * returns. {@link #status} and {@link #stop} find the servers by their pid files
 * ({@link Leftovers}), so any later JVM can ask for or stop them.
 *
 * <p>Layout of the directory: {@code postgres/} (data, log), {@code kafka/} (log directory,
 * {@code broker.log}, {@code broker.pid}), {@value #KEY_FILE}, {@value #CONFIG_FILE},
 * {@code checkpoints/} (where jobs configured by that file checkpoint).
 */
public final class BackgroundStack {

    /** The configuration file {@link #start} writes, for {@code pulse run/submit --config}. */
    public static final String CONFIG_FILE = "pulse.yaml";
    /** The pseudonymisation key the configuration file names. */
    public static final String KEY_FILE = "pseudonym.key";
    /** The password of the read-only login {@code dashboard}, for {@code pulse dashboard}. */
    public static final String DASHBOARD_PASSWORD_FILE = "dashboard.password";

    /** Everything a stack writes into its directory; a directory holding only these may be emptied. */
    static final List<String> ENTRIES =
            List.of("postgres", "kafka", "checkpoints", KEY_FILE, CONFIG_FILE, DASHBOARD_PASSWORD_FILE);

    private static final Pattern LISTENER_PORT = Pattern.compile("(?m)^listeners=[A-Z_]+://[^:,]+:(\\d+)");

    private final Path dir;

    /** The stack whose servers keep their data under {@code dir}. */
    public BackgroundStack(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path dir() {
        return dir;
    }

    /** The configuration file of jobs that use this stack. */
    public Path configFile() {
        return dir.resolve(CONFIG_FILE);
    }

    /** What runs: each server with its process and port, when it runs. */
    public record Status(
            Optional<Leftovers.Server> postgres,
            OptionalInt postgresPort,
            Optional<Leftovers.Server> kafka,
            OptionalInt kafkaPort) {
        /** Both servers run. */
        public boolean running() {
            return postgres.isPresent() && kafka.isPresent();
        }

        /** Neither server runs. */
        public boolean stopped() {
            return postgres.isEmpty() && kafka.isEmpty();
        }

        /** {@code localhost:PORT} of the broker. */
        public String bootstrapServers() {
            return "localhost:" + kafkaPort.orElse(0);
        }

        /** JDBC URL of database {@code pulse}. */
        public String jdbcUrl() {
            return "jdbc:postgresql://localhost:" + postgresPort.orElse(0) + "/" + LocalPostgres.DATABASE;
        }

        /** What to type to look at the tables. */
        public String psqlCommand() {
            return "psql postgresql://" + LocalPostgres.USER + "@localhost:" + postgresPort.orElse(0) + "/"
                    + LocalPostgres.DATABASE;
        }
    }

    /** Which of the two servers run, with their pids and ports. */
    public Status status() throws IOException {
        Optional<Leftovers.Server> pg = Optional.empty();
        Optional<Leftovers.Server> kafka = Optional.empty();
        for (Leftovers.Server s : Leftovers.running(dir)) {
            if (s.what().equals("PostgreSQL")) {
                pg = Optional.of(s);
            } else if (s.what().equals("Kafka broker")) {
                kafka = Optional.of(s);
            }
        }
        OptionalInt pgPort = OptionalInt.empty();
        if (pg.isPresent()) {
            // postmaster.pid: pid, data directory, start time, port, …
            List<String> lines = Files.readAllLines(pg.get().pidFile(), StandardCharsets.US_ASCII);
            if (lines.size() > 3 && lines.get(3).strip().matches("\\d+")) {
                pgPort = OptionalInt.of(Integer.parseInt(lines.get(3).strip()));
            }
        }
        OptionalInt kafkaPort = OptionalInt.empty();
        Path props = dir.resolve("kafka/server.properties");
        if (kafka.isPresent() && Files.isRegularFile(props)) {
            Matcher m = LISTENER_PORT.matcher(Files.readString(props));
            if (m.find()) {
                kafkaPort = OptionalInt.of(Integer.parseInt(m.group(1)));
            }
        }
        return new Status(pg, pgPort, kafka, kafkaPort);
    }

    /** What {@link #start} did: whether it started anything, what it stopped first, and what runs now. */
    public record Started(boolean alreadyRunning, List<String> stoppedFirst, Status status, String keyInfo) {}

    /**
     * Starts PostgreSQL on {@code postgresPort} and a broker on {@code kafkaPort} (each: that port
     * when free, else any free one) unless both run already. Half a stack (one server left running
     * alone) is stopped first, and the directory is emptied — it must hold nothing but an earlier
     * stack's files. When a step fails, what was started is stopped again before the exception.
     */
    public Started start(int kafkaPort, int postgresPort) throws IOException, InterruptedException {
        Status before = status();
        if (before.running()) {
            return new Started(true, List.of(), before, null);
        }
        List<String> stopped = Leftovers.stop(dir);
        emptyWorkDir(dir, ENTRIES, "--work", "an empty or earlier stack directory");
        LocalPostgres pg = LocalPostgres.startDetached(dir.resolve("postgres"), LiveDemo.portOrFree(postgresPort));
        try {
            LocalKafka kafka = LocalKafka.startDetached(
                    dir.resolve("kafka"), LiveDemo.portOrFree(kafkaPort), Duration.ofSeconds(90));
            try {
                LiveSetup.createTopics(
                        kafka.bootstrapServers(),
                        KafkaSecurity.NONE,
                        LiveOptions.PARTITIONS.defaultValue(),
                        OutputTable.all().stream().map(Topics::output).toList());
                Configuration conf = new Configuration();
                conf.set(LiveOptions.POSTGRES_URL, pg.jdbcUrl());
                conf.set(LiveOptions.POSTGRES_USER, LocalPostgres.USER);
                // The dashboard refuses any login that could touch the tables: it gets one of its own.
                String password = LiveSetup.prepareDatabaseWithDashboardLogin(LiveOptions.postgres(conf));
                writePrivate(dir.resolve(DASHBOARD_PASSWORD_FILE), password + "\n");
                PseudonymKey key = writeKey(dir.resolve(KEY_FILE));
                Map<String, String> config = new LinkedHashMap<>();
                config.put(LiveOptions.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
                config.put(LiveOptions.POSTGRES_URL.key(), pg.jdbcUrl());
                config.put(LiveOptions.POSTGRES_USER.key(), LocalPostgres.USER);
                config.put(PrivacyOptions.KEY_FILE.key(), dir.resolve(KEY_FILE).toString());
                config.put(
                        CheckpointingOptions.CHECKPOINTS_DIRECTORY.key(),
                        dir.resolve("checkpoints").toUri().toString());
                writeConfig(
                        configFile(),
                        config,
                        List.of(
                                "Written by 'bin/pulse stack start': the broker and PostgreSQL running in " + dir + ".",
                                "Use it with 'bin/pulse run --job all --config FILE' or 'bin/pulse submit --job all"
                                        + " --config FILE --jobmanager localhost:8081';",
                                "add other keys of deploy/pulse.yaml (docs/user/configuration.md) as you like."));
                return new Started(false, stopped, status(), key.id() + " (" + keyOrigin(key) + ")");
            } catch (IOException | RuntimeException e) {
                kafka.close();
                throw e;
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            pg.close();
            throw e;
        }
    }

    /** Where a key written by {@link #writeKey} came from, in words. */
    static String keyOrigin(PseudonymKey key) {
        return key.origin().equals("ephemeral") ? "new random key" : key.origin();
    }

    /** Stops whatever runs; returns what it stopped ("PostgreSQL (pid 123)", …). */
    public List<String> stop() throws IOException, InterruptedException {
        return Leftovers.stop(dir);
    }

    /**
     * Writes a pseudonymisation key to {@code file}, readable by this user only, as a production
     * key file would be: {@code PULSE_PSEUDONYM_KEY} when set, else a fresh random key.
     */
    static PseudonymKey writeKey(Path file) throws IOException {
        String fromEnv = System.getenv(PrivacyOptions.KEY_ENV);
        PseudonymKey key = fromEnv != null && !fromEnv.isBlank()
                ? PseudonymKey.resolve(new Configuration(), System.getenv(), false)
                : PseudonymKey.generate();
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, key.toBase64() + "\n", StandardCharsets.US_ASCII);
        return key;
    }

    /**
     * Writes {@code entries} as a flat YAML configuration file ({@code pulse run --config}), each
     * value single-quoted so that no path or password is read as anything but a string; readable
     * by this user only, as it may hold a password. {@code comments} head the file.
     */
    static void writeConfig(Path file, Map<String, String> entries, List<String> comments) throws IOException {
        StringBuilder b = new StringBuilder();
        comments.forEach(c -> b.append("# ").append(c).append('\n'));
        entries.forEach(
                (k, v) -> b.append(k).append(": '").append(v.replace("'", "''")).append("'\n"));
        writePrivate(file, b.toString());
    }

    /** The dashboard login's password, or null when the stack has none. */
    public String dashboardPassword() throws IOException {
        Path file = dir.resolve(DASHBOARD_PASSWORD_FILE);
        return Files.isRegularFile(file) ? Files.readString(file).strip() : null;
    }

    /** Writes {@code text} to a new {@code file} that only this user can read. */
    private static void writePrivate(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /**
     * Empties {@code dir}, which must be missing, empty or hold only {@code entries} (an earlier
     * run's); anything else is refused with one line naming {@code option}.
     */
    static void emptyWorkDir(Path dir, List<String> entries, String option, String expected) throws IOException {
        checkWorkDir(dir, entries, option, expected);
        emptyWorkDirKeeping(dir, null);
    }

    /**
     * Refuses {@code dir} with one line naming {@code option} unless it is missing, empty or holds
     * only {@code entries}: a directory the run may empty without losing anything of the user's.
     */
    static void checkWorkDir(Path dir, List<String> entries, String option, String expected) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                List<String> names = s.map(p -> p.getFileName().toString()).toList();
                if (!entries.containsAll(names)) {
                    throw new IllegalArgumentException(
                            option + " " + dir + " holds other files (" + names + "); give " + expected);
                }
            }
        }
    }

    /**
     * Deletes everything in {@code dir} except its entry named {@code keep} (none when null), and
     * creates it if missing. The caller has checked it ({@link #checkWorkDir}).
     */
    static void emptyWorkDirKeeping(Path dir, String keep) throws IOException {
        if (Files.exists(dir)) {
            Path kept = keep == null ? null : dir.resolve(keep);
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    if (!p.equals(dir) && !p.equals(kept)) {
                        Files.delete(p);
                    }
                }
            }
        }
        Files.createDirectories(dir);
    }
}
