package dev.durable.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowNotFoundException;
import dev.durable.client.WorkflowStub;
import dev.durable.testing.TestEnv;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signals are recorded durably and delivered exactly once, in the order the server accepted them. */
class SignalTest {
  @WorkflowInterface
  public interface Inbox {
    @WorkflowMethod
    List<String> run(int expected);

    @SignalMethod
    void add(String message);

    @QueryMethod
    List<String> messages();
  }

  public static final class InboxImpl implements Inbox {
    private final List<String> messages = new ArrayList<>();

    @Override
    public List<String> run(int expected) {
      Workflow.await(() -> messages.size() >= expected);
      return messages;
    }

    @Override
    public void add(String message) {
      messages.add(message);
    }

    @Override
    public List<String> messages() {
      return messages;
    }
  }

  @WorkflowInterface
  public interface LastCall {
    @WorkflowMethod
    List<String> run();

    @SignalMethod
    void add(String message);
  }

  static volatile CountDownLatch holding = new CountDownLatch(1);
  static volatile CountDownLatch release = new CountDownLatch(1);
  static final AtomicBoolean holdOnce = new AtomicBoolean();

  /** Once it has "last", it returns; the first time, it is held there (a test hook) while a signal arrives. */
  public static final class LastCallImpl implements LastCall {
    private final List<String> messages = new ArrayList<>();

    @Override
    public List<String> run() {
      Workflow.await(() -> messages.contains("last"));
      if (holdOnce.compareAndSet(true, false)) {
        holding.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
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
    env = TestEnv.open(dir);
  }

  @AfterEach
  void close() {
    release.countDown();
    env.close();
  }

  private void startWorker(int cacheSize) {
    env.startWorker(b -> b.registerWorkflowImplementationTypes(InboxImpl.class, LastCallImpl.class)
        .setStickyCacheSize(cacheSize));
  }

  @Test
  void signalsSentInQuickSuccessionAreDeliveredOnceEachInOrder() {
    startWorker(600);
    WorkflowClient.start(env.newWorkflow(Inbox.class, "inbox")::run, 30);
    WorkflowStub inbox = env.stub("inbox");
    List<String> sent = IntStream.range(0, 30).mapToObj(i -> "m" + i).toList();
    sent.forEach(m -> inbox.signal("add", m));

    assertEquals(sent, env.result("inbox", List.class));
    assertEquals(30, env.eventTypes("inbox").stream().filter("WorkflowExecutionSignaled"::equals).count());
  }

  @Test
  void signalsStayExactlyOnceWhenTheRunIsEvictedAndReplayed() {
    startWorker(1);
    WorkflowClient.start(env.newWorkflow(Inbox.class, "one")::run, 10);
    WorkflowClient.start(env.newWorkflow(Inbox.class, "two")::run, 10);
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      sent.add("m" + i);
      env.stub("one").signal("add", "m" + i);
      env.stub("two").signal("add", "m" + i);
    }
    assertEquals(sent, env.result("one", List.class));
    assertEquals(sent, env.result("two", List.class));
  }

  @Test
  void signalsFromConcurrentSendersAreEachDeliveredOnceKeepingEachSendersOrder() {
    startWorker(600);
    WorkflowClient.start(env.newWorkflow(Inbox.class, "busy")::run, 40);
    CompletableFuture<?> x = CompletableFuture.runAsync(() -> IntStream.range(0, 20).forEach(i -> env.stub("busy").signal("add", "x" + i)));
    CompletableFuture<?> y = CompletableFuture.runAsync(() -> IntStream.range(0, 20).forEach(i -> env.stub("busy").signal("add", "y" + i)));
    x.join();
    y.join();

    List<String> received = env.result("busy", List.class);
    assertEquals(40, received.size(), received.toString());
    assertEquals(IntStream.range(0, 20).mapToObj(i -> "x" + i).toList(), received.stream().filter(m -> m.startsWith("x")).toList());
    assertEquals(IntStream.range(0, 20).mapToObj(i -> "y" + i).toList(), received.stream().filter(m -> m.startsWith("y")).toList());
  }

  @Test
  void signalWithAnUnknownNameIsIgnored() {
    startWorker(600);
    WorkflowClient.start(env.newWorkflow(Inbox.class, "picky")::run, 1);
    env.stub("picky").signal("nobodyListens", "lost");
    env.stub("picky").signal("add", "kept");
    assertEquals(List.of("kept"), env.result("picky", List.class));
  }

  @Test
  void signalToAnUnknownWorkflowIdFails() {
    WorkflowNotFoundException e = assertThrows(WorkflowNotFoundException.class, () -> env.stub("ghost").signal("add", "x"));
    assertEquals("DURABLE-207 cannot signal 'add' workflow 'ghost': no workflow with this id exists. Check the id, or"
        + " start it first.", e.getMessage());
  }

  @Test
  void signalToAClosedWorkflowIsDroppedWithoutChangingItsHistory() {
    startWorker(600);
    WorkflowClient.start(env.newWorkflow(Inbox.class, "done")::run, 1);
    env.stub("done").signal("add", "only");
    assertEquals(List.of("only"), env.result("done", List.class));
    List<String> history = env.eventTypes("done");

    env.stub("done").signal("add", "too late");
    assertEquals(history, env.eventTypes("done"));
    assertTrue(history.get(history.size() - 1).equals("WorkflowExecutionCompleted"), history.toString());
  }

  @Test
  void signalThatArrivesWhileTheWorkflowDecidesToCompleteIsSeenBeforeItCompletes() throws InterruptedException {
    holding = new CountDownLatch(1);
    release = new CountDownLatch(1);
    holdOnce.set(true);
    startWorker(600);
    WorkflowClient.start(env.newWorkflow(LastCall.class, "last-call")::run);
    env.stub("last-call").signal("add", "last");
    assertTrue(holding.await(10, TimeUnit.SECONDS), "the completing workflow task did not start");

    env.stub("last-call").signal("add", "late");
    release.countDown();

    assertEquals(List.of("last", "late"), env.result("last-call", List.class));
  }
}
