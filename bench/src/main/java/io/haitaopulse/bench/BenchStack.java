package io.haitaopulse.bench;

import io.haitaopulse.live.LiveOptions;
import io.haitaopulse.live.LiveSetup;
import io.haitaopulse.privacy.PrivacyOptions;
import io.haitaopulse.privacy.PseudonymKey;
import io.haitaopulse.stack.LocalKafka;
import io.haitaopulse.stack.LocalPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.commons.io.file.PathUtils;
import org.apache.flink.configuration.Configuration;

/**
 * A fresh Kafka broker (child JVM) and embedded PostgreSQL under one directory for a Kafka case,
 * with the input topics created at {@code partitions} partitions each.
 */
final class BenchStack implements AutoCloseable {

    final LocalPostgres pg;
    final LocalKafka kafka;
    final int partitions;
    private final Path dir;

    private BenchStack(LocalPostgres pg, LocalKafka kafka, int partitions, Path dir) {
        this.pg = pg;
        this.kafka = kafka;
        this.partitions = partitions;
        this.dir = dir;
    }

    /** CPU seconds of the broker and of PostgreSQL so far; either null where it cannot be read. */
    ServiceCpu cpu() {
        return new ServiceCpu(
                ProcessCpu.treeSeconds(kafka.pid()),
                postgresPid().map(ProcessCpu::treeSeconds).orElse(null));
    }

    /** The postmaster's pid: the first line of its {@code postmaster.pid}. */
    private Optional<Long> postgresPid() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("postgres/data/postmaster.pid"));
            return lines.isEmpty()
                    ? Optional.empty()
                    : Optional.of(Long.parseLong(lines.get(0).strip()));
        } catch (IOException | NumberFormatException e) {
            // Not running (or not yet): its time is reported as not measured.
            return Optional.empty();
        }
    }

    /**
     * CPU seconds of the services beside the job: the Kafka broker and PostgreSQL (null: not
     * measured).
     */
    record ServiceCpu(Double broker, Double postgres) {
        /** The time spent between {@code before} and this reading. */
        ServiceCpu since(ServiceCpu before) {
            return new ServiceCpu(minus(broker, before.broker), minus(postgres, before.postgres));
        }

        private static Double minus(Double after, Double before) {
            return after == null || before == null ? null : after - before;
        }
    }

    /** Starts both under {@code dir} (emptied first). */
    static BenchStack start(Path dir, int partitions) throws IOException, InterruptedException {
        if (dir.toFile().exists()) {
            PathUtils.deleteDirectory(dir);
        }
        LocalPostgres pg = LocalPostgres.start(dir.resolve("postgres"), 0);
        try {
            LocalKafka kafka = LocalKafka.start(dir.resolve("kafka"), 0, Duration.ofSeconds(90));
            LiveSetup.createTopics(kafka.bootstrapServers(), partitions, List.of());
            return new BenchStack(pg, kafka, partitions, dir);
        } catch (IOException | InterruptedException | RuntimeException e) {
            pg.close();
            throw e;
        }
    }

    /** {@code jobConf} plus the live options that point a job at this broker and database, reading from the start. */
    Configuration liveConf(Configuration jobConf, String group) {
        Configuration conf = new Configuration(jobConf);
        conf.set(LiveOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        conf.set(LiveOptions.GROUP_ID, group);
        conf.setString(LiveOptions.STARTING_OFFSETS.key(), "EARLIEST");
        conf.set(LiveOptions.PARTITIONS, partitions);
        conf.set(LiveOptions.POSTGRES_URL, pg.jdbcUrl());
        conf.set(LiveOptions.POSTGRES_USER, LocalPostgres.USER);
        // A live job refuses to start without a key; a random one costs what a real one does.
        conf.set(PrivacyOptions.PSEUDONYM_SECRET, PseudonymKey.generate().toBase64());
        return conf;
    }

    @Override
    public void close() throws IOException {
        try {
            kafka.close();
        } finally {
            pg.close();
        }
    }
}
