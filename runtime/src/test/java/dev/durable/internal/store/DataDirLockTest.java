package dev.durable.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.common.DurableException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data dir lock keeps other servers out, in this JVM and in other processes. */
class DataDirLockTest {
  @TempDir Path dir;

  /** Run in a child JVM: prints whether it could lock the data dir's lock file. */
  public static void main(String[] args) throws IOException {
    try (FileChannel ch = FileChannel.open(Paths.get(args[0]).resolve(DataDirLock.FILE),
        StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      FileLock lock = ch.tryLock();
      System.out.print(lock == null ? "busy" : "locked");
    }
  }

  private String otherProcessTriesToLock() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        DataDirLockTest.class.getName(), dir.toString()).redirectErrorStream(true).start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the child JVM did not finish");
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void secondLockInTheSameJvmFailsNamingTheDirAndTheHolder() {
    try (DataDirLock first = DataDirLock.acquire(dir)) {
      DurableException e = assertThrows(DurableException.class, () -> DataDirLock.acquire(dir));
      assertEquals("DURABLE-301 data dir " + dir.toAbsolutePath() + " is in use by another server (process "
          + ProcessHandle.current().pid() + ", this JVM). Only one server may open a data dir: stop the other one, or use"
          + " another data dir.", e.getMessage());
    }
    DataDirLock.acquire(dir).close(); // released on close
  }

  @Test
  void failedSecondLockInTheSameJvmDoesNotReleaseTheFirstForOtherProcesses() throws Exception {
    try (DataDirLock first = DataDirLock.acquire(dir)) {
      assertEquals("busy", otherProcessTriesToLock());
      assertThrows(DurableException.class, () -> DataDirLock.acquire(dir));
      assertEquals("busy", otherProcessTriesToLock(), "the failed attempt must leave the lock held");
    }
    assertEquals("locked", otherProcessTriesToLock());
  }
}
