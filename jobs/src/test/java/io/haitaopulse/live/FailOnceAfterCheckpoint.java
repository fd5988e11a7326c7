package io.haitaopulse.live;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Passes records through, and once per test (a marker file remembers) fails the task when a
 * checkpoint completes after at least {@code after} records have passed: a failure in the middle
 * of the stream that forces a restore from a real checkpoint.
 *
 * <p>Failing in {@link #notifyCheckpointComplete} rather than on a record makes the failure
 * certain: a faster pipeline once emitted all its rows before the first checkpoint completed, so a
 * failure waiting for "a record after a checkpoint" never came. A task always hears of a
 * checkpoint completing while it runs (at the latest the final one, which two-phase sinks need
 * before they finish), so the failure happens in every run.
 */
final class FailOnceAfterCheckpoint<T> implements MapFunction<T, T>, CheckpointListener {

    private static final long serialVersionUID = 1L;

    private final String marker;
    private final long after;
    private long seen;

    FailOnceAfterCheckpoint(String marker, long after) {
        this.marker = marker;
        this.after = after;
    }

    @Override
    public T map(T value) {
        seen++;
        return value;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws IOException {
        if (seen < after) {
            return;
        }
        try {
            Files.createFile(Paths.get(marker));
        } catch (FileAlreadyExistsException alreadyFailedOnce) {
            return;
        }
        throw new IOException("injected failure after completed checkpoint " + checkpointId + " (test)");
    }
}
