package dev.durable.server;

import static dev.durable.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.WorkflowAlreadyStartedException;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowDescription;
import dev.durable.client.WorkflowIdReusePolicy;
import dev.durable.client.WorkflowNotFoundException;
import dev.durable.client.WorkflowOptions;
import dev.durable.client.WorkflowStatus;
import dev.durable.internal.server.ServerCore;
import dev.durable.testing.Greetings;
import dev.durable.testing.Hopper;
import dev.durable.testing.TestEnv;
import dev.durable.workflow.ChildWorkflowOptions;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention: a closed run is deleted once it has been closed for the retention, whole (history,
 * state, listing, its workflow id), on the server's clock; open runs, runs closed more recently
 * and child runs an open parent still waits for are kept.
 */
class RetentionTest {
  private static final Duration RETENTION = Duration.ofHours(1);

  @WorkflowInterface
  public interface Parent {
    @WorkflowMethod
    String run();
  }

  public static final class ParentImpl implements Parent {
    @Override
    public String run() {
      Hopper child = Workflow.newChildWorkflowStub(Hopper.class,
          ChildWorkflowOptions.newBuilder().setWorkflowId("hopper").build());
      return "parent heard: " + child.hop(1);
    }
  }

  @TempDir Path dir;
  private TestEnv env;

  @AfterEach
  void close() {
    if (env != null) {
      env.close();
    }
  }

  private void open(Duration retention) {
    env = TestEnv.open(dir, b -> b.setRetention(retention));
    env.startWorker(w -> w.registerWorkflowImplementationTypes(Greetings.GreetingImpl.class, Hopper.Impl.class,
        ParentImpl.class).registerActivitiesImplementations((Greetings.Greeter) name -> "Hello, " + name + "!"));
  }

  private String greet(String workflowId) {
    return env.newWorkflow(Greetings.Greeting.class, workflowId).run(workflowId);
  }

  private ServerCore core() {
    return (ServerCore) env.server().workflowService();
  }

  /** Whether the run's history is still stored. */
  private boolean stored(String runId) {
    return !core().readHistory(runId, 1).isEmpty();
  }

  private void awaitDeleted(String workflowId) {
    eventually(workflowId + " to be deleted", () -> env.stub(workflowId).describe().isEmpty());
  }

  @Test
  void aClosedRunIsDeletedWholeOnceItHasBeenClosedForTheRetention() {
    open(RETENTION);
    assertEquals("Hello, old!", greet("old"));
    String oldRun = env.describe("old").runId();
    env.clock().advance(Duration.ofMinutes(30));
    assertEquals("Hello, newer!", greet("newer"));
    WorkflowClient.start(env.newWorkflow(Hopper.class, "running")::hop, 0);
    env.awaitEvent("running", "WorkflowTaskCompleted"); // waiting: a clock moved during a task would time it out

    env.clock().advance(Duration.ofMinutes(31)); // old: closed 61 minutes ago; newer: 31
    awaitDeleted("old");
    assertFalse(stored(oldRun));
    WorkflowNotFoundException gone = assertThrows(WorkflowNotFoundException.class, () -> env.stub("old").getHistory());
    assertTrue(gone.getMessage().contains("no workflow with this id exists"), gone.getMessage());
    assertThrows(WorkflowNotFoundException.class, () -> env.stub("old").getResult(String.class));
    assertEquals(List.of("newer", "running"), env.client().listWorkflows(false, 10).stream()
        .map(WorkflowDescription::workflowId).sorted().toList());
    assertEquals("Hello, newer!", env.stub("newer").getResult(String.class));

    env.clock().advance(Duration.ofMinutes(30));
    awaitDeleted("newer");
    assertEquals(WorkflowStatus.RUNNING, env.describe("running").status(), "an open run is never deleted");
    env.clock().advance(Duration.ofDays(30));
    env.stub("running").signal("land");
    assertEquals("landed", env.result("running", String.class));
    env.assertHistoriesValid();
  }

  @Test
  void aDeletedWorkflowIdCanBeStartedAgainWhateverItsReusePolicy() {
    open(RETENTION);
    greet("once");
    WorkflowOptions rejecting = WorkflowOptions.newBuilder().setTaskQueue(TestEnv.TASK_QUEUE).setWorkflowId("once")
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.REJECT_DUPLICATE).build();
    assertThrows(WorkflowAlreadyStartedException.class,
        () -> env.client().newWorkflowStub(Greetings.Greeting.class, rejecting).run("again"));

    env.clock().advance(RETENTION.plusMinutes(2));
    awaitDeleted("once");
    assertEquals("Hello, again!", env.client().newWorkflowStub(Greetings.Greeting.class, rejecting).run("again"));
    assertEquals(1, env.client().listWorkflows(false, 10).size());
  }

  @Test
  void runsThatClosedBeforeARestartAreDeletedAfterIt() {
    open(null);
    for (int i = 0; i < 600; i++) { // more than one page of the close-time index
      WorkflowClient.start(env.newWorkflow(Greetings.Greeting.class, "w-" + i)::run, "w-" + i);
    }
    eventually("600 closed runs", () -> env.client().countWorkflows(dev.durable.client.WorkflowFilter.newBuilder()
        .setStatuses(WorkflowStatus.COMPLETED).build()) == 600);
    env.close();

    env = TestEnv.open(dir, b -> b.setRetention(RETENTION));
    env.clock().advance(RETENTION.plusSeconds(1));
    eventually("every run deleted", () -> env.client().listWorkflows(false, 10).isEmpty());
    assertEquals(Optional.empty(), env.stub("w-599").describe());
  }

  @Test
  void aClosedChildRunIsKeptWhileItsOpenParentWaitsForItsChain() {
    open(RETENTION);
    WorkflowClient.start(env.newWorkflow(Parent.class, "parent")::run);
    String firstRun = eventually("the second run of the child", () -> env.stub("hopper").describe(),
        d -> d.isPresent() && d.get().continuedFromRunId() != null).get().continuedFromRunId();
    // Both wait (a clock moved during a workflow task would time it out): the child's second run for
    // its signal, the parent (its second task recorded the child's start) for the child.
    env.awaitEvent("hopper", "WorkflowTaskCompleted");
    eventually("the parent to wait", () -> env.eventTypes("parent").stream()
        .filter("WorkflowTaskCompleted"::equals).count() == 2);
    greet("marker"); // closes after the child's first run: a sweep that deletes it has passed the first run

    env.clock().advance(RETENTION.plusMinutes(2));
    awaitDeleted("marker");
    assertTrue(stored(firstRun), "the parent learns of the chain's end by following it from its first run");

    env.stub("hopper").signal("land");
    assertEquals("parent heard: landed", env.result("parent", String.class));
    env.clock().advance(RETENTION.plusMinutes(2));
    awaitDeleted("parent");
    awaitDeleted("hopper");
    eventually("the child's first run deleted", () -> !stored(firstRun));
  }

  @Test
  void retentionMustBePositiveAndForeverKeepsEverything() {
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
        () -> DurableServer.newBuilder().setDataDir(dir).setRetention(Duration.ZERO).build());
    assertEquals("DURABLE-201 retention must be positive, got PT0S", zero.getMessage());

    open(ChronoUnit.FOREVER.getDuration());
    greet("kept");
    env.clock().advance(Duration.ofDays(365 * 1000));
    assertEquals("Hello, kept!", env.stub("kept").getResult(String.class));
    assertEquals(Optional.empty(), env.server().getRetention());
  }
}
