package dev.durable.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowQueryException;
import dev.durable.client.WorkflowStub;
import dev.durable.testing.TestEnv;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queries read the workflow's state, from the cached run or from a replay, and may not change it. */
class QueryTest {
  /** Counts workflow instances: a query answered from a replay creates one. */
  static final AtomicInteger INSTANCES = new AtomicInteger();

  @ActivityInterface
  public interface Notifier {
    void notifyAll(String message);
  }

  @WorkflowInterface
  public interface Counter {
    @WorkflowMethod
    int run();

    @SignalMethod
    void increment();

    @SignalMethod
    void finish();

    @QueryMethod
    int count();

    @QueryMethod(name = "describeCount")
    String describe(String prefix);

    @QueryMethod
    String callsAnActivity();

    @QueryMethod
    String sleeps();
  }

  public static final class CounterImpl implements Counter {
    private final Notifier notifier = Workflow.newActivityStub(Notifier.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());
    private int count;
    private boolean finished;

    public CounterImpl() {
      INSTANCES.incrementAndGet();
    }

    @Override
    public int run() {
      Workflow.await(() -> finished);
      return count;
    }

    @Override
    public void increment() {
      count++;
    }

    @Override
    public void finish() {
      finished = true;
    }

    @Override
    public int count() {
      return count;
    }

    @Override
    public String describe(String prefix) {
      return prefix + count;
    }

    @Override
    public String callsAnActivity() {
      notifier.notifyAll("count is " + count);
      return "sent";
    }

    @Override
    public String sleeps() {
      Workflow.sleep(Duration.ofSeconds(1));
      return "slept";
    }
  }

  @TempDir Path dir;
  private TestEnv env;

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
    INSTANCES.set(0);
  }

  @AfterEach
  void close() {
    env.close();
  }

  private void startWorker(int cacheSize) {
    // One poller, so that a task is handled completely (including cache eviction) before the next query.
    env.startWorker(b -> b.registerWorkflowImplementationTypes(CounterImpl.class)
        .registerActivitiesImplementations((Notifier) message -> { })
        .setStickyCacheSize(cacheSize).setMaxConcurrentWorkflowTasks(1));
  }

  @Test
  void queryIsAnsweredFromTheCachedRunAndSeesEverySignalSentBeforeIt() {
    startWorker(600);
    WorkflowClient.start(env.newWorkflow(Counter.class, "cached")::run);
    WorkflowStub stub = env.stub("cached");
    stub.signal("increment");
    stub.signal("increment");

    assertEquals(2, stub.query("count", Integer.class));
    assertEquals("count=2", stub.query("describeCount", String.class, "count="));
    assertEquals(1, INSTANCES.get(), "the cached run answered: no replay");
  }

  @Test
  void typedStubQueryMethodsQueryTheWorkflow() {
    startWorker(600);
    Counter started = env.newWorkflow(Counter.class, "typed");
    WorkflowClient.start(started::run);
    Counter counter = env.client().newWorkflowStub(Counter.class, "typed");
    counter.increment();
    assertEquals(1, counter.count());
    assertEquals("n=1", counter.describe("n="));
  }

  @Test
  void queryOnAnEvictedRunIsAnsweredFromAReplay() {
    startWorker(1);
    WorkflowClient.start(env.newWorkflow(Counter.class, "evicted")::run);
    env.stub("evicted").signal("increment");
    assertEquals(1, env.stub("evicted").query("count", Integer.class));
    WorkflowClient.start(env.newWorkflow(Counter.class, "other")::run);
    assertEquals(0, env.stub("other").query("count", Integer.class));
    int before = INSTANCES.get();

    assertEquals(1, env.stub("evicted").query("count", Integer.class));
    assertEquals(before + 1, INSTANCES.get(), "the query ran on a replayed instance");
  }

  @Test
  void queryAfterARestartIsAnsweredFromAReplay() {
    startWorker(600);
    WorkflowClient.start(env.newWorkflow(Counter.class, "restarted")::run);
    env.stub("restarted").signal("increment");
    env.stub("restarted").signal("increment");
    env.stub("restarted").signal("increment");
    assertEquals(3, env.stub("restarted").query("count", Integer.class));

    env.restartServer();
    startWorker(600);
    assertEquals(3, env.stub("restarted").query("count", Integer.class));
  }

  @Test
  void queryOnAClosedWorkflowSeesItsFinalState() {
    startWorker(600);
    WorkflowClient.start(env.newWorkflow(Counter.class, "closed")::run);
    env.stub("closed").signal("increment");
    env.stub("closed").signal("finish");
    assertEquals(1, env.result("closed", Integer.class));
    assertEquals(1, env.stub("closed").query("count", Integer.class));
  }

  @Test
  void queryThatCallsAnActivityFailsBecauseQueriesAreReadOnly() {
    startWorker(600);
    WorkflowClient.start(env.newWorkflow(Counter.class, "readonly")::run);

    WorkflowQueryException e = assertThrows(WorkflowQueryException.class,
        () -> env.stub("readonly").query("callsAnActivity", String.class));
    assertEquals("DURABLE-209", e.getCode());
    assertTrue(e.getMessage().contains("query 'callsAnActivity' on workflow 'readonly' failed"), e.getMessage());
    assertTrue(e.getMessage().contains("DURABLE-215"), e.getMessage());
    assertTrue(e.getMessage().contains("read-only"), e.getMessage());

    WorkflowQueryException sleep = assertThrows(WorkflowQueryException.class,
        () -> env.stub("readonly").query("sleeps", String.class));
    assertTrue(sleep.getMessage().contains("DURABLE-215 Workflow.sleep was called from a query method"), sleep.getMessage());

    assertFalse(env.eventTypes("readonly").contains("ActivityTaskScheduled"));
    assertFalse(env.eventTypes("readonly").contains("TimerStarted"));
    env.stub("readonly").signal("finish");
    assertEquals(0, env.result("readonly", Integer.class));
  }

  @Test
  void unknownQueryNameFailsListingTheKnownQueries() {
    startWorker(600);
    WorkflowClient.start(env.newWorkflow(Counter.class, "unknown")::run);
    WorkflowQueryException e = assertThrows(WorkflowQueryException.class,
        () -> env.stub("unknown").query("nope", String.class));
    assertTrue(e.getMessage().contains("workflow type Counter has no query named 'nope'; known queries: ["), e.getMessage());
    assertTrue(e.getMessage().contains("describeCount"), e.getMessage());
  }
}
