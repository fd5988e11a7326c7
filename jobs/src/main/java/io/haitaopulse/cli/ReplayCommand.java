package io.haitaopulse.cli;

import io.haitaopulse.bots.BotFilter;
import io.haitaopulse.bots.BotOptions;
import io.haitaopulse.io.InputFormat;
import io.haitaopulse.privacy.PrivacyOptions;
import io.haitaopulse.runtime.Replay;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pulse replay}: the bounded path of CONTRACTS §1. */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = "Run a job on files: the production job graph on a local MiniCluster (or a cluster), "
                + "one JSON Lines file per output table in --out.")
final class ReplayCommand implements Callable<Integer> {

    @Option(
            names = "--job",
            required = true,
            paramLabel = "JOB",
            description = "trends, uplift, sourcing, traffic or all.")
    String job;

    @Option(
            names = "--input",
            required = true,
            paramLabel = "PATH",
            description = "Input file or directory; repeat for several. Each file is its own source.")
    List<Path> inputs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            converter = FormatConverter.class,
            description = "jsonl (default) or userbehavior.")
    InputFormat format = InputFormat.JSONL;

    @Option(names = "--parallelism", paramLabel = "N", description = "Parallelism of keyed operators (default: 2).")
    int parallelism = 2;

    @Option(
            names = "--jobmanager",
            paramLabel = "HOST:PORT",
            description =
                    "Submit to this Flink session cluster instead of a MiniCluster; paths must be reachable by its TaskManagers.")
    String jobManager;

    @Mixin
    JobOptionsMixin options;

    private static String rule(Map<String, Long> counts, String rule) {
        return rule + " blacklisted " + counts.get(BotFilter.usersCounter(rule)) + " users, held out "
                + counts.get(BotFilter.eventsCounter(rule)) + " clicks";
    }

    @Override
    public Integer call() throws Exception {
        if (parallelism < 1) {
            throw new IllegalArgumentException("--parallelism must be at least 1");
        }
        Replay.Result r = Replay.run(new Replay.Spec(
                job,
                inputs,
                out,
                format,
                options.toConfiguration(),
                parallelism,
                jobManager,
                jobManager == null ? null : PulseCli.jobJar()));
        System.out.println(r.summary(job));
        System.out.println("user ids pseudonymised with key " + r.keyId() + " (" + r.keyOrigin()
                + ("ephemeral".equals(r.keyOrigin())
                        ? ": pseudonyms differ from run to run; set PULSE_PSEUDONYM_KEY to keep them"
                        : "")
                + "); segment rows under k = " + options.toConfiguration().get(PrivacyOptions.K_ANONYMITY)
                + " users suppressed: "
                + r.kSuppressed());
        if (options.toConfiguration().get(BotOptions.ENABLED)) {
            Map<String, Long> b = r.botCounts();
            System.out.println("bot filter: " + rule(b, BotFilter.REPEAT_ITEM) + "; " + rule(b, BotFilter.NO_DWELL));
        }
        return 0;
    }
}
