package dev.durable.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.durable.client.WorkflowHistory;
import dev.durable.failure.NondeterminismError;
import dev.durable.worker.WorkflowReplayer;
import dev.durable.worker.WorkflowReplayer.Failure;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link WorkflowReplayer} takes and reports: many histories with or without failing fast,
 * histories of types it was not given, a folder of exported files, JSON text and a file, and
 * the exported JSON itself as docs/history-format.md describes it.
 */
class ReplayerInputsTest {
  @TempDir static Path dataDir;
  @TempDir Path folder;
  private static WorkflowHistory first;
  private static WorkflowHistory open;
  private static WorkflowHistory third;

  @BeforeAll
  static void recordOrders() {
    try (Recorder recorder = Recorder.open(dataDir)) {
      first = recorder.completedOrder(OrderV1.class, "order-1");
      open = recorder.orderWaitingForApproval(OrderV1.class, "order-2");
      third = recorder.completedOrder(OrderV1.class, "order-3");
    }
  }

  /** Ships right after the approval, without the pause: only runs that have not reached the pause replay. */
  public static final class ShipsWithoutPause extends BaseOrder {
    @Override
    public String run(String order) {
      String ref = Workflow.sideEffect(String.class, () -> "ref-" + order);
      String charged = shop.charge(ref);
      String reserved = shop.reserve(ref);
      Workflow.await(() -> approved);
      return charged + reserved + shop.ship(ref);
    }
  }

  /** Another workflow type, to replay an order's history against. */
  @WorkflowInterface
  public interface Invoice {
    @WorkflowMethod(name = "Invoice")
    String run(String order);
  }

  /** Its code. */
  public static final class InvoiceImpl implements Invoice {
    @Override
    public String run(String order) {
      return "invoice for " + order;
    }
  }

  @Test
  void withoutFailingFastEveryHistoryIsReplayedAndEveryFailureReported() {
    var results = WorkflowReplayer.replayWorkflowExecutions(List.of(first, open, third), false, ShipsWithoutPause.class);

    assertEquals(3, results.replayed());
    assertEquals(List.of("order-1", "order-3"), results.failures().stream().map(Failure::workflowId).toList());
    assertEquals(List.of(first.getRunId(), third.getRunId()), results.failures().stream().map(Failure::runId).toList());
    results.failures().forEach(f -> assertInstanceOf(NondeterminismError.class, f.error()));
    assertFalse(results.ok());
    String report = results.toString();
    assertTrue(report.startsWith("3 histories replayed, 2 failed\n- order-1 (run " + first.getRunId()
        + "): DURABLE-110 non-determinism in workflow 'order-1'"), report);
    assertTrue(report.contains("\n- order-3 (run " + third.getRunId() + "): DURABLE-110"), report);
  }

  @Test
  void failingFastStopsAtTheFirstFailure() {
    var results = WorkflowReplayer.replayWorkflowExecutions(List.of(open, first, third), true, ShipsWithoutPause.class);

    assertEquals(2, results.replayed());
    assertEquals(List.of("order-1"), results.failures().stream().map(Failure::workflowId).toList());
  }

  @Test
  void historyOfATypeWithoutAGivenImplementationNamesTheTypesThatWereGiven() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WorkflowReplayer.replayWorkflowExecution(first, InvoiceImpl.class, SideEffectsTest.NumberedReceipt.class));
    assertEquals("DURABLE-204 history of 'order-1' is of workflow type 'Order', but no implementation of it was given;"
        + " given types: [Invoice, Receipt]", e.getMessage());

    var results = WorkflowReplayer.replayWorkflowExecutions(List.of(first), false, InvoiceImpl.class);
    assertEquals(1, results.failures().size());
    assertTrue(results.failures().get(0).error().getMessage().contains("given types: [Invoice]"), results.toString());
  }

  @Test
  void readHistoriesReadsTheJsonFilesOfAFolderInFileNameOrder() throws IOException {
    Files.writeString(folder.resolve("b-first.json"), first.toJson());
    Files.writeString(folder.resolve("a-third.json"), third.toJson());
    Files.writeString(folder.resolve("notes.txt"), "not a history");

    List<WorkflowHistory> histories = WorkflowReplayer.readHistories(folder);

    assertEquals(List.of("order-3", "order-1"), histories.stream().map(WorkflowHistory::getWorkflowId).toList());
    assertEquals(List.of(third.getRunId(), first.getRunId()), histories.stream().map(WorkflowHistory::getRunId).toList());
    var results = WorkflowReplayer.replayWorkflowExecutions(histories, false, OrderV1.class);
    assertTrue(results.ok(), results.toString());
    assertEquals(2, results.replayed());
  }

  @Test
  void unreadableHistoryFileIsNamedInTheError() throws IOException {
    Files.writeString(folder.resolve("broken.json"), "{\"workflowId\": \"x\", \"events\": [");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WorkflowReplayer.readHistories(folder));

    assertTrue(e.getMessage().startsWith("DURABLE-218 cannot read workflow history JSON at line 1"), e.getMessage());
    assertTrue(e.getMessage().endsWith("(file " + folder.resolve("broken.json") + ")"), e.getMessage());
  }

  @Test
  void historyAsJsonTextOrFileReplaysExactlyLikeTheHistoryObject() throws IOException {
    Path file = Files.writeString(folder.resolve("order-1.json"), first.toJson());
    WorkflowReplayer.replayWorkflowExecution(first.toJson(), OrderV1.class);
    WorkflowReplayer.replayWorkflowExecution(file, OrderV1.class);

    String fromObject = assertThrows(NondeterminismError.class,
        () -> WorkflowReplayer.replayWorkflowExecution(first, ShipsWithoutPause.class)).getMessage();
    String fromText = assertThrows(NondeterminismError.class,
        () -> WorkflowReplayer.replayWorkflowExecution(first.toJson(), ShipsWithoutPause.class)).getMessage();
    String fromFile = assertThrows(NondeterminismError.class,
        () -> WorkflowReplayer.replayWorkflowExecution(file, ShipsWithoutPause.class)).getMessage();

    assertTrue(fromObject.contains("at history event " + Histories.eventId(first, "TimerStarted") + ":"), fromObject);
    assertEquals(fromObject, fromText);
    assertEquals(fromObject, fromFile);
  }

  @Test
  void historyStartedByANewerEngineIsRefusedWithDurable113() throws IOException {
    ObjectMapper json = new ObjectMapper();
    JsonNode root = json.readTree(first.toJson());
    ((ObjectNode) root.path("events").get(0).path("attributes")).put("replaySemantics", 99);

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> WorkflowReplayer.replayWorkflowExecution(json.writeValueAsString(root), OrderV1.class));

    assertEquals("DURABLE-113 workflow 'order-1' was started by a newer engine (replay semantics 99, this engine knows"
        + " up to 5). Run it on workers with that engine version or newer.", e.getMessage());
  }

  /** The attributes docs/history-format.md lists for each event type an order's history has. */
  private static final Map<String, Set<String>> DOCUMENTED = Map.of(
      "WorkflowExecutionStarted", Set.of("workflowId", "workflowType", "taskQueue", "input", "workflowTaskTimeout",
          "replaySemantics", "workflowExecutionTimeout", "workflowRunTimeout", "searchAttributes", "links"),
      "WorkflowTaskCompleted", Set.of("lastSeenEventId", "workflowTime", "identity"),
      "ActivityTaskScheduled", Set.of("seq", "activityType", "taskQueue", "input", "spec"),
      "ActivityTaskCompleted", Set.of("seq", "scheduledEventId", "attempt", "result"),
      "TimerStarted", Set.of("seq", "duration", "fireAt"),
      "TimerFired", Set.of("seq"),
      "MarkerRecorded", Set.of("markerName", "markerId", "data"),
      "WorkflowExecutionSignaled", Set.of("signalName", "input"),
      "WorkflowExecutionCompleted", Set.of("result"));

  @Test
  void exportedHistoryHasTheDocumentedJsonShapeAndReadsBackUnchanged() throws IOException {
    JsonNode root = new ObjectMapper().readTree(first.toJson());

    assertEquals(Set.of("workflowId", "runId", "events"), fieldNames(root));
    assertEquals("order-1", root.path("workflowId").asText());
    assertEquals(first.getRunId(), root.path("runId").asText());
    long expectedId = 1;
    for (JsonNode event : root.path("events")) {
      assertEquals(Set.of("eventId", "timestamp", "eventType", "attributes"), fieldNames(event), event.toString());
      assertEquals(expectedId++, event.path("eventId").asLong(), "event ids are contiguous from 1");
      String type = event.path("eventType").asText();
      assertTrue(DOCUMENTED.containsKey(type), "undocumented event type " + type);
      assertEquals(DOCUMENTED.get(type), fieldNames(event.path("attributes")), type);
    }
    assertEquals(DOCUMENTED.keySet(), new TreeSet<>(Recorder.eventTypes(first)));
    JsonNode started = root.path("events").get(0).path("attributes");
    assertEquals("Order", started.path("workflowType").asText());
    assertEquals("order-1", started.path("input").get(0).path("json").asText());
    assertEquals(5, started.path("replaySemantics").asInt());

    assertEquals(first.toJson(), WorkflowHistory.fromJson(first.toJson()).toJson());
  }

  private static Set<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return new TreeSet<>(names);
  }
}
