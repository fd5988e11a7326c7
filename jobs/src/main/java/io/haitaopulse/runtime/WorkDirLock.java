package io.haitaopulse.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Claims a demo's work directory for one running demo: an exclusive operating-system lock on
 * {@value #FILE} in it, held until {@link #close} or the JVM's end (the kernel releases it when the
 * process dies, also after {@code kill -9}), with the holder's pid written in it for the message.
 *
 * <p>Why: a demo cleans up after an earlier demo that was killed by stopping the servers its work
 * directory's pid files name. Without the lock, a second demo started on the directory of one
 * still running would take that demo's live cluster, broker and database for leftovers and stop
 * them under it. With it, the second demo refuses in one line and touches nothing.
 */
public final class WorkDirLock implements AutoCloseable {

    /** The lock file's name in the work directory; it stays there between runs. */
    public static final String FILE = "demo.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private WorkDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code dir} (created if missing) for this process.
     *
     * @throws IllegalArgumentException naming the holder's pid when another demo, in this or another
     *     process, holds the directory
     */
    public static WorkDirLock acquire(Path dir, String option) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE);
        FileChannel ch =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException sameJvm) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            String holder = holder(ch);
            ch.close();
            throw new IllegalArgumentException("a demo is already running in " + dir
                    + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                    + "; stop it first (Ctrl-C where it runs) or give another " + option);
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        ch.force(false);
        return new WorkDirLock(ch, lock);
    }

    /** The pid the holder wrote, or "" when it has not written it yet. */
    private static String holder(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(32);
        ch.read(b, 0);
        return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip();
    }

    /** Releases the directory; the file stays. */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
