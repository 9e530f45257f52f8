package dev.durable.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.common.DataConverterException;
import dev.durable.common.DurableException;
import dev.durable.internal.service.WorkflowService;
import dev.durable.testing.TestEnv;
import dev.durable.workflow.QueryMethod;
import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input gets a clear error naming what was wrong, and loses nothing already stored: each
 * test compares the run's description and history before and after. (Unknown workflow, activity,
 * signal and query names, duplicate registrations and the getResult timeout have their own tests:
 * see docs/reliability.md.)
 */
class BadInputTest {
  /** A value Jackson cannot make out of a number. */
  public record Point(int x, int y) {}

  @WorkflowInterface
  public interface Tally {
    @WorkflowMethod
    int run(int target);

    @SignalMethod
    void add(int amount);

    @QueryMethod
    int total(int plus);
  }

  public static final class TallyImpl implements Tally {
    private int total;

    @Override
    public int run(int target) {
      Workflow.await(() -> total >= target);
      return total;
    }

    @Override
    public void add(int amount) {
      total += amount;
    }

    @Override
    public int total(int plus) {
      return total + plus;
    }
  }

  @TempDir Path dir;
  private TestEnv env;

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
    env.startWorker(b -> b.registerWorkflowImplementationTypes(TallyImpl.class));
  }

  @AfterEach
  void close() {
    env.close();
  }

  private WorkflowService service() {
    return env.client().workflowService();
  }

  /** Starts a tally that waits for {@code target} and has run its first workflow task. */
  private void startWaiting(String id, int target) {
    WorkflowClient.start(env.newWorkflow(Tally.class, id)::run, target);
    env.awaitEvent(id, "WorkflowTaskCompleted");
  }

  private String stored(String id) {
    return env.describe(id) + "\n" + env.stub(id).getHistory().toJson();
  }

  @Test
  void workflowIdsThatAreEmptyTooLongOrHoldControlCharactersAreRejectedByTheServerToo() {
    // WorkflowOptions.build() rejects them (WorkflowOptionsTest); the server checks again for clients it does not know.
    String tooLong = "x".repeat(1001);
    List<String> messages = List.of("", tooLong, "order\n42").stream()
        .map(id -> assertThrows(IllegalArgumentException.class, () -> service().start(
            new WorkflowService.StartRequest(id, "Tally", TestEnv.TASK_QUEUE, List.of(), Duration.ofSeconds(10))))
            .getMessage())
        .toList();

    assertEquals(List.of(
        "DURABLE-201 workflowId must be a non-empty string, got \"\"",
        "DURABLE-201 workflowId must be at most 1000 characters, got 1001 characters starting with \"xxxxxxxxxxxxxxxxxxxx...\"",
        "DURABLE-201 workflowId must not contain control characters, got U+000A at index 5 in \"order?42\""), messages);
    assertEquals(List.of(), env.client().listWorkflows(false, 10));
  }

  @Test
  void aStartWithoutAUsableWorkflowTaskTimeoutIsRefused() {
    // A client of another language may leave it out: the run used to be recorded, and then every poll of its
    // task queue failed on it; with zero, each of its workflow tasks timed out at once, forever.
    List<String> messages = java.util.Arrays.asList(null, Duration.ZERO, Duration.ofSeconds(-1)).stream()
        .map(timeout -> assertThrows(IllegalArgumentException.class, () -> service().start(
            new WorkflowService.StartRequest("order-42", "Tally", TestEnv.TASK_QUEUE, List.of(), timeout)))
            .getMessage())
        .toList();

    assertEquals(List.of("DURABLE-201 workflowTaskTimeout must be set to a positive duration, got null",
        "DURABLE-201 workflowTaskTimeout must be positive, got PT0S",
        "DURABLE-201 workflowTaskTimeout must be positive, got PT-1S"), messages);
    assertEquals(List.of(), env.client().listWorkflows(false, 10));
  }

  @Test
  void aChildWithoutAUsableWorkflowTaskTimeoutFailsTheParentsTaskAndNothingIsRecorded() {
    // What a remote worker could send; ChildWorkflowOptions.build() refuses it in process.
    service().start(new WorkflowService.StartRequest("parent", "Parent", "raw", List.of(), Duration.ofSeconds(10)));
    WorkflowService.WorkflowTask task = null;
    for (int i = 0; i < 100 && task == null; i++) {
      task = service().pollWorkflowTask(new WorkflowService.PollRequest("raw", "test", Duration.ofSeconds(1)))
          .orElse(null);
    }
    String before = stored("parent");
    var child = new dev.durable.internal.model.Command.StartChildWorkflow(1, "kid", "Tally", "raw", List.of(), null,
        null, null, null, null, null);
    var complete = new WorkflowService.CompleteWorkflowTaskRequest(task.runId(), task.token(), List.of(child), "test");

    assertEquals("DURABLE-201 workflowTaskTimeout of child workflow 'kid' must be set to a positive duration, got null",
        assertThrows(IllegalArgumentException.class, () -> service().completeWorkflowTask(complete)).getMessage());
    assertEquals(before, stored("parent"));
  }

  @Test
  void idsAndNamesCutInsideASurrogatePairAreRefusedSoThatNoTwoIdsShareAStoredKey() {
    // Before the check, a start of "order-" + a lone surrogate was stored under the key "order-?" (UTF-8 cannot
    // encode it): a later start of "order-?" was refused as already running, and describe("order-?") showed the other.
    startWaiting("order-?", 5);
    String before = stored("order-?");
    String lone = "order-\uD83D";
    List<String> messages = List.of(
        new WorkflowService.StartRequest(lone, "Tally", TestEnv.TASK_QUEUE, List.of(), Duration.ofSeconds(10)),
        new WorkflowService.StartRequest("order-7", "Tally\uDE00", TestEnv.TASK_QUEUE, List.of(),
            Duration.ofSeconds(10)),
        new WorkflowService.StartRequest("order-8", "Tally", TestEnv.TASK_QUEUE + "\uD800", List.of(),
            Duration.ofSeconds(10))).stream()
        .map(request -> assertThrows(IllegalArgumentException.class, () -> service().start(request)).getMessage())
        .toList();

    assertEquals(List.of(
        "DURABLE-201 workflowId must be valid Unicode, got an unpaired surrogate U+D83D at index 6 in \"order-?\"",
        "DURABLE-201 workflowType must be valid Unicode, got an unpaired surrogate U+DE00 at index 5 in \"Tally?\"",
        "DURABLE-201 taskQueue must be valid Unicode, got an unpaired surrogate U+D800 at index "
            + TestEnv.TASK_QUEUE.length() + " in \"" + TestEnv.TASK_QUEUE + "?\""),
        messages.stream().map(m -> m.substring(0, m.indexOf(". A string cut"))).toList());
    assertEquals(before, stored("order-?"));
    // Nor may a lookup by such an id find the other one: the client refuses it, and so does the server.
    assertTrue(assertThrows(IllegalArgumentException.class, () -> env.stub(lone)).getMessage()
        .startsWith("DURABLE-201 workflowId must be valid Unicode"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> service().describe(lone)).getMessage()
        .startsWith("DURABLE-201 workflowId must be valid Unicode"));
    assertEquals(List.of("order-?"), env.client().listWorkflows(false, 10).stream()
        .map(d -> d.workflowId()).toList());

    // A whole surrogate pair is a character like any other, and its id is its own.
    startWaiting("order-\uD83D\uDE00", 3);
    env.stub("order-\uD83D\uDE00").signal("add", 3);
    assertEquals(3, env.result("order-\uD83D\uDE00", Integer.class));
    assertEquals(before, stored("order-?"));
  }

  @Test
  void resultReadAsAnIncompatibleTypeFailsWithDurable206AndLeavesTheRunAsItWas() {
    startWaiting("tally-point", 0);
    env.result("tally-point", Integer.class);
    String before = stored("tally-point");

    DataConverterException e = assertThrows(DataConverterException.class,
        () -> env.stub("tally-point").getResult(Point.class));

    assertTrue(e.getMessage().startsWith("DURABLE-206 cannot deserialize 0 as " + Point.class.getName()
        + " (result of workflow 'tally-point' (Tally)): "), e.getMessage());
    assertEquals(before, stored("tally-point"));
  }

  @Test
  void workflowArgumentOfTheWrongTypeFailsTheWorkflowTaskNamingTheArgumentAndTheRunWaitsForAFix() {
    env.client().newUntypedWorkflowStub("Tally", TestEnv.options("tally-words")).start("many");

    WorkflowDescription d = env.awaitDescription("tally-words", "the task failure", x -> x.lastWorkflowTaskFailure() != null);
    assertTrue(d.lastWorkflowTaskFailure().startsWith("DURABLE-216 workflow 'tally-words' (Tally) threw "
        + DataConverterException.class.getName() + ": DURABLE-206 cannot deserialize \"many\" as int (argument 1 of"
        + " workflow 'tally-words' (Tally)): "), d.lastWorkflowTaskFailure());
    assertEquals(WorkflowStatus.RUNNING, d.status());
    assertEquals(List.of("WorkflowExecutionStarted", "WorkflowTaskFailed"), env.eventTypes("tally-words"));
  }

  @Test
  void signalWhosePayloadCannotBeReadFailsTheWorkflowTaskNamingTheSignalAndKeepsTheSignal() {
    startWaiting("tally-signal", 1);

    env.stub("tally-signal").signal("add", "three");

    WorkflowDescription d = env.awaitDescription("tally-signal", "the task failure", x -> x.lastWorkflowTaskFailure() != null);
    assertTrue(d.lastWorkflowTaskFailure().startsWith("DURABLE-216 workflow 'tally-signal' (Tally) threw "
        + DataConverterException.class.getName() + ": DURABLE-206 cannot deserialize \"three\" as int (argument 1 of"
        + " signal 'add' of workflow 'tally-signal'): "), d.lastWorkflowTaskFailure());
    assertEquals(WorkflowStatus.RUNNING, d.status());
    assertEquals(List.of("WorkflowExecutionStarted", "WorkflowTaskCompleted", "WorkflowExecutionSignaled",
        "WorkflowTaskFailed"), env.eventTypes("tally-signal"));
  }

  @Test
  void queryArgumentThatCannotBeReadFailsTheQueryAndChangesNothing() {
    startWaiting("tally-query", 5);
    String before = stored("tally-query");

    WorkflowQueryException e = assertThrows(WorkflowQueryException.class,
        () -> env.stub("tally-query").query("total", Integer.class, "two"));

    assertTrue(e.getMessage().contains("DURABLE-206 cannot deserialize \"two\" as int (argument 1 of query 'total')"),
        e.getMessage());
    assertEquals(before, stored("tally-query"));
    assertEquals(2, env.stub("tally-query").query("total", Integer.class, 2));
  }

  @Test
  void argumentsAreMatchedByPositionMissingOnesBecomeDefaultsAndExtraOnesAreIgnored() {
    // So that a parameter can be added to or removed from a workflow method while runs are open.
    env.client().newUntypedWorkflowStub("Tally", TestEnv.options("no-args")).start();
    env.client().newUntypedWorkflowStub("Tally", TestEnv.options("extra-args")).start(0, "unused", 42);

    assertEquals(0, env.result("no-args", Integer.class));
    assertEquals(0, env.result("extra-args", Integer.class));
  }

  @Test
  void nullOverlongOrBrokenSignalAndQueryNamesAreRejectedAndNothingIsStored() {
    startWaiting("tally-null", 5);
    String before = stored("tally-null");

    IllegalArgumentException signal = assertThrows(IllegalArgumentException.class,
        () -> service().signal("tally-null", null, List.of()));
    IllegalArgumentException query = assertThrows(IllegalArgumentException.class,
        () -> env.stub("tally-null").query(null, Integer.class));
    IllegalArgumentException longSignal = assertThrows(IllegalArgumentException.class,
        () -> service().signal("tally-null", "add".repeat(400), List.of()));
    IllegalArgumentException brokenQuery = assertThrows(IllegalArgumentException.class,
        () -> env.stub("tally-null").query("total\uD800", Integer.class, 1));

    assertEquals("DURABLE-201 signalName must be a non-empty string, got null", signal.getMessage());
    assertEquals("DURABLE-201 queryName must be a non-empty string, got null", query.getMessage());
    assertEquals("DURABLE-201 signalName must be at most 1000 characters, got 1200 characters starting with"
        + " \"addaddaddaddaddaddad...\"", longSignal.getMessage());
    assertTrue(brokenQuery.getMessage().startsWith("DURABLE-201 queryName must be valid Unicode, got an unpaired"
        + " surrogate U+D800 at index 5"), brokenQuery.getMessage());
    assertEquals(before, stored("tally-null"));
  }

  @Test
  void nullWhereTheClientNeedsAValueIsRejectedNamingIt() {
    WorkflowClient client = env.client();

    assertEquals("DURABLE-201 workflowId must be a non-empty string, got null",
        assertThrows(IllegalArgumentException.class, () -> client.newUntypedWorkflowStub((String) null)).getMessage());
    assertEquals("DURABLE-201 options must not be null: pass WorkflowOptions.newBuilder().setTaskQueue(...).build()",
        assertThrows(IllegalArgumentException.class,
            () -> client.newWorkflowStub(Tally.class, (WorkflowOptions) null)).getMessage());
    assertEquals("DURABLE-201 server must not be null: pass a started DurableServer",
        assertThrows(IllegalArgumentException.class, () -> WorkflowClient.newInstance(null)).getMessage());
  }

  @Test
  void callsThroughAClosedClientFailWithDurable213AndChangeNothing() {
    startWaiting("tally-closed", 5);
    String before = stored("tally-closed");
    WorkflowClient other = WorkflowClient.newInstance(env.server());
    WorkflowStub stub = other.newUntypedWorkflowStub("tally-closed");
    other.close();

    DurableException signal = assertThrows(DurableException.class, () -> stub.signal("add", 5));
    DurableException start = assertThrows(DurableException.class,
        () -> WorkflowClient.start(other.newWorkflowStub(Tally.class, TestEnv.options("never"))::run, 1));

    assertEquals("DURABLE-213 this WorkflowClient is closed (signal was called after close()); create a new one with"
        + " WorkflowClient.newInstance(server).", signal.getMessage());
    assertEquals("DURABLE-213", start.getCode());
    assertEquals(before, stored("tally-closed"));
    assertTrue(env.stub("never").describe().isEmpty());
  }
}
