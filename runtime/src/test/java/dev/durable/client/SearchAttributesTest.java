package dev.durable.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.failure.NondeterminismError;
import dev.durable.internal.model.SearchAttributeValue;
import dev.durable.internal.service.WorkflowService;
import dev.durable.testing.TestEnv;
import dev.durable.worker.WorkflowReplayer;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Search attributes: replay checks upserts like other commands; bad names, types, sizes and filters fail clearly. */
class SearchAttributesTest {
  @WorkflowInterface
  public interface Tagged {
    @WorkflowMethod
    String run(String value);
  }

  public static final class TaggedImpl implements Tagged {
    @Override
    public String run(String value) {
      Workflow.upsertSearchAttributes(Map.of("Stage", value));
      return String.valueOf(Workflow.getInfo().searchAttributes().get("Stage"));
    }
  }

  /** The same workflow after a change that sets another attribute. */
  public static final class RenamedImpl implements Tagged {
    @Override
    public String run(String value) {
      Workflow.upsertSearchAttributes(Map.of("Phase", value));
      return value;
    }
  }

  /** The same workflow after a change that computes another value for the same attribute. */
  public static final class RevaluedImpl implements Tagged {
    @Override
    public String run(String value) {
      Workflow.upsertSearchAttributes(Map.of("Stage", value.toUpperCase()));
      return value;
    }
  }

  /** Gives an attribute a number, then text. */
  public static final class TypeChangingImpl implements Tagged {
    @Override
    public String run(String value) {
      Workflow.upsertSearchAttributes(Map.of("Count", 1));
      Workflow.upsertSearchAttributes(Map.of("Count", value));
      return value;
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
    env.close();
  }

  @Test
  void replayChecksTheNamesAnUpsertSets() {
    env.startWorker(b -> b.registerWorkflowImplementationTypes(TaggedImpl.class));
    WorkflowClient.start(env.newWorkflow(Tagged.class, "tagged")::run, "draft");
    assertEquals("draft", env.result("tagged", String.class));
    WorkflowHistory history = env.stub("tagged").getHistory();
    assertEquals(List.of("WorkflowExecutionStarted", "WorkflowTaskCompleted", "UpsertWorkflowSearchAttributes",
        "WorkflowExecutionCompleted"), env.eventTypes("tagged"));

    WorkflowReplayer.replayWorkflowExecution(history, TaggedImpl.class);
    WorkflowReplayer.replayWorkflowExecution(history.toJson(), TaggedImpl.class);
    assertEquals(history.toJson(), WorkflowHistory.fromJson(history.toJson()).toJson());
    assertTrue(history.toJson().contains("\"searchAttributes\" : {\n        \"Stage\" : {\n          \"type\" : \"KEYWORD\","
        + "\n          \"values\" : [ \"draft\" ]"), history.toJson());
    // The recorded value is what was indexed; a value computed differently on replay is no mismatch.
    WorkflowReplayer.replayWorkflowExecution(history, RevaluedImpl.class);
    NondeterminismError e = assertThrows(NondeterminismError.class,
        () -> WorkflowReplayer.replayWorkflowExecution(history, RenamedImpl.class));
    assertTrue(e.getMessage().startsWith("DURABLE-110 non-determinism in workflow 'tagged'"), e.getMessage());
    assertTrue(e.getMessage().contains("history: UpsertWorkflowSearchAttributes  [Stage]"), e.getMessage());
    assertTrue(e.getMessage().contains("code:    upsert search attributes [Phase]"), e.getMessage());
  }

  @Test
  void aTypeChangeInWorkflowCodeFailsTheTaskAndRecordsNothingOfIt() {
    env.startWorker(b -> b.registerWorkflowImplementationTypes(TypeChangingImpl.class));
    WorkflowClient.start(env.newWorkflow(Tagged.class, "changer")::run, "one");
    WorkflowDescription d = env.awaitDescription("changer", "a failed workflow task",
        x -> x.lastWorkflowTaskFailure() != null);
    assertTrue(d.lastWorkflowTaskFailure().contains("DURABLE-252 search attribute 'Count' of workflow 'changer' has"
        + " type INT and cannot become KEYWORD (new value one)"), d.lastWorkflowTaskFailure());
    assertEquals(Map.of(), d.searchAttributes());
    assertEquals(List.of("WorkflowExecutionStarted", "WorkflowTaskFailed"), env.eventTypes("changer"));
    assertEquals(0, env.client().countWorkflows(WorkflowFilter.newBuilder().addSearchAttribute("Count", 1).build()));
    env.client().newUntypedWorkflowStub("changer").terminate("test over");
  }

  private static void assertRejected(String code, String text, Runnable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    assertTrue(e.getMessage().startsWith(code + " "), e.getMessage());
    assertTrue(e.getMessage().contains(text), e.getMessage());
  }

  private static void options(Map<String, ?> attributes) {
    WorkflowOptions.newBuilder().setTaskQueue("q").setSearchAttributes(attributes).build();
  }

  private static void filter(Consumer<WorkflowFilter.Builder> config) {
    WorkflowFilter.Builder b = WorkflowFilter.newBuilder();
    config.accept(b);
    b.build();
  }

  @Test
  void badNamesTypesSizesAndFiltersAreRejectedAndNothingIsStored() {
    WorkflowClient client = env.client();
    client.newUntypedWorkflowStub("Other", WorkflowOptions.newBuilder().setTaskQueue("other").setWorkflowId("kept")
        .setSearchAttributes(Map.of("Stage", "kept")).build()).start();

    assertRejected("DURABLE-250", "search attribute name '1st' is not valid", () -> options(Map.of("1st", "x")));
    assertRejected("DURABLE-250", "name 'a-b'", () -> options(Map.of("a-b", "x")));
    assertRejected("DURABLE-251", "the value is a java.lang.Object, which is not supported",
        () -> options(Map.of("Thing", new Object())));
    assertRejected("DURABLE-251", "convert other types, such as an enum to its name",
        () -> options(Map.of("Unit", java.util.concurrent.TimeUnit.SECONDS)));
    assertRejected("DURABLE-251", "a list element is a java.lang.Integer", () -> options(Map.of("Tags", List.of(1))));
    assertRejected("DURABLE-251", "must be finite", () -> options(Map.of("Score", Double.NaN)));
    assertRejected("DURABLE-253", "has a keyword of 300 bytes", () -> options(Map.of("Note", "x".repeat(300))));
    assertRejected("DURABLE-251", "search attribute 'Note' has a keyword that is not valid Unicode (an unpaired"
        + " surrogate at index 3)", () -> options(Map.of("Note", "abc\uD83D")));
    assertRejected("DURABLE-251", "not valid Unicode (an unpaired surrogate at index 0)",
        () -> options(Map.of("Tags", List.of("ok", "\uDE00"))));
    assertRejected("DURABLE-253", "a keyword list holds at most 32",
        () -> options(Map.of("Tags", java.util.Collections.nCopies(33, "t"))));
    Map<String, Object> many = new HashMap<>();
    for (int i = 0; i < 65; i++) {
      many.put("A" + i, i);
    }
    assertRejected("DURABLE-253", "would have 65 search attributes", () -> options(many));

    assertRejected("DURABLE-254", "pageSize must be between 1 and 1000, got 0", () -> filter(b -> b.setPageSize(0)));
    assertRejected("DURABLE-254", "got 1001", () -> filter(b -> b.setPageSize(1001)));
    assertRejected("DURABLE-254", "a range on search attribute 'Stage' needs numbers or times, got a KEYWORD",
        () -> filter(b -> b.addSearchAttributeRange("Stage", "a", "b")));
    assertRejected("DURABLE-254", "mixes a INT and a DOUBLE", () -> filter(b -> b.addSearchAttributeRange("N", 1, 2.0)));
    assertRejected("DURABLE-254", "is empty: from 5 must be less than to 5",
        () -> filter(b -> b.addSearchAttributeRange("N", 5, 5)));
    assertRejected("DURABLE-254", "startTime range is empty", () -> filter(b -> b.setStartTimeRange(
        Instant.EPOCH.plusSeconds(1), Instant.EPOCH)));
    assertRejected("DURABLE-254", "workflowType must not be blank", () -> filter(b -> b.setWorkflowType(" ")));
    assertRejected("DURABLE-254", "taskQueue must be valid Unicode, got an unpaired surrogate at index 1",
        () -> filter(b -> b.setTaskQueue("q\uDE00")));
    assertRejected("DURABLE-254", "statuses must not contain null",
        () -> filter(b -> b.setStatuses(WorkflowStatus.RUNNING, null)));
    assertRejected("DURABLE-254", "only be compared with one keyword, not a list",
        () -> filter(b -> b.addSearchAttribute("Tags", List.of("a"))));
    assertRejected("DURABLE-254", "search attribute name 'x y' is not valid",
        () -> filter(b -> b.addSearchAttribute("x y", "a")));
    assertRejected("DURABLE-255", "is not one this server issued", () -> client.listWorkflows(
        WorkflowFilter.newBuilder().setPageToken("%%%").build()));
    client.newUntypedWorkflowStub("Other", WorkflowOptions.newBuilder().setTaskQueue("other").setWorkflowId("kept-2")
        .build()).start();
    WorkflowPage page = client.listWorkflows(WorkflowFilter.newBuilder().setPageSize(1).build());
    assertRejected("DURABLE-256", "was issued for a different filter", () -> client.listWorkflows(
        WorkflowFilter.newBuilder().setPageSize(1).setTaskQueue("other").setPageToken(page.nextPageToken()).build()));

    // The server checks what a remote client sends, too.
    WorkflowService service = client.workflowService();
    assertRejected("DURABLE-250", "'bad name'", () -> service.start(new WorkflowService.StartRequest("remote", "Other",
        "other", List.of(), Duration.ofSeconds(10), null, null, null,
        Map.of("bad name", new SearchAttributeValue(SearchAttributeValue.Type.KEYWORD, List.of("x"))))));
    assertRejected("DURABLE-251", "not in canonical form [7]", () -> service.start(new WorkflowService.StartRequest(
        "remote", "Other", "other", List.of(), Duration.ofSeconds(10), null, null, null,
        Map.of("N", new SearchAttributeValue(SearchAttributeValue.Type.INT, List.of("007"))))));
    assertRejected("DURABLE-251", "has the value [seven], which is not one", () -> service.start(
        new WorkflowService.StartRequest("remote", "Other", "other", List.of(), Duration.ofSeconds(10), null, null, null,
        Map.of("N", new SearchAttributeValue(SearchAttributeValue.Type.INT, List.of("seven"))))));

    assertEquals(2, client.countWorkflows(WorkflowFilter.newBuilder().build()), "nothing else was stored");
    assertEquals(Map.of("Stage", "kept"), env.describe("kept").searchAttributes());
    assertEquals(List.of("kept"), client.listWorkflows(WorkflowFilter.newBuilder().addSearchAttribute("Stage", "kept")
        .build()).executions().stream().map(WorkflowDescription::workflowId).toList());
  }
}
