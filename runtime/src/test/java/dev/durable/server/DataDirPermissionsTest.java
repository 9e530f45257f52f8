package dev.durable.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.durable.client.WorkflowClient;
import dev.durable.testing.ManualClock;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data dir holds every argument and result of every workflow, so only its owner may read
 * it: the directories the server creates are rwx------ and its own files rw-------. RocksDB
 * creates its files with the process umask; they sit in {@code db/}, which nobody else can enter.
 */
class DataDirPermissionsTest {
  @TempDir Path tmp;

  @BeforeEach
  void posixOnly() {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "no POSIX permissions here");
  }

  private static String permissions(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static void startAndStop(Path dataDir) {
    try (DurableServer server = DurableServer.newBuilder().setDataDir(dataDir).setClock(new ManualClock()).build().start();
         WorkflowClient client = WorkflowClient.newInstance(server)) {
      client.listWorkflows(false, 1);
    }
  }

  @Test
  void dataDirTheServerCreatesIsReadableByItsOwnerOnly() throws IOException {
    Path dataDir = tmp.resolve("new/data");
    startAndStop(dataDir);

    assertEquals("rwx------", permissions(dataDir));
    assertEquals("rwx------", permissions(dataDir.resolve("db")));
    assertEquals("rw-------", permissions(dataDir.resolve("durable.lock")));
    assertEquals("rw-------", permissions(dataDir.resolve("db/DURABLE-LAST-SEQUENCE")));
  }

  @Test
  void existingDataDirKeepsItsPermissionsButTheDatabaseInsideIsClosedToOthers() throws IOException {
    Path dataDir = tmp.resolve("shared");
    Files.createDirectory(dataDir);
    Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createDirectory(dataDir.resolve("db"));
    Files.setPosixFilePermissions(dataDir.resolve("db"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(dataDir.resolve("durable.lock"), "");
    Files.setPosixFilePermissions(dataDir.resolve("durable.lock"), PosixFilePermissions.fromString("rw-r--r--"));

    startAndStop(dataDir);

    assertEquals("rwxr-xr-x", permissions(dataDir), "the user chose this directory and its permissions");
    assertEquals("rwx------", permissions(dataDir.resolve("db")));
    assertEquals("rw-------", permissions(dataDir.resolve("durable.lock")));
  }

  @Test
  void backupDirectoryIsReadableByItsOwnerOnly() throws IOException {
    Path backup = tmp.resolve("backup");
    try (DurableServer server = DurableServer.newBuilder().setDataDir(tmp.resolve("data")).build().start()) {
      server.backup(backup);
    }
    assertEquals("rwx------", permissions(backup));
  }
}
