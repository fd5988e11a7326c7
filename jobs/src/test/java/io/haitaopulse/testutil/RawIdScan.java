package io.haitaopulse.testutil;

import io.haitaopulse.stack.LocalPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Looks for raw user ids where none may be: output files, topics and tables. Text is cut into
 * tokens of id characters ({@code [A-Za-z0-9_-]}) and each token is looked up in the set of raw
 * ids, so an id is found wherever it stands as a whole (in JSON, in CSV, inside Avro bytes read
 * as Latin-1) and a pseudonym that merely contains an id's characters is not a false alarm.
 */
public final class RawIdScan {

    private static final Pattern USER_ID = Pattern.compile("\"user_id\"\\s*:\\s*\"([^\"\\\\]+)\"");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]+");

    private final Set<String> ids;
    private final List<String> leaks = new ArrayList<>();
    private long scannedChars;

    /** A scan for {@code ids}. */
    public RawIdScan(Set<String> ids) {
        this.ids = Set.copyOf(ids);
    }

    /** Every {@code user_id} string value in JSON Lines event files. */
    public static Set<String> userIdsIn(List<Path> eventFiles) throws IOException {
        Set<String> ids = new HashSet<>();
        for (Path f : eventFiles) {
            try (Stream<String> lines = Files.lines(f, StandardCharsets.UTF_8)) {
                lines.forEach(line -> {
                    Matcher m = USER_ID.matcher(line);
                    while (m.find()) {
                        ids.add(m.group(1));
                    }
                });
            }
        }
        return ids;
    }

    /** Scans {@code text}, reporting leaks as coming from {@code where}. */
    public RawIdScan text(String where, String text) {
        scannedChars += text.length();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            if (ids.contains(m.group())) {
                leaks.add(where + ": " + m.group());
            }
        }
        return this;
    }

    /** Scans every file under {@code dir}. */
    public RawIdScan files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                text(f.toString(), new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        return this;
    }

    /** Scans every row of every table in the database's public schema, as JSON text. */
    public RawIdScan tables(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url, LocalPostgres.USER, null);
                Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs =
                    st.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                try (ResultSet rs = st.executeQuery("SELECT row_to_json(x)::text FROM " + t + " x")) {
                    while (rs.next()) {
                        text("table " + t, rs.getString(1));
                    }
                }
            }
        }
        return this;
    }

    /**
     * Scans every record (keys and values, read_uncommitted so that aborted transactions count
     * too) of {@code topics}, their bytes read as Latin-1 so Avro strings stay visible.
     */
    public RawIdScan topics(String bootstrap, List<String> topics) {
        Properties client = new Properties();
        client.put("bootstrap.servers", bootstrap);
        for (String topic : topics) {
            for (ConsumerRecord<byte[], byte[]> r : TopicRecords.read(client, topic, "read_uncommitted")) {
                if (r.key() != null) {
                    text("topic " + topic + " key", new String(r.key(), StandardCharsets.ISO_8859_1));
                }
                if (r.value() != null) {
                    text("topic " + topic, new String(r.value(), StandardCharsets.ISO_8859_1));
                }
            }
        }
        return this;
    }

    /** Where raw ids were found, at most the first 20, sorted; empty when none. */
    public Set<String> leaks() {
        return new TreeSet<>(leaks.subList(0, Math.min(20, leaks.size())));
    }

    /** Characters scanned so far (a scan of nothing proves nothing). */
    public long scannedChars() {
        return scannedChars;
    }
}
