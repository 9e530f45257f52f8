package dev.durable.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.testing.TestEnv;
import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listing and counting runs by status, type, task queue, time ranges and search attributes, with paging. */
class ListWorkflowsTest {
  static final String OTHER_QUEUE = "other-queue";

  @WorkflowInterface
  public interface Ticket {
    @WorkflowMethod
    String run();

    @SignalMethod
    void close();
  }

  /** Marks itself open, waits for the close signal, then marks itself done. */
  public static final class TicketImpl implements Ticket {
    private boolean closed;

    @Override
    public String run() {
      Workflow.upsertSearchAttributes(Map.of("Stage", "open", "Total", 120.5, "Priority", 3,
          "OpenedAt", Workflow.now(), "Urgent", true));
      Workflow.await(() -> closed);
      Workflow.upsertSearchAttributes(Map.of("Stage", "done"));
      return Workflow.getInfo().searchAttributes().toString();
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @TempDir Path dir;
  private TestEnv env;
  private WorkflowClient client;
  private Instant t0;

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
    client = env.client();
    t0 = env.clock().instant();
  }

  @AfterEach
  void close() {
    env.close();
  }

  private void startWorker() {
    env.startWorker(b -> b.registerWorkflowImplementationTypes(TicketImpl.class));
  }

  /** Starts a run of a type no worker serves, so it stays running. */
  private void startOther(String workflowId, Map<String, ?> searchAttributes) {
    client.newUntypedWorkflowStub("Other", WorkflowOptions.newBuilder().setTaskQueue(OTHER_QUEUE)
        .setWorkflowId(workflowId).setSearchAttributes(searchAttributes).build()).start();
  }

  private void startTicket(String workflowId, Map<String, ?> searchAttributes) {
    WorkflowClient.start(client.newWorkflowStub(Ticket.class, WorkflowOptions.newBuilder()
        .setTaskQueue(TestEnv.TASK_QUEUE).setWorkflowId(workflowId).setSearchAttributes(searchAttributes).build())::run);
  }

  private List<String> ids(WorkflowFilter.Builder filter) {
    WorkflowPage page = client.listWorkflows(filter.build());
    assertNull(page.nextPageToken(), "one page expected");
    List<String> ids = page.executions().stream().map(WorkflowDescription::workflowId).toList();
    assertEquals(ids.size(), client.countWorkflows(filter.build()), "count of " + filter.build());
    return ids;
  }

  private static WorkflowFilter.Builder filter() {
    return WorkflowFilter.newBuilder();
  }

  @Test
  void listsAndCountsByStatusTypeTaskQueueAndTimeRanges() {
    startWorker();
    startTicket("t1", Map.of());
    env.awaitEvent("t1", "UpsertWorkflowSearchAttributes");
    env.clock().advance(Duration.ofMinutes(1));
    startTicket("t2", Map.of());
    env.awaitEvent("t2", "UpsertWorkflowSearchAttributes");
    env.clock().advance(Duration.ofMinutes(1));
    startOther("o1", Map.of());
    env.clock().advance(Duration.ofMinutes(1));
    client.newWorkflowStub(Ticket.class, "t1").close();
    assertTrue(env.result("t1", String.class).contains("Stage=done"));
    env.clock().advance(Duration.ofMinutes(1));
    client.newUntypedWorkflowStub("t2").terminate("not needed");

    assertEquals(List.of("o1", "t2", "t1"), ids(filter()));
    assertEquals(List.of("o1"), ids(filter().setStatuses(WorkflowStatus.RUNNING)));
    assertEquals(List.of("t1"), ids(filter().setStatuses(WorkflowStatus.COMPLETED)));
    assertEquals(List.of("t2", "t1"), ids(filter().setStatuses(WorkflowStatus.COMPLETED, WorkflowStatus.TERMINATED)));
    assertEquals(List.of(), ids(filter().setStatuses(WorkflowStatus.FAILED)));
    assertEquals(List.of("t2", "t1"), ids(filter().setWorkflowType("Ticket")));
    assertEquals(List.of("o1"), ids(filter().setTaskQueue(OTHER_QUEUE)));
    assertEquals(List.of(), ids(filter().setTaskQueue(OTHER_QUEUE).setWorkflowType("Ticket")));
    assertEquals(List.of("t2"), ids(filter().setStartTimeRange(t0.plusSeconds(60), t0.plusSeconds(120))));
    assertEquals(List.of("o1", "t2"), ids(filter().setStartTimeRange(t0.plusSeconds(60), null)));
    assertEquals(List.of("t1"), ids(filter().setStartTimeRange(null, t0.plusSeconds(60))));
    // t1 closed at 3 min, t2 at 4 min; o1 is open, so a close-time range leaves it out.
    assertEquals(List.of("t2", "t1"), ids(filter().setCloseTimeRange(t0, null)));
    assertEquals(List.of("t1"), ids(filter().setCloseTimeRange(t0, t0.plusSeconds(200))));
    assertEquals(List.of("t2"), ids(filter().setCloseTimeRange(t0.plusSeconds(200), null)
        .setWorkflowType("Ticket")));
    assertEquals(List.of("t2"), ids(filter().setStatuses(WorkflowStatus.TERMINATED, WorkflowStatus.RUNNING)
        .setWorkflowType("Ticket").setStartTimeRange(t0.plusSeconds(30), null)));

    // The old form still works and agrees.
    assertEquals(List.of("o1"), client.listWorkflows(true, 10).stream().map(WorkflowDescription::workflowId).toList());
    assertEquals(List.of("o1", "t2"), client.listWorkflows(false, 2).stream().map(WorkflowDescription::workflowId)
        .toList());
  }

  @Test
  void searchAttributesAreIndexedDescribedAndKeptAcrossRestartAndReplay() {
    startWorker();
    startTicket("t1", Map.of("CustomerId", "c-42", "Tags", List.of("vip", "eu")));
    env.awaitEvent("t1", "UpsertWorkflowSearchAttributes");
    env.clock().advance(Duration.ofSeconds(1));
    startTicket("t2", Map.of("CustomerId", "c-7"));
    env.awaitEvent("t2", "UpsertWorkflowSearchAttributes");

    Map<String, Object> attributes = env.describe("t1").searchAttributes();
    assertEquals("c-42", attributes.get("CustomerId"));
    assertEquals(List.of("vip", "eu"), attributes.get("Tags"));
    assertEquals("open", attributes.get("Stage"));
    assertEquals(120.5, attributes.get("Total"));
    assertEquals(3L, attributes.get("Priority"));
    assertEquals(true, attributes.get("Urgent"));
    assertEquals(t0, attributes.get("OpenedAt"));

    assertEquals(List.of("t1"), ids(filter().addSearchAttribute("CustomerId", "c-42")));
    assertEquals(List.of("t1"), ids(filter().addSearchAttribute("Tags", "vip")));
    assertEquals(List.of(), ids(filter().addSearchAttribute("Tags", "us")));
    assertEquals(List.of("t2", "t1"), ids(filter().addSearchAttribute("Stage", "open")));
    assertEquals(List.of("t2", "t1"), ids(filter().addSearchAttribute("Priority", 3)));
    assertEquals(List.of(), ids(filter().addSearchAttribute("Priority", 3.0)), "a double does not match a long");
    assertEquals(List.of("t2", "t1"), ids(filter().addSearchAttributeRange("Total", 100.0, 200.0)));
    assertEquals(List.of(), ids(filter().addSearchAttributeRange("Total", -1e9, 120.5)));
    assertEquals(List.of("t2", "t1"), ids(filter().addSearchAttributeRange("Priority", 3, null)));
    assertEquals(List.of(), ids(filter().addSearchAttributeRange("Priority", null, 3L)));
    assertEquals(List.of("t2", "t1"), ids(filter().addSearchAttributeRange("OpenedAt", t0, t0.plusSeconds(2))));
    assertEquals(List.of("t2"), ids(filter().addSearchAttributeRange("OpenedAt", t0.plusMillis(1), null)));
    assertEquals(List.of("t2", "t1"), ids(filter().addSearchAttribute("Urgent", true)));
    assertEquals(List.of("t1"), ids(filter().addSearchAttribute("Urgent", true).addSearchAttribute("Tags", "eu")
        .addSearchAttribute("Stage", "open").setWorkflowType("Ticket").setStatuses(WorkflowStatus.RUNNING)));

    // A restart drops the workers' cached runs: the next task replays the upsert from history.
    env.restartServer();
    client = env.client();
    startWorker();
    client.newWorkflowStub(Ticket.class, "t1").close();
    String seenByCode = env.result("t1", String.class);
    assertTrue(seenByCode.contains("CustomerId=c-42") && seenByCode.contains("Stage=done")
        && seenByCode.contains("Priority=3"), seenByCode);
    assertEquals(2, env.eventTypes("t1").stream().filter("UpsertWorkflowSearchAttributes"::equals).count(),
        "one upsert before and one after the restart: " + env.eventTypes("t1"));

    assertEquals(List.of("t1"), ids(filter().addSearchAttribute("Stage", "done")));
    assertEquals(List.of("t2"), ids(filter().addSearchAttribute("Stage", "open")));
    assertEquals("done", env.describe("t1").searchAttributes().get("Stage"));
    assertEquals(List.of(), client.verifyHistory("t1").problems());
  }

  @Test
  void pagesAreStableWhileRunsAreAdded() {
    for (int i = 1; i <= 25; i++) {
      startOther(String.format("w%02d", i), Map.of("Batch", i % 2 == 0 ? "even" : "odd"));
      env.clock().advance(Duration.ofSeconds(1));
    }
    WorkflowFilter first = filter().setPageSize(10).setTaskQueue(OTHER_QUEUE).build();
    assertEquals(OTHER_QUEUE, first.getTaskQueue());
    assertEquals(10, first.getPageSize());
    assertNull(first.getStartTimeFrom());
    WorkflowPage p1 = client.listWorkflows(first);
    assertEquals(List.of("w25", "w24", "w23", "w22", "w21", "w20", "w19", "w18", "w17", "w16"), ids(p1));
    assertNotNull(p1.nextPageToken());
    for (int i = 26; i <= 30; i++) {
      startOther(String.format("w%02d", i), Map.of("Batch", "late"));
      env.clock().advance(Duration.ofSeconds(1));
    }
    WorkflowPage p2 = client.listWorkflows(first.toBuilder().setPageToken(p1.nextPageToken()).build());
    assertEquals(List.of("w15", "w14", "w13", "w12", "w11", "w10", "w09", "w08", "w07", "w06"), ids(p2));
    // The page size may change between pages; the conditions may not.
    WorkflowPage p3 = client.listWorkflows(first.toBuilder().setPageToken(p2.nextPageToken()).setPageSize(5).build());
    assertEquals(List.of("w05", "w04", "w03", "w02", "w01"), ids(p3));
    assertFalse(p3.hasNextPage(), "the last page has no token");

    List<String> all = client.streamWorkflows(filter().setPageSize(7).build()).map(WorkflowDescription::workflowId)
        .toList();
    assertEquals(30, all.size());
    assertEquals(30, new HashSet<>(all).size());
    assertEquals("w30", all.get(0));
    assertEquals("w01", all.get(29));
    List<String> odd = new ArrayList<>();
    client.streamWorkflows(filter().setPageSize(4).addSearchAttribute("Batch", "odd").build())
        .forEach(d -> odd.add(d.workflowId()));
    assertEquals(13, odd.size());
    assertEquals("w25", odd.get(0));
    assertEquals(13, client.countWorkflows(filter().addSearchAttribute("Batch", "odd").build()));
    assertEquals(30, client.countWorkflows(filter().build()));
    assertEquals(5, client.countWorkflows(filter().addSearchAttribute("Batch", "late").build()));
  }

  private static List<String> ids(WorkflowPage page) {
    return page.executions().stream().map(WorkflowDescription::workflowId).toList();
  }
}
