package io.haitaopulse.live;

import io.haitaopulse.io.FileInputs;
import io.haitaopulse.io.InputFormat;
import io.haitaopulse.privacy.RawRedactor;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * History read by a live job before its Kafka topics ({@code pulse run --backfill}): event files
 * in a replay input format, expanded and checked like replay's inputs. {@link KafkaInputs} puts
 * them in front of every input topic, so that the job's state is warm when it reaches the topics.
 *
 * @param files regular files, in the order given (directories already expanded)
 * @param format their format
 */
public record Backfill(List<Path> files, InputFormat format) {

    /**
     * The topic whose stream carries the history's dead letters (a line that is no event belongs to no
     * topic, and must reach dead_letters exactly once).
     */
    public static final Topics.Input<?> DEAD_LETTERS_TOPIC = Topics.CLICKS;

    public Backfill {
        files = List.copyOf(files);
    }

    /**
     * {@code inputs} (files or directories, as replay's {@code --input}) in {@code format}.
     * Throws {@link IllegalArgumentException} with one line naming {@code --backfill} for a missing,
     * unreadable or empty input, so that it fails before any connection is made.
     */
    public static Backfill of(List<Path> inputs, InputFormat format) {
        try {
            return new Backfill(FileInputs.expand(inputs, format), format);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--backfill: " + e.getMessage(), e);
        }
    }

    /** The files as dead letters name them (absolute paths). */
    public Set<String> sources() {
        return files.stream().map(p -> p.toAbsolutePath().toString()).collect(Collectors.toSet());
    }

    /**
     * The redactor of dead letters' raw input for a job reading this history before its topics:
     * the format's for lines of the files, JSON (what text on a topic usually is) for records.
     */
    public RawRedactor redactor() {
        return format == InputFormat.USERBEHAVIOR
                ? RawRedactor.bySource(sources(), RawRedactor.USER_BEHAVIOR, RawRedactor.JSON)
                : RawRedactor.JSON;
    }
}
