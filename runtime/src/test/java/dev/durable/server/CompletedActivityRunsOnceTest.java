package dev.durable.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.testing.TestEnv;
import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An activity whose completion was recorded never runs again: not on replay, not after a restart. */
class CompletedActivityRunsOnceTest {
  @ActivityInterface
  public interface Ledger {
    String write(String entry);
  }

  @WorkflowInterface
  public interface Bookkeeping {
    @WorkflowMethod
    String run();

    @SignalMethod
    void close();
  }

  public static final class BookkeepingImpl implements Bookkeeping {
    private final Ledger ledger = Workflow.newActivityStub(Ledger.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());
    private boolean closed;

    @Override
    public String run() {
      String out = ledger.write("open") + ledger.write("debit");
      Workflow.sleep(Duration.ofHours(1));
      out += ledger.write("credit");
      Workflow.await(() -> closed);
      return out + ledger.write("close");
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  static final class CountingLedger implements Ledger {
    final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();

    @Override
    public String write(String entry) {
      executions.computeIfAbsent(entry, k -> new AtomicInteger()).incrementAndGet();
      return entry + ";";
    }

    Map<String, Integer> counts() {
      Map<String, Integer> out = new TreeMap<>();
      executions.forEach((k, v) -> out.put(k, v.get()));
      return out;
    }
  }

  @TempDir Path dir;
  private TestEnv env;
  private final CountingLedger ledger = new CountingLedger();

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
  }

  @AfterEach
  void close() {
    env.close();
  }

  private void startWorker() {
    env.startWorker(b -> b.registerWorkflowImplementationTypes(BookkeepingImpl.class).registerActivitiesImplementations(ledger));
  }

  @Test
  void completedActivitiesAreNotRunAgainAfterRestartsOfServerAndWorker() {
    startWorker();
    WorkflowClient.start(env.newWorkflow(Bookkeeping.class, "books")::run);
    env.awaitEvent("books", "TimerStarted");
    assertEquals(Map.of("debit", 1, "open", 1), ledger.counts());

    env.restartServer();
    startWorker();
    env.clock().advance(Duration.ofHours(1));
    env.awaitEvent("books", "TimerFired");
    env.awaitDescription("books", "the credit to complete",
        d -> d.pendingActivities().isEmpty() && env.eventTypes("books").stream().filter("ActivityTaskCompleted"::equals).count() == 3);

    env.restartServer();
    startWorker();
    env.stub("books").signal("close");

    assertEquals("open;debit;credit;close;", env.result("books", String.class));
    assertEquals(Map.of("close", 1, "credit", 1, "debit", 1, "open", 1), ledger.counts());
  }
}
