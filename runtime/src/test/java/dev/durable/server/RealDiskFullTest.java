package dev.durable.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowOptions;
import dev.durable.common.DurableException;
import dev.durable.testing.Greetings.Greeting;
import dev.durable.testing.Greetings.GreetingImpl;
import dev.durable.worker.Worker;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk (a small tmpfs): writes fail with DURABLE-302 while it is full, nothing is lost,
 * and the engine takes writes again once space is back, without a restart. Needs permission to
 * mount a tmpfs (root on Linux, as on the CI machines); skipped where that is not allowed.
 */
class RealDiskFullTest {
  @TempDir Path tmp;
  private Path mount;
  private boolean mounted;

  @BeforeEach
  void mountSmallDisk() throws Exception {
    mount = tmp.resolve("small");
    Files.createDirectories(mount);
    Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", mount.toString())
        .redirectErrorStream(true).start();
    mounted = p.waitFor() == 0;
    assumeTrue(mounted, "cannot mount a tmpfs here (needs root): " + new String(p.getInputStream().readAllBytes()));
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      new ProcessBuilder("umount", mount.toString()).start().waitFor();
    }
  }

  @Test
  void writesFailWhileTheDiskIsFullAndWorkAgainOnceSpaceIsBackWithoutARestart() throws Exception {
    Path data = mount.resolve("data");
    Path filler = mount.resolve("filler");
    try (DurableServer server = DurableServer.newBuilder().setDataDir(data).build().start();
         WorkflowClient client = WorkflowClient.newInstance(server);
         Worker worker = Worker.newBuilder(client, "q").registerWorkflowImplementationTypes(GreetingImpl.class)
             .registerActivitiesImplementations((dev.durable.testing.Greetings.Greeter) name -> "Hi " + name).build()) {
      worker.start();
      assertEquals("Hi before", start(client, "before").run("before"));

      fill(filler);
      DurableException refused = null;
      List<String> accepted = new ArrayList<>();
      for (int i = 0; i < 2_000 && refused == null; i++) {
        try {
          WorkflowClient.start(start(client, "full-" + i)::run, "full-" + i);
          accepted.add("full-" + i);
        } catch (DurableException e) {
          refused = e;
        }
      }
      assertNotNull(refused, "the disk never filled up");
      assertEquals("DURABLE-302", refused.getCode(), refused.getMessage());
      assertTrue(refused.getMessage().contains(data.toString()), refused.getMessage());

      Files.delete(filler);
      assertEquals("Hi after", start(client, "after").run("after"), "writes work again without a restart");
      for (String id : accepted) {
        assertEquals("Hi " + id, client.newUntypedWorkflowStub(id).getResult(Duration.ofSeconds(60), String.class));
      }
      assertEquals("Hi before", client.newUntypedWorkflowStub("before").getResult(String.class), "nothing was lost");
    }
  }

  private static Greeting start(WorkflowClient client, String id) {
    return client.newWorkflowStub(Greeting.class, WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId(id).build());
  }

  /** Takes all but a few kilobytes of the disk. */
  private static void fill(Path filler) throws IOException {
    long free = Files.getFileStore(filler.getParent()).getUsableSpace();
    try (RandomAccessFile f = new RandomAccessFile(filler.toFile(), "rw")) {
      byte[] block = new byte[64 * 1024];
      long target = Math.max(0, free - 16 * 1024);
      for (long written = 0; written < target; written += block.length) {
        f.write(block, 0, (int) Math.min(block.length, target - written));
      }
    } catch (IOException full) {
      // filled up to the last byte: that is the point
    }
  }
}
