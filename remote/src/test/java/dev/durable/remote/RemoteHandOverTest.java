package dev.durable.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowOptions;
import dev.durable.common.RetryOptions;
import dev.durable.internal.model.ActivitySpec;
import dev.durable.internal.model.Command;
import dev.durable.internal.model.EventAttributes;
import dev.durable.internal.model.Payload;
import dev.durable.internal.model.RetryPolicy;
import dev.durable.internal.service.WorkflowService;
import dev.durable.internal.service.WorkflowService.ActivityTask;
import dev.durable.internal.service.WorkflowService.WorkflowTask;
import dev.durable.server.DurableServer;
import dev.durable.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-overs over gRPC: completing a workflow task hands over the activity it scheduled, and
 * completing that activity hands over the workflow task its result made ready, with no poll in
 * between. A server older than these rpcs answers UNIMPLEMENTED; the client then completes the
 * plain way and the tasks go through the queues, with the same outcome.
 */
class RemoteHandOverTest {
  private static final String QUEUE = "q";
  private static final Set<String> HAND_OVER_RPCS = Set.of("CompleteWorkflowTaskAndTakeActivity",
      "CompleteActivityTaskAndTakeWorkflowTask", "WriteKeptResults");
  private static final Duration POLL = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void completionsHandTheNextTaskToTheCaller() throws Exception {
    try (DurableServer engine = DurableServer.newBuilder().setDataDir(dir).build().start();
         DurableGrpcServer server = DurableGrpcServer.newBuilder().setEmbeddedServer(engine)
             .setAddress("127.0.0.1:0").build().start();
         WorkflowClient client = WorkflowClient.connect(server.address())) {
      WorkflowService service = client.workflowService();
      WorkflowTask first = startAndPoll(client, "handed");

      Optional<ActivityTask> activity = service.completeWorkflowTaskAndTakeActivity(scheduleStamp(first), QUEUE);
      assertEquals("stamp", activity.orElseThrow().activityType());

      Optional<WorkflowTask> next = service.completeActivityTaskAndTakeWorkflowTask(activity.get().token(),
          stamped(), QUEUE);
      assertResultArrived(next.orElseThrow());
      service.writeKeptResults(next.get().runId()); // served: an older server would answer UNIMPLEMENTED
      assertTrue(client.newUntypedWorkflowStub("handed").getHistory().getEvents().stream()
          .anyMatch(e -> e.eventType().equals("ActivityTaskCompleted")));
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aResultKeptForAWorkerThatDiesIsWrittenWhenItsTaskTimesOutAndGoesToTheNextPoller() throws Exception {
    ManualClock clock = new ManualClock();
    try (DurableServer engine = DurableServer.newBuilder().setDataDir(dir).setClock(clock).build().start();
         DurableGrpcServer server = DurableGrpcServer.newBuilder().setEmbeddedServer(engine)
             .setAddress("127.0.0.1:0").build().start();
         WorkflowClient client = WorkflowClient.connect(server.address())) {
      WorkflowService service = client.workflowService();
      WorkflowTask first = startAndPoll(client, "orphaned");
      ActivityTask activity = service.completeWorkflowTaskAndTakeActivity(scheduleStamp(first), QUEUE).orElseThrow();
      // The worker takes the next task with the result, then dies: it never completes it.
      service.completeActivityTaskAndTakeWorkflowTask(activity.token(), stamped(), QUEUE).orElseThrow();

      Optional<WorkflowTask> again = Optional.empty();
      while (again.isEmpty()) { // the task times out, then waits out its retry backoff
        clock.advance(Duration.ofMinutes(1));
        again = service.pollWorkflowTask(new WorkflowService.PollRequest(QUEUE, "worker-2", Duration.ofMillis(200)));
      }
      assertResultArrived(again.get());
      List<String> types = client.newUntypedWorkflowStub("orphaned").getHistory().getEvents().stream()
          .map(e -> e.eventType()).toList();
      assertEquals(1, types.stream().filter("ActivityTaskCompleted"::equals).count(), types.toString());
      assertTrue(types.indexOf("ActivityTaskCompleted") < types.indexOf("WorkflowTaskFailed"), types.toString());
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void againstAServerWithoutHandOversTheTasksGoThroughTheQueues() throws Exception {
    try (DurableServer engine = DurableServer.newBuilder().setDataDir(dir).build().start();
         ServedOverGrpc older = new ServedOverGrpc(engine, HAND_OVER_RPCS);
         WorkflowClient client = WorkflowClient.connect(older.address())) {
      WorkflowService service = client.workflowService();
      WorkflowTask first = startAndPoll(client, "queued");

      assertEquals(Optional.empty(), service.completeWorkflowTaskAndTakeActivity(scheduleStamp(first), QUEUE));
      ActivityTask activity = service.pollActivityTask(poll()).orElseThrow(); // the completion was recorded
      assertEquals("stamp", activity.activityType());

      assertEquals(Optional.empty(), service.completeActivityTaskAndTakeWorkflowTask(activity.token(), stamped(), QUEUE));
      assertResultArrived(service.pollWorkflowTask(poll()).orElseThrow());
      service.writeKeptResults(first.runId()); // nothing is kept: no call, no failure
      assertEquals(1, older.calls("CompleteWorkflowTask")); // asked once the new way, refused, then the old way
      assertEquals(1, older.calls("CompleteActivityTask"));
    }
  }

  private static WorkflowService.PollRequest poll() {
    return new WorkflowService.PollRequest(QUEUE, "worker-1", POLL);
  }

  private static WorkflowTask startAndPoll(WorkflowClient client, String workflowId) {
    client.newUntypedWorkflowStub("Errand", WorkflowOptions.newBuilder().setTaskQueue(QUEUE)
        .setWorkflowId(workflowId).build()).start("x");
    return client.workflowService().pollWorkflowTask(poll()).orElseThrow();
  }

  private static WorkflowService.CompleteWorkflowTaskRequest scheduleStamp(WorkflowTask t) {
    ActivitySpec spec = new ActivitySpec(null, Duration.ofMinutes(1), null, null,
        RetryPolicy.of(RetryOptions.newBuilder().build()));
    return new WorkflowService.CompleteWorkflowTaskRequest(t.runId(), t.token(),
        List.of(new Command.ScheduleActivity(1, "stamp", QUEUE, List.of(), spec)), "worker-1");
  }

  private static Payload stamped() {
    return new Payload(Payload.JSON, "\"stamped\"".getBytes(StandardCharsets.UTF_8));
  }

  private static void assertResultArrived(WorkflowTask t) {
    assertTrue(t.events().stream().anyMatch(e -> e.attributes() instanceof EventAttributes.ActivityTaskCompleted c
        && new String(c.result().data(), StandardCharsets.UTF_8).equals("\"stamped\"")), t.events().toString());
  }
}
