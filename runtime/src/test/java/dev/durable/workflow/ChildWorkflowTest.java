package dev.durable.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowHistory;
import dev.durable.client.WorkflowStatus;
import dev.durable.common.RetryOptions;
import dev.durable.failure.ApplicationFailure;
import dev.durable.failure.ChildWorkflowFailure;
import dev.durable.failure.NondeterminismError;
import dev.durable.testing.Eventually;
import dev.durable.testing.TestEnv;
import dev.durable.worker.WorkflowReplayer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Child workflows: started from workflow code, sync and async, their failures reaching the
 * parent with the cause, parent close policies, id conflicts, a restart in the middle, retries
 * and replay of the child commands.
 */
public class ChildWorkflowTest {
  @WorkflowInterface
  public interface Child {
    @WorkflowMethod
    String run(String input);

    @SignalMethod
    void release(String value);

    @QueryMethod
    String peek();

    @UpdateMethod
    String bump(String value);
  }

  /** "fail..." fails, "flaky" fails on its first attempt, "wait..." waits for the release signal, else greets. */
  public static final class ChildImpl implements Child {
    private String released;
    private final List<String> releases = new ArrayList<>();

    @Override
    public String run(String input) {
      if (input.startsWith("fail")) {
        throw ApplicationFailure.newNonRetryableFailure("child says no to " + input, "ChildError");
      }
      if (input.equals("flaky")) {
        if (Workflow.getInfo().attempt() == 1) {
          throw ApplicationFailure.newFailure("first attempt fails", "Flaky");
        }
        return "attempt " + Workflow.getInfo().attempt() + " of " + Workflow.getInfo().parentWorkflowId();
      }
      if (input.equals("twice")) {
        Workflow.await(() -> releases.size() >= 2);
        return "got " + releases;
      }
      if (input.startsWith("wait")) {
        Workflow.await(() -> released != null);
        return input + ":" + released;
      }
      return "hello " + input;
    }

    @Override
    public void release(String value) {
      released = value;
      releases.add(value);
    }

    @Override
    public String peek() {
      return released;
    }

    @Override
    public String bump(String value) {
      return value;
    }
  }

  @WorkflowInterface
  public interface Parent {
    @WorkflowMethod
    String run(String mode, String arg);
  }

  public static final class ParentImpl implements Parent {
    @Override
    public String run(String mode, String arg) {
      String me = Workflow.getInfo().workflowId();
      switch (mode) {
        case "sync": {
          Child child = Workflow.newChildWorkflowStub(Child.class,
              ChildWorkflowOptions.newBuilder().setWorkflowId(me + "-child").build());
          return child.run(arg);
        }
        case "default-id": {
          Child child = Workflow.newChildWorkflowStub(Child.class);
          return child.run(arg) + " as " + Workflow.getWorkflowExecution(child).get().workflowId();
        }
        case "async": {
          List<Promise<String>> results = new ArrayList<>();
          List<Child> stubs = new ArrayList<>();
          for (int i = 0; i < 3; i++) {
            Child child = Workflow.newChildWorkflowStub(Child.class,
                ChildWorkflowOptions.newBuilder().setWorkflowId(me + "-" + i).build());
            stubs.add(child);
            results.add(Async.function(child::run, arg + i));
          }
          Promise.allOf(results).get();
          StringBuilder out = new StringBuilder();
          for (int i = 0; i < 3; i++) {
            out.append(results.get(i).get()).append(" (").append(Workflow.getWorkflowExecution(stubs.get(i)).get()
                .workflowId()).append(") ");
          }
          return out.toString().trim();
        }
        case "catch": {
          Child child = Workflow.newChildWorkflowStub(Child.class, ChildWorkflowOptions.newBuilder()
              .setWorkflowId(arg.startsWith("id=") ? arg.substring(3) : me + "-child")
              .setWorkflowRunTimeout(Duration.ofHours(1)).build());
          try {
            return "ok " + child.run(arg.startsWith("id=") ? "x" : arg);
          } catch (ChildWorkflowFailure f) {
            return f.getWorkflowType() + " " + f.getWorkflowId() + " " + f.getCause().getClass().getSimpleName() + ": "
                + ((dev.durable.failure.DurableFailure) f.getCause()).getOriginalMessage();
          }
        }
        case "retry": {
          Child child = Workflow.newChildWorkflowStub(Child.class, ChildWorkflowOptions.newBuilder()
              .setWorkflowId(me + "-child")
              .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(5)).build()).build());
          return child.run("flaky");
        }
        case "signal": {
          // arg "early": in the task that starts the child; else once it runs.
          Child child = Workflow.newChildWorkflowStub(Child.class,
              ChildWorkflowOptions.newBuilder().setWorkflowId(me + "-child").build());
          Promise<String> result = Async.function(child::run, arg.equals("twice") ? "twice" : "wait");
          if (!arg.equals("early")) {
            Workflow.getWorkflowExecution(child).get();
          }
          child.release("from parent");
          return result.get();
        }
        case "scope": {
          Child child = Workflow.newChildWorkflowStub(Child.class,
              ChildWorkflowOptions.newBuilder().setWorkflowId(me + "-child").build());
          List<Promise<String>> result = new ArrayList<>();
          CancellationScope scope = Workflow.newCancellationScope(() -> result.add(Async.function(child::run, "wait")));
          scope.run();
          Workflow.getWorkflowExecution(child).get();
          scope.cancel("enough");
          try {
            return "ok " + result.get(0).get();
          } catch (ChildWorkflowFailure f) {
            return f.getCause().getClass().getSimpleName() + " " + f.getRunId().equals(
                Workflow.getWorkflowExecution(child).get().runId());
          }
        }
        case "query": {
          Child child = Workflow.newChildWorkflowStub(Child.class);
          Async.function(child::run, "wait");
          return child.peek();
        }
        case "update": {
          Child child = Workflow.newChildWorkflowStub(Child.class);
          Async.function(child::run, "wait");
          return child.bump("x");
        }
        case "cancel": {
          // arg "early": before the server started the child; else once it runs.
          Child child = Workflow.newChildWorkflowStub(Child.class,
              ChildWorkflowOptions.newBuilder().setWorkflowId(me + "-child").build());
          Promise<String> result = Async.function(child::run, "wait");
          if (!arg.equals("early")) {
            Workflow.getWorkflowExecution(child).get();
          }
          dev.durable.internal.replay.ChildWorkflowStub.requestCancel(child);
          try {
            return "ok " + result.get();
          } catch (ChildWorkflowFailure f) {
            return f.getCause().getClass().getSimpleName();
          }
        }
        default: {
          // Starts a waiting child with the policy named by mode and returns without waiting for it.
          Child child = Workflow.newChildWorkflowStub(Child.class, ChildWorkflowOptions.newBuilder()
              .setWorkflowId(me + "-child").setParentClosePolicy(ParentClosePolicy.valueOf(mode)).build());
          Async.function(child::run, "wait");
          return "left " + Workflow.getWorkflowExecution(child).get().workflowId();
        }
      }
    }
  }

  /** The same parent, changed to start another workflow type as its child. */
  public static final class ChangedChildTypeImpl implements Parent {
    @Override
    public String run(String mode, String arg) {
      Other other = Workflow.newChildWorkflowStub(Other.class,
          ChildWorkflowOptions.newBuilder().setWorkflowId(Workflow.getInfo().workflowId() + "-child").build());
      return other.go(arg);
    }
  }

  @WorkflowInterface
  public interface Other {
    @WorkflowMethod
    String go(String input);
  }

  @TempDir Path dir;
  private TestEnv env;

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
    startWorker();
  }

  @AfterEach
  void close() {
    env.close();
  }

  private void startWorker() {
    env.startWorker(b -> b.registerWorkflowImplementationTypes(ParentImpl.class, ChildImpl.class));
  }

  private void start(String workflowId, String mode, String arg) {
    WorkflowClient.start(env.newWorkflow(Parent.class, workflowId)::run, mode, arg);
  }

  private String run(String workflowId, String mode, String arg) {
    start(workflowId, mode, arg);
    return env.result(workflowId, String.class);
  }

  @Test
  void childCalledSynchronouslyReturnsItsResultAndBothHistoriesRecordTheLink() {
    assertEquals("hello Ada", run("p", "sync", "Ada"));

    List<String> parent = env.eventTypes("p");
    assertTrue(parent.containsAll(List.of("StartChildWorkflowExecutionInitiated", "ChildWorkflowExecutionStarted",
        "ChildWorkflowExecutionCompleted")), parent.toString());
    String parentRun = env.describe("p").runId();
    WorkflowHistory.Event started = env.stub("p-child").getHistory().getEvents().get(0);
    assertEquals("WorkflowExecutionStarted", started.eventType());
    assertTrue(started.attributesJson().contains("\"parentWorkflowId\":\"p\"")
        && started.attributesJson().contains("\"parentRunId\":\"" + parentRun + "\""), started.attributesJson());
    assertEquals(WorkflowStatus.COMPLETED, env.describe("p-child").status());
  }

  @Test
  void childWithoutOptionsGetsAnIdDerivedFromTheParentRun() {
    String result = run("p", "default-id", "Bob");
    assertEquals("hello Bob as " + env.describe("p").runId() + "-child-1", result);
  }

  @Test
  void childrenStartedWithAsyncRunSideBySideAndTheirExecutionsAreKnown() {
    assertEquals("hello x0 (p-0) hello x1 (p-1) hello x2 (p-2)", run("p", "async", "x"));
    for (int i = 0; i < 3; i++) {
      assertEquals(WorkflowStatus.COMPLETED, env.describe("p-" + i).status());
    }
  }

  @Test
  void childFailureReachesTheParentAsChildWorkflowFailureWithTheApplicationCause() {
    assertEquals("Child p-child ApplicationFailure: child says no to fail-now", run("p", "catch", "fail-now"));
    assertEquals(WorkflowStatus.FAILED, env.describe("p-child").status());
    assertTrue(env.eventTypes("p").contains("ChildWorkflowExecutionFailed"));
  }

  @Test
  void childThatTimesOutOrIsTerminatedReachesTheParentWithThatCause() {
    start("p1", "catch", "wait");
    env.awaitEvent("p1", "ChildWorkflowExecutionStarted");
    env.awaitEvent("p1-child", "WorkflowTaskCompleted");
    // The hour must not pass while a workflow task of the parent runs (it would time out, and its
    // retry waits on the test clock): the parent has seen its child start and waits.
    Eventually.eventually("p1 waiting for its child", () -> env.eventTypes("p1"),
        types -> types.get(types.size() - 1).equals("WorkflowTaskCompleted")
            && types.indexOf("ChildWorkflowExecutionStarted") < types.lastIndexOf("WorkflowTaskCompleted"));
    env.clock().advance(Duration.ofHours(1));
    String timedOut = env.result("p1", String.class);
    assertTrue(timedOut.startsWith("Child p1-child TimeoutFailure: DURABLE-227"), timedOut);
    assertTrue(env.eventTypes("p1").contains("ChildWorkflowExecutionTimedOut"));

    start("p2", "catch", "wait");
    env.awaitEvent("p2", "ChildWorkflowExecutionStarted");
    env.awaitEvent("p2-child", "WorkflowTaskCompleted");
    env.stub("p2-child").terminate("operator stopped it");
    assertEquals("Child p2-child TerminatedFailure: operator stopped it", env.result("p2", String.class));
    assertTrue(env.eventTypes("p2").contains("ChildWorkflowExecutionTerminated"));
  }

  @Test
  void childWhoseIdIsRunningFailsToStartWithWorkflowAlreadyStarted() {
    WorkflowClient.start(env.newWorkflow(Child.class, "taken")::run, "wait");
    env.awaitEvent("taken", "WorkflowTaskCompleted");

    String result = run("p", "catch", "id=taken");
    assertTrue(result.startsWith("Child taken ApplicationFailure: DURABLE-208 child workflow 'taken' (Child) was not"
        + " started: a run with this workflow id is running"), result);
    assertTrue(env.eventTypes("p").contains("StartChildWorkflowExecutionFailed"));
    assertEquals(WorkflowStatus.RUNNING, env.describe("taken").status());
    env.stub("taken").signal("release", "done");
    assertEquals("wait:done", env.result("taken", String.class));
  }

  @Test
  void terminatePolicyTerminatesTheChildWhenTheParentCompletes() {
    assertEquals("left p-child", run("p", "TERMINATE", ""));
    env.awaitDescription("p-child", "termination", d -> d.status() == WorkflowStatus.TERMINATED);
    var e = assertThrows(dev.durable.client.WorkflowFailedException.class, () -> env.result("p-child", String.class));
    assertTrue(e.getCause().getMessage().contains("parent workflow 'p'") && e.getCause().getMessage()
        .contains("closed as COMPLETED; parent close policy TERMINATE"), e.getCause().getMessage());
  }

  @Test
  void requestCancelPolicyCancelsTheChildWhenTheParentCompletes() {
    assertEquals("left p-child", run("p", "REQUEST_CANCEL", ""));
    env.awaitDescription("p-child", "cancellation", d -> d.status() == WorkflowStatus.CANCELED);
    assertTrue(env.eventTypes("p-child").contains("WorkflowExecutionCancelRequested"));
  }

  @Test
  void abandonPolicyLeavesTheChildRunning() {
    assertEquals("left p-child", run("p", "ABANDON", ""));
    assertEquals(WorkflowStatus.RUNNING, env.describe("p-child").status());
    env.stub("p-child").signal("release", "later");
    assertEquals("wait:later", env.result("p-child", String.class));
  }

  @Test
  void parentCanAskItsChildToCancelBeforeOrAfterTheChildStarted() {
    assertEquals("CanceledFailure", run("late", "cancel", "running"));
    assertEquals(WorkflowStatus.CANCELED, env.describe("late-child").status());
    assertTrue(env.eventTypes("late").contains("ChildWorkflowCancelRequested"));

    assertEquals("CanceledFailure", run("early", "cancel", "early"));
    assertEquals(List.of("WorkflowExecutionStarted", "WorkflowExecutionCancelRequested"),
        env.eventTypes("early-child").subList(0, 2));
  }

  @Test
  void cancelingTheScopeOfAChildCancelsTheChildAndEndsTheWaitAtOnce() {
    assertEquals("CanceledFailure true", run("p", "scope", ""));
    assertTrue(env.eventTypes("p").contains("ChildWorkflowCancelRequested"));
    // The parent returned at once; its close then terminates the child if it has not ended canceled yet.
    env.awaitDescription("p-child", "the child's close", d -> d.status().isClosed());
    assertTrue(env.eventTypes("p-child").contains("WorkflowExecutionCancelRequested"));
  }

  @Test
  void cancelingTheParentCancelsItsChildAndEndsTheParentAsCanceled() {
    start("p", "sync", "wait");
    env.awaitEvent("p", "ChildWorkflowExecutionStarted");
    env.stub("p").cancel();
    var e = assertThrows(dev.durable.client.WorkflowFailedException.class, () -> env.result("p", String.class));
    assertEquals(WorkflowStatus.CANCELED, e.getStatus());
    env.awaitDescription("p-child", "cancellation", d -> d.status().isClosed());
    assertTrue(env.eventTypes("p-child").contains("WorkflowExecutionCancelRequested"));
  }

  @Test
  void parentSignalsItsChildBeforeOrAfterTheChildStarted() {
    assertEquals("wait:from parent", run("late", "signal", "running"));
    assertTrue(env.eventTypes("late").contains("SignalChildWorkflowExecutionInitiated"));
    assertEquals(1, env.eventTypes("late-child").stream().filter("WorkflowExecutionSignaled"::equals).count());

    assertEquals("wait:from parent", run("early", "signal", "early"));
    assertEquals(List.of("WorkflowExecutionStarted", "WorkflowExecutionSignaled"),
        env.eventTypes("early-child").subList(0, 2));
  }

  @Test
  void queryingAChildThroughItsStubFailsTheTaskWithAClearError() {
    start("p", "query", "");
    String failure = env.awaitDescription("p", "a workflow task failure", d -> d.lastWorkflowTaskFailure() != null)
        .lastWorkflowTaskFailure();
    assertTrue(failure.contains("DURABLE-232 peek of child workflow Child is a query method"), failure);
    env.stub("p").terminate("done with the test");
  }

  @Test
  void updatingAChildThroughItsStubFailsTheTaskNamingAnUpdateMethod() {
    start("u", "update", "");
    String failure = env.awaitDescription("u", "a workflow task failure", d -> d.lastWorkflowTaskFailure() != null)
        .lastWorkflowTaskFailure();
    assertTrue(failure.contains("DURABLE-232 bump of child workflow Child is an update method"), failure);
    assertTrue(failure.contains("Update the child from an activity"), failure);
    env.stub("u").terminate("done with the test");
  }

  @Test
  void parentWaitingForAChildCarriesOnAfterARestart() {
    start("p", "catch", "wait");
    env.awaitEvent("p", "ChildWorkflowExecutionStarted");
    env.awaitEvent("p-child", "WorkflowTaskCompleted");
    var parent = env.describe("p");
    var child = env.describe("p-child");
    assertEquals(List.of(new dev.durable.client.PendingChildInfo("p-child", "Child", child.runId(), "STARTED")),
        parent.pendingChildren());
    assertEquals("p", child.parentWorkflowId());
    assertEquals(parent.runId(), child.parentRunId());

    env.restartServer();
    startWorker();
    env.stub("p-child").signal("release", "after restart");

    assertEquals("ok wait:after restart", env.result("p", String.class));
    assertEquals(List.of(), env.describe("p").pendingChildren());
    assertEquals(1, env.eventTypes("p").stream().filter("StartChildWorkflowExecutionInitiated"::equals).count());
  }

  @Test
  void failedChildRunIsRetriedAndTheParentSeesTheFinalAttempt() {
    start("p", "retry", "");
    env.awaitEvent("p", "ChildWorkflowExecutionStarted");
    var retry = env.awaitDescription("p-child", "the child's retry run", d -> d.attempt() == 2);
    assertNotEquals(null, retry.continuedFromRunId());
    assertEquals(WorkflowStatus.FAILED, env.client().listWorkflows(false, 100).stream()
        .filter(d -> d.runId().equals(retry.continuedFromRunId())).findFirst().orElseThrow().status());
    env.clock().advance(Duration.ofSeconds(5));

    assertEquals("attempt 2 of p", env.result("p", String.class));
    assertEquals(1, env.eventTypes("p").stream().filter("ChildWorkflowExecutionCompleted"::equals).count());
  }

  @Test
  void replayReportsAChangedChildWorkflowTypeAsNonDeterminism() {
    run("p", "sync", "Ada");
    WorkflowHistory history = env.stub("p").getHistory();
    WorkflowReplayer.replayWorkflowExecution(history, ParentImpl.class);

    NondeterminismError e = assertThrows(NondeterminismError.class,
        () -> WorkflowReplayer.replayWorkflowExecution(history, ChangedChildTypeImpl.class));
    assertTrue(e.getMessage().startsWith("DURABLE-110"), e.getMessage());
    assertTrue(e.getMessage().contains("history: StartChildWorkflowExecutionInitiated  child workflow Child with id"
        + " 'p-child'") && e.getMessage().contains("code:    start child workflow Other with id 'p-child'"),
        e.getMessage());
  }
}
