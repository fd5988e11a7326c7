package io.haitaopulse.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A demo's work directory belongs to one running demo: a second claim in the same JVM is refused
 * in one line naming this process, until the first is released. Across processes: {@link
 * WorkDirLockIT}.
 */
class WorkDirLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondClaimInTheSameJvmIsRefusedUntilTheFirstEnds() throws Exception {
        WorkDirLock first = WorkDirLock.acquire(dir, "--work");
        assertThatThrownBy(() -> WorkDirLock.acquire(dir, "--work"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a demo is already running in " + dir + " (pid "
                        + ProcessHandle.current().pid()
                        + "); stop it first (Ctrl-C where it runs) or give another --work");
        first.close();
        WorkDirLock.acquire(dir, "--work").close();
        assertThat(dir.resolve(WorkDirLock.FILE)).exists();
    }
}
