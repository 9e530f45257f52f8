package dev.durable.it.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durable.client.WorkflowHistory;
import dev.durable.failure.NondeterminismError;
import dev.durable.it.ChildJvm;
import dev.durable.it.StoredHistories;
import dev.durable.worker.WorkflowReplayer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker restarted onto changed workflow code: each deployment is a child JVM
 * ({@link ChangedCodeChild}) on the same data dir, with the code chosen by {@code -Dchange=...}.
 * A run starts on the original code and waits for approval; the next deployment approves it.
 * An incompatible change fails the workflow task with DURABLE-110 (the run keeps waiting, for
 * fixed code), or ends the run at once when the worker lists NondeterminismError as a
 * fail-workflow type; a getVersion-guarded change lets it finish.
 */
class RestartOntoChangedCodeTest {
  @TempDir Path tmp;

  @AfterEach
  void everyStoredHistoryIsValid() {
    StoredHistories.assertAllValidUnder(tmp);
  }

  @Test
  void incompatibleChangeFailsTheWorkflowTaskAndTheRunWaitsForFixedCode() throws Exception {
    ChildJvm original = deploy("original", "none", List.of(), "start:order-1");
    String runId = original.stdoutValues("order-1 WAITING ").get(0);
    WorkflowHistory waiting = history("order-1.start");

    ChildJvm changed = deploy("reordered", "reorder", List.of(), "approve:order-1");

    assertEquals(List.of("RUNNING"), changed.stdoutValues("order-1 STATUS "), changed.report());
    assertEquals(List.of("2"), changed.stdoutValues("order-1 ATTEMPT "), changed.report());
    String failure = String.join("\n", changed.stdoutValues("order-1 TASK_FAILURE "));
    assertTrue(failure.startsWith("DURABLE-110 non-determinism in workflow 'order-1' (run " + runId + ", Order) at history event "
        + eventId(waiting, "ActivityTaskScheduled", "Charge") + ":\n"
        + "  history: ActivityTaskScheduled  activity=Charge (id 1)  (recorded by the code that ran on "), failure);
    assertTrue(failure.contains("\n  code:    schedule activity Reserve (seq 1)  at "
        + frame(OrderCode.Reordered.class, "run", "reordered") + "\n"), failure);
    assertTrue(failure.endsWith("Guard the change with Workflow.getVersion(\"<change-id>\", Workflow.DEFAULT_VERSION, 1),"
        + " or reset the run (terminate it and start it again)."), failure);
    // The replayer, run in CI on the history exported before the deployment, reports exactly this.
    assertEquals(failure, assertThrows(NondeterminismError.class,
        () -> WorkflowReplayer.replayWorkflowExecution(waiting, OrderCode.Reordered.class)).getMessage());

    // A restarted server runs a failing task at once, without waiting for its retry backoff.
    ChildJvm fixed = deploy("fixed", "none", List.of(), "resume:order-1");

    assertEquals(List.of("COMPLETED"), fixed.stdoutValues("order-1 STATUS "), fixed.report());
    assertEquals(List.of("charged order-1;reserved order-1;"), fixed.stdoutValues("order-1 RESULT "), fixed.report());
    WorkflowHistory finished = history("order-1.resume");
    assertTrue(eventTypes(finished).contains("WorkflowTaskFailed"), eventTypes(finished).toString());
    WorkflowReplayer.replayWorkflowExecution(finished, OrderCode.Original.class);
  }

  @Test
  void getVersionGuardedChangeFinishesTheOpenRunOnTheOldBranchAndNewRunsOnTheNew() throws Exception {
    deploy("original", "none", List.of(), "start:order-1");

    ChildJvm guarded = deploy("guarded", "getVersion", List.of(), "approve:order-1", "start:order-2", "approve:order-2");

    assertEquals(List.of("charged order-1;reserved order-1;"), guarded.stdoutValues("order-1 RESULT "), guarded.report());
    assertEquals(List.of("charged order-2;reserved order-2;"), guarded.stdoutValues("order-2 RESULT "), guarded.report());
    WorkflowHistory oldRun = history("order-1.approve");
    WorkflowHistory newRun = history("order-2.approve");
    assertEquals(List.of("Charge", "Reserve"), activityTypes(oldRun));
    assertEquals(List.of("Reserve", "Charge"), activityTypes(newRun));
    assertFalse(eventTypes(oldRun).contains("MarkerRecorded"), eventTypes(oldRun).toString());
    assertTrue(eventTypes(newRun).contains("MarkerRecorded"), eventTypes(newRun).toString());
    var results = WorkflowReplayer.replayWorkflowExecutions(List.of(oldRun, newRun), false, OrderCode.Guarded.class);
    assertTrue(results.ok(), results.toString());
  }

  @Test
  void withNondeterminismErrorAsAFailWorkflowTypeTheRunEndsFailedAtOnce() throws Exception {
    ChildJvm original = deploy("original", "none", List.of(), "start:order-1");
    String runId = original.stdoutValues("order-1 WAITING ").get(0);
    WorkflowHistory waiting = history("order-1.start");

    ChildJvm changed = deploy("reordered", "reorder", List.of("-DfailWorkflowOn=NondeterminismError"), "approve:order-1");

    assertEquals(List.of("FAILED"), changed.stdoutValues("order-1 STATUS "), changed.report());
    assertEquals(List.of(NondeterminismError.class.getName()), changed.stdoutValues("order-1 CAUSE_TYPE "), changed.report());
    String cause = String.join("\n", changed.stdoutValues("order-1 CAUSE_MESSAGE "));
    assertTrue(cause.startsWith("DURABLE-110 non-determinism in workflow 'order-1' (run " + runId + ", Order) at history event "
        + eventId(waiting, "ActivityTaskScheduled", "Charge") + ":\n"), cause);
    assertTrue(cause.contains("  at " + frame(OrderCode.Reordered.class, "run", "reordered") + "\n"), cause);
    List<String> types = eventTypes(history("order-1.approve"));
    assertEquals("WorkflowExecutionFailed", types.get(types.size() - 1), types.toString());
    assertFalse(types.contains("WorkflowTaskFailed"), "no task was retried: " + types);
  }

  // ------------------------------------------------------------------ helpers

  /** Runs one deployment to its end and returns it, its output complete. */
  private ChildJvm deploy(String name, String change, List<String> jvmOptions, String... steps) throws Exception {
    Path dataDir = tmp.resolve("data");
    List<Object> args = new ArrayList<>(List.of(dataDir, tmp));
    args.addAll(List.of(steps));
    List<String> options = new ArrayList<>(jvmOptions);
    options.add("-Dchange=" + change);
    try (ChildJvm child = ChildJvm.launcher(ChangedCodeChild.class.getName(), args.toArray())
        .jvmOptions(options.toArray(String[]::new)).start(tmp, name)) {
      assertEquals(0, child.awaitExit(), child.report());
      return child;
    }
  }

  /** Reads what a deployment exported to {@code <workflowId>.<step>.json}. */
  private WorkflowHistory history(String name) throws IOException {
    return WorkflowHistory.fromJson(Files.readString(tmp.resolve(name + ".json")));
  }

  private static List<String> eventTypes(WorkflowHistory history) {
    return history.getEvents().stream().map(WorkflowHistory.Event::eventType).toList();
  }

  private static List<String> activityTypes(WorkflowHistory history) {
    return history.getEvents().stream().filter(e -> e.eventType().equals("ActivityTaskScheduled"))
        .map(e -> attribute(e, "activityType")).toList();
  }

  private static long eventId(WorkflowHistory history, String eventType, String activityType) {
    return history.getEvents().stream()
        .filter(e -> e.eventType().equals(eventType) && activityType.equals(attribute(e, "activityType")))
        .findFirst().orElseThrow(() -> new AssertionError("no " + eventType + " " + activityType + " in " + eventTypes(history)))
        .eventId();
  }

  private static String attribute(WorkflowHistory.Event event, String name) {
    try {
      return new ObjectMapper().readTree(event.attributesJson()).path(name).asText(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The frame text of the line ending in {@code // line: <marker>} in the source of {@code type}'s top-level class. */
  private static String frame(Class<?> type, String method, String marker) throws IOException {
    Class<?> topLevel = type;
    while (topLevel.getEnclosingClass() != null) {
      topLevel = topLevel.getEnclosingClass();
    }
    // Surefire runs the tests in the module's directory.
    Path source = Path.of("src/test/java", topLevel.getName().replace('.', '/') + ".java");
    List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
    int[] found = IntStream.range(0, lines.size()).filter(i -> lines.get(i).stripTrailing().endsWith("// line: " + marker))
        .toArray();
    assertEquals(1, found.length, "lines marked '" + marker + "' in " + source);
    return type.getName() + "." + method + "(" + source.getFileName() + ":" + (found[0] + 1) + ")";
  }
}
