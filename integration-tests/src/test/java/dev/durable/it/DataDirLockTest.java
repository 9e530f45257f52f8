package dev.durable.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.common.DurableException;
import dev.durable.server.DurableServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data dir lock between processes: one server per dir, released when its process ends. */
class DataDirLockTest {
  @TempDir Path tmp;

  @Test
  void aSecondProcessCannotOpenADataDirThatAnotherProcessHolds() throws Exception {
    Path dataDir = tmp.resolve("data");
    try (ChildJvm holder = ChildJvm.start(tmp, "holder", HoldDataDir.class.getName(), dataDir)) {
      holder.awaitLine("the holding line", line -> line.startsWith("holding "));

      DurableServer second = DurableServer.newBuilder().setDataDir(dataDir).build();
      DurableException e = assertThrows(DurableException.class, second::start);

      assertEquals("DURABLE-301", e.getCode());
      assertTrue(e.getMessage().startsWith("DURABLE-301 "), e.getMessage());
      assertTrue(e.getMessage().contains(dataDir.toAbsolutePath().toString()), e.getMessage());
      assertTrue(e.getMessage().contains("process " + holder.pid()), e.getMessage());

      holder.closeStdin();
      assertEquals(0, holder.awaitExit(), holder.report());
      assertEquals(List.of("holding " + dataDir, "released"), holder.stdoutLines());
    }
    DurableServer.newBuilder().setDataDir(dataDir).build().start().close();
  }

  @Test
  void aSigkilledServerLeavesNoStaleLock() throws Exception {
    Path dataDir = tmp.resolve("data");
    try (ChildJvm holder = ChildJvm.start(tmp, "holder", HoldDataDir.class.getName(), dataDir)) {
      holder.awaitLine("the holding line", line -> line.startsWith("holding "));
      holder.kill();
    }
    try (DurableServer server = DurableServer.newBuilder().setDataDir(dataDir).build().start()) {
      assertEquals(dataDir, server.getDataDir());
    }
  }
}
