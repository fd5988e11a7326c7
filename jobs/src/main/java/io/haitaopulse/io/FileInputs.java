package io.haitaopulse.io;

import io.haitaopulse.schema.internal.Ingested;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Bounded file sources for replay. Every file gets its own source with its own watermarks, so
 * files covering the same period (clicks.jsonl next to orders.jsonl) never make each other's
 * events late, and each source is named after its file for dead letters.
 */
public final class FileInputs {

    private FileInputs() {}

    /**
     * Expands inputs to regular files: a file stands for itself, a directory for its non-hidden
     * files with the format's extension ({@code .jsonl}, or {@code .csv} for userbehavior) in name
     * order, so that a simulator's {@code truth.json} next to its events is not read as input.
     * Throws {@link IllegalArgumentException} with a one-line reason for a missing or unreadable input.
     */
    public static List<Path> expand(List<Path> inputs, InputFormat format) {
        String extension = format == InputFormat.USERBEHAVIOR ? ".csv" : ".jsonl";
        List<Path> files = new ArrayList<>();
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                try (Stream<Path> s = Files.list(input)) {
                    List<Path> inDir = s.filter(Files::isRegularFile)
                            .filter(p -> !p.getFileName().toString().startsWith("."))
                            .filter(p -> p.getFileName().toString().endsWith(extension))
                            .sorted()
                            .toList();
                    if (inDir.isEmpty()) {
                        throw new IllegalArgumentException(
                                "input directory " + input + " holds no " + extension + " files");
                    }
                    inDir.forEach(p -> files.add(checkReadable(p)));
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot list input directory " + input + ": " + e.getMessage());
                }
            } else {
                files.add(checkReadable(input));
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no input given");
        }
        return files;
    }

    /**
     * One source per file, with {@code watermarks} assigned at the source and events that break
     * {@code skew} turned into dead letters before they can reach the watermark generator. A
     * source's role is its file name ({@code clicks.jsonl}); a name given again by a later input
     * gets {@code #2}, {@code #3}, … in input order.
     */
    public static List<Ingest.Source> open(
            StreamExecutionEnvironment env,
            List<Path> files,
            InputFormat format,
            WatermarkStrategy<Ingested> watermarks,
            ClockSkew skew) {
        List<Ingest.Source> streams = new ArrayList<>();
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i).toAbsolutePath();
            String name = file.getFileName().toString();
            int n = seen.merge(name, 1, Integer::sum);
            String role = n == 1 ? name : name + "#" + n;
            FileSource<Ingested> source = FileSource.forRecordStreamFormat(
                            new LineFileFormat(file.toString(), skew.checking(format.parser())),
                            new org.apache.flink.core.fs.Path(file.toUri()))
                    .build();
            streams.add(new Ingest.Source(
                    role,
                    env.fromSource(source, watermarks, "file:" + role)
                            .uid("file-source-" + role)
                            // One file is one split; more readers would idle.
                            .setParallelism(1)));
        }
        return streams;
    }

    private static Path checkReadable(Path p) {
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("input " + p + " does not exist");
        }
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new IllegalArgumentException("input " + p + " is not a readable file");
        }
        return p;
    }
}
