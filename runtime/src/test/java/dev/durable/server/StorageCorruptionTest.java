package dev.durable.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.common.DurableException;
import dev.durable.testing.TestEnv;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged files in a data dir (bytes overwritten in the middle, or the file cut short) make
 * {@code start()} refuse with DURABLE-303 naming the file and the way out, instead of starting
 * without the events they held. The server on the last backup then has everything up to it.
 */
class StorageCorruptionTest {
  private static final int WORKFLOWS = 20;

  @ActivityInterface
  public interface Note {
    String note(String text);
  }

  @WorkflowInterface
  public interface Diary {
    @WorkflowMethod
    String run(int pages);
  }

  public static final class DiaryImpl implements Diary {
    private final Note note = Workflow.newActivityStub(Note.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());

    @Override
    public String run(int pages) {
      String last = "";
      for (int i = 0; i < pages; i++) {
        last = note.note("page " + i + " of a diary that fills the history with a few hundred bytes per event");
      }
      Workflow.sleep(Duration.ofDays(1));
      return last;
    }
  }

  @TempDir Path tmp;
  private Path dataDir;
  private Path backup;

  /**
   * Fills a data dir with 20 diaries waiting on a timer, backs it up and closes it cleanly. The
   * backup is copied, as docs/operations.md says: on the same file system a checkpoint shares its
   * table files with the data dir (hard links), so damage to one of them would hit both.
   */
  @BeforeEach
  void writeDataDir() {
    dataDir = tmp.resolve("data");
    backup = tmp.resolve("backup-copy");
    Path checkpoint = tmp.resolve("backup");
    try (TestEnv env = TestEnv.open(dataDir)) {
      env.startWorker(b -> b.registerWorkflowImplementationTypes(DiaryImpl.class)
          .registerActivitiesImplementations((Note) text -> "noted " + text));
      for (int i = 0; i < WORKFLOWS; i++) {
        WorkflowClient.start(env.newWorkflow(Diary.class, "diary-" + i)::run, 10);
      }
      for (int i = 0; i < WORKFLOWS; i++) {
        env.awaitEvent("diary-" + i, "TimerStarted");
      }
      env.server().backup(checkpoint);
    }
    copy(checkpoint, backup);
  }

  private Path db() {
    return dataDir.resolve("db");
  }

  /** The largest file of the database whose name matches {@code pattern}: the one with the histories. */
  private Path largest(String pattern) throws IOException {
    try (Stream<Path> files = Files.list(db())) {
      return files.filter(p -> p.getFileName().toString().matches(pattern))
          .max(Comparator.comparingLong(p -> p.toFile().length()))
          .orElseThrow(() -> new AssertionError("no file " + pattern + " in " + Arrays.toString(db().toFile().list())));
    }
  }

  private static void overwriteMiddle(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      byte[] junk = new byte[16];
      Arrays.fill(junk, (byte) 0x5a);
      ch.write(ByteBuffer.wrap(junk), ch.size() / 2);
    }
  }

  private static void truncateToHalf(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() / 2);
    }
  }

  private DurableException startFails() {
    DurableException e = assertThrows(DurableException.class,
        () -> DurableServer.newBuilder().setDataDir(dataDir).build().start().close());
    assertEquals("DURABLE-303", e.getCode(), e.getMessage());
    assertTrue(e.getMessage().contains("Keep the damaged directory for analysis"), e.getMessage());
    assertTrue(e.getMessage().contains("start the server on the latest backup (DurableServer.backup); runs started"
        + " after that backup are lost."), e.getMessage());
    return e;
  }

  /** The way out the message names: the backup has every workflow, each with a valid history. */
  private void backupStillServesEveryWorkflow() {
    try (TestEnv restored = TestEnv.open(backup)) {
      restored.startWorker(b -> b.registerWorkflowImplementationTypes(DiaryImpl.class));
      assertEquals(WORKFLOWS, restored.client().listWorkflows(false, 100).size());
      restored.clock().advance(Duration.ofDays(1));
      assertEquals("noted page 9 of a diary that fills the history with a few hundred bytes per event",
          restored.result("diary-7", String.class));
    }
  }

  @Test
  void cleanlyClosedDataDirKeepsItsEventsInTableFilesNotOnlyInTheLog() throws IOException {
    // So that a write-ahead log cut short while the server is down cannot lose anything.
    try (Stream<Path> files = Files.list(db())) {
      List<Path> logs = files.filter(p -> p.toString().endsWith(".log")).toList();
      for (Path log : logs) {
        assertEquals(0, Files.size(log), log + " still holds records after a clean close");
      }
    }
    assertTrue(Files.size(largest(".*\\.sst")) > 10_000);
  }

  @Test
  void tableFileWithOverwrittenBytesStopsTheStartNamingTheFile() throws IOException {
    Path sst = largest(".*\\.sst");
    overwriteMiddle(sst);

    DurableException e = startFails();

    assertTrue(e.getMessage().contains("block checksum mismatch"), e.getMessage());
    assertTrue(e.getMessage().contains(sst.toString()), e.getMessage());
    backupStillServesEveryWorkflow();
  }

  @Test
  void tableFileCutShortStopsTheStartNamingTheFile() throws IOException {
    Path sst = largest(".*\\.sst");
    truncateToHalf(sst);

    DurableException e = startFails();

    assertTrue(e.getMessage().contains("Sst file size mismatch"), e.getMessage());
    assertTrue(e.getMessage().contains(sst.toString()), e.getMessage());
  }

  @Test
  void manifestWithOverwrittenBytesStopsTheStartNamingTheFile() throws IOException {
    Path manifest = largest("MANIFEST-.*");
    overwriteMiddle(manifest);

    DurableException e = startFails();

    assertTrue(e.getMessage().contains(manifest + " may be corrupted"), e.getMessage());
  }

  @Test
  void manifestCutShortStopsTheStartNamingItAndTheTableFilesItNoLongerListsAndKeepsThem() throws IOException {
    // RocksDB alone would open the older state the rest of the MANIFEST describes and delete the
    // newer table files as obsolete: every diary would be gone without an error.
    Path manifest = largest("MANIFEST-.*");
    List<Path> tables = tableFiles();
    truncateToHalf(manifest);

    DurableException e = startFails();

    assertTrue(e.getMessage().contains("The file " + manifest + " was cut short or replaced by an older copy; it does"
        + " not list the table files ["), e.getMessage());
    assertTrue(e.getMessage().contains("RocksDB's 'ldb repair' can rebuild a MANIFEST from the table files"), e.getMessage());
    assertEquals(tables, tableFiles(), "the refused start deleted nothing");
    backupStillServesEveryWorkflow();
  }

  private List<Path> tableFiles() throws IOException {
    try (Stream<Path> files = Files.list(db())) {
      return files.filter(p -> p.toString().endsWith(".sst")).sorted().toList();
    }
  }

  @Test
  void writeAheadLogDamagedBeforeItsLastRecordStopsTheStartNamingTheLog() throws IOException {
    // A data dir as a crash leaves it: the events since the last open are only in the log.
    Path crashed = tmp.resolve("crashed");
    try (TestEnv env = TestEnv.open(dataDir)) {
      env.startWorker(b -> b.registerWorkflowImplementationTypes(DiaryImpl.class)
          .registerActivitiesImplementations((Note) text -> "noted " + text));
      env.clock().advance(Duration.ofDays(1));
      for (int i = 0; i < WORKFLOWS; i++) {
        env.result("diary-" + i, String.class);
      }
      copy(dataDir, crashed); // while the server runs, as a crash would leave the files
    }
    dataDir = crashed;
    Path log = largest(".*\\.log");
    assertTrue(Files.size(log) > 10_000, "the log holds the records since the last open");
    overwriteMiddle(log);

    DurableException e = startFails();

    assertTrue(e.getMessage().contains("(found while replaying the write-ahead log: " + log + ")"), e.getMessage());
  }

  private static void copy(Path from, Path to) {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (!p.getFileName().toString().equals("LOCK")) {
          Files.copy(p, target);
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
