package dev.durable.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.WorkflowClient;
import dev.durable.testing.TestEnv;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A signal that arrives while a workflow task runs is held back until the task completes. If the
 * server stops first, the held signal must still come before every signal accepted after it
 * (found by the crash torture test, where a kill landed right after such a signal's acknowledgement).
 */
class SignalOrderAcrossRestartTest {
  @WorkflowInterface
  public interface Collector {
    @WorkflowMethod
    List<String> run(int expected);

    @SignalMethod
    void add(String message);
  }

  static volatile CountDownLatch running = new CountDownLatch(1);
  static volatile CountDownLatch release = new CountDownLatch(1);

  /** Its first workflow task is held (a test hook) until released, so that a signal arrives during it. */
  public static final class CollectorImpl implements Collector {
    private final List<String> messages = new ArrayList<>();

    @Override
    public List<String> run(int expected) {
      if (running.getCount() > 0) {
        running.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      Workflow.await(() -> messages.size() >= expected);
      return messages;
    }

    @Override
    public void add(String message) {
      messages.add(message);
    }
  }

  @TempDir Path dir;
  private TestEnv env;

  @BeforeEach
  void open() {
    running = new CountDownLatch(1);
    release = new CountDownLatch(1);
    env = TestEnv.open(dir);
  }

  @AfterEach
  void close() {
    release.countDown();
    env.close();
  }

  @Test
  void signalHeldBackByATaskThatDiedWithTheServerComesBeforeSignalsSentAfterTheRestart() throws Exception {
    env.startWorker(b -> b.registerWorkflowImplementationTypes(CollectorImpl.class));
    WorkflowClient.start(env.newWorkflow(Collector.class, "collector")::run, 2);
    assertTrue(running.await(10, TimeUnit.SECONDS), "the first workflow task did not start");
    env.stub("collector").signal("add", "first"); // held back: the task is running

    env.closeServerUnderRunningWorkers(); // the task dies with the server
    release.countDown();
    env.restartServer();
    env.stub("collector").signal("add", "second"); // no worker yet: nothing runs
    env.startWorker(b -> b.registerWorkflowImplementationTypes(CollectorImpl.class));

    assertEquals(List.of("first", "second"), env.result("collector", List.class));
  }
}
