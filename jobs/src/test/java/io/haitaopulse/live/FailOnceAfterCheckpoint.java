package io.haitaopulse.live;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Passes records through, and once per test (a marker file remembers) throws after at least one
 * checkpoint has completed and {@code after} records have passed: a failure in the middle of the
 * stream that forces a restore from a real checkpoint.
 */
final class FailOnceAfterCheckpoint<T> implements MapFunction<T, T>, CheckpointListener {

    private static final long serialVersionUID = 1L;

    private final String marker;
    private final long after;
    private long seen;
    private boolean checkpointed;

    FailOnceAfterCheckpoint(String marker, long after) {
        this.marker = marker;
        this.after = after;
    }

    @Override
    public T map(T value) throws IOException {
        seen++;
        Path m = Paths.get(marker);
        if (checkpointed && seen >= after && !Files.exists(m)) {
            Files.createFile(m);
            throw new IOException("injected failure after a completed checkpoint (test)");
        }
        return value;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        checkpointed = true;
    }
}
