package dev.durable.internal.store;

import dev.durable.common.DurableException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exclusive lock on a data dir, held for as long as a server has it open. The lock file
 * holds the owner's pid so that the error names who has it. The OS releases the lock when the
 * process dies, so a SIGKILLed server never leaves a stale lock behind.
 */
public final class DataDirLock implements AutoCloseable {
  static final String FILE = "durable.lock";

  /**
   * Data dirs locked by this JVM. File locks are per process, and on Linux (POSIX fcntl locks)
   * closing <i>any</i> channel to the lock file releases the process's lock on it. So a second
   * server of this JVM must be turned away before it opens the file, or its failed attempt would
   * silently unlock the dir for other processes.
   */
  private static final Set<Path> HELD_BY_THIS_JVM = ConcurrentHashMap.newKeySet();

  private final Path key;
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(Path key, FileChannel channel, FileLock lock) {
    this.key = key;
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock or fails with DURABLE-301 naming the dir and the holder. */
  public static DataDirLock acquire(Path dir) {
    Path file = dir.resolve(FILE);
    Path key = null;
    FileChannel ch = null;
    try {
      OwnerOnly.createDirectories(dir);
      key = dir.toRealPath();
      if (!HELD_BY_THIS_JVM.add(key)) {
        key = null;
        throw inUse(dir, ProcessHandle.current().pid() + ", this JVM");
      }
      ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
          OwnerOnly.fileAttributes());
      OwnerOnly.restrictFile(file); // also when an older version created it
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
        throw inUse(dir, holder);
      }
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)), 0);
      ch.force(true);
      return new DataDirLock(key, ch, lock);
    } catch (IOException | RuntimeException e) {
      try {
        if (ch != null) ch.close();
      } catch (IOException ignored) {
        // the original error is the one to report
      }
      if (key != null) {
        HELD_BY_THIS_JVM.remove(key);
      }
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new DurableException("DURABLE-302", "cannot lock data dir " + dir.toAbsolutePath() + ": " + e
          + ". Check that the directory exists and is writable.", e);
    }
  }

  private static DurableException inUse(Path dir, String holder) {
    return new DurableException("DURABLE-301", "data dir " + dir.toAbsolutePath() + " is in use by another server"
        + (holder.isEmpty() ? "" : " (process " + holder + ")")
        + ". Only one server may open a data dir: stop the other one, or use another data dir.");
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // releasing happens at shutdown; the OS frees the lock with the process anyway
    } finally {
      HELD_BY_THIS_JVM.remove(key);
    }
  }
}
