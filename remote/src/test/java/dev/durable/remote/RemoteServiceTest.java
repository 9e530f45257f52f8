package dev.durable.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.ConnectionOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowDescription;
import dev.durable.client.WorkflowFailedException;
import dev.durable.client.WorkflowFilter;
import dev.durable.client.WorkflowNotFoundException;
import dev.durable.client.WorkflowOptions;
import dev.durable.client.WorkflowStatus;
import dev.durable.common.DurableException;
import dev.durable.server.DurableServer;
import dev.durable.internal.service.WorkflowService;
import dev.durable.testing.Eventually;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The remote service itself: graceful shutdown, the missing-transport error. */
class RemoteServiceTest {
  @TempDir Path dir;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void closingTheServerAnswersPendingLongPollsWithNoTaskAtOnce() throws Exception {
    DurableGrpcServer server = DurableGrpcServer.newBuilder().setDataDir(dir).setAddress("127.0.0.1:0").build().start();
    try (WorkflowClient client = WorkflowClient.connect(server.address())) {
      WorkflowService service = client.workflowService();
      // Polls that would wait ten minutes: only the drain can end them within the test's timeout.
      var poll = CompletableFuture.supplyAsync(() -> service.pollActivityTask(
          new WorkflowService.PollRequest("q", "worker-1", Duration.ofMinutes(10))));
      var workflowPoll = CompletableFuture.supplyAsync(() -> service.pollWorkflowTask(
          new WorkflowService.PollRequest("q", "worker-1", Duration.ofMinutes(10))));
      Eventually.eventually("both polls wait at the server", () -> server.pendingPolls() == 2);
      server.close();
      assertEquals(Optional.empty(), poll.get());
      assertEquals(Optional.empty(), workflowPoll.get());
    }
    // The data dir was closed: another server opens it.
    try (DurableGrpcServer again = DurableGrpcServer.newBuilder().setDataDir(dir).setAddress("127.0.0.1:0").build().start();
         WorkflowClient client = WorkflowClient.connect(again.address())) {
      var e = assertThrows(WorkflowNotFoundException.class, () -> client.newUntypedWorkflowStub("nope").signal("s"));
      assertEquals("DURABLE-207", e.getCode());
      assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aClientOfSeveralAddressesCallsTheFirstServerThatAcceptsAndMovesOnWhenItGoes() throws Exception {
    String first = freeAddress();
    String second = freeAddress();
    try (WorkflowClient client = WorkflowClient.connect(first + ", " + second)) {
      // Only the second listens (a standby's port is closed): calls go there.
      try (DurableGrpcServer b = server(dir.resolve("b"), second)) {
        start(client, "on-b");
        assertEquals(1, client.countWorkflows(WorkflowFilter.newBuilder().build()));
      }
      // It went away; the first now listens. Calls move there, the first call perhaps failing while
      // the connection is made again.
      try (DurableGrpcServer a = server(dir.resolve("a"), first)) {
        Eventually.eventually("a call that reaches the first server", () -> {
          try {
            start(client, "on-a");
            return true;
          } catch (DurableException e) {
            assertEquals("DURABLE-261", e.getCode(), e.getMessage());
            return false;
          }
        });
        assertEquals(List.of("on-a"), ids(client));
        // Both listen: a new client takes the first address.
        try (DurableGrpcServer b = server(dir.resolve("b"), second);
            WorkflowClient fresh = WorkflowClient.connect(first + "," + second)) {
          assertEquals(List.of("on-a"), ids(fresh));
        }
      }
    }
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> ConnectionOptions.newBuilder()
        .setAddress(first + ",nowhere"));
    assertTrue(bad.getMessage().startsWith("DURABLE-201 address must be HOST:PORT"), bad.getMessage());
    assertTrue(bad.getMessage().endsWith("got \"nowhere\""), bad.getMessage());
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aClientOfSeveralAddressesWaitingForAResultWaitsForTheNextServerInsteadOfFailing() throws Exception {
    String first = freeAddress();
    String second = freeAddress();
    Path data = dir.resolve("moving");
    try (WorkflowClient client = WorkflowClient.connect(first + "," + second)) {
      try (DurableGrpcServer a = server(data, first)) {
        start(client, "moving"); // no worker: it stays open
      }
      // No server listens now. The wait for the result is made again, waiting for a connection
      // (a call that changes something would fail with DURABLE-261 instead).
      CompletableFuture<Throwable> outcome = new CompletableFuture<>();
      Thread waiter = new Thread(() -> {
        try {
          outcome.complete(new AssertionError("a result: " + client.newUntypedWorkflowStub("moving")
              .getResult(String.class)));
        } catch (Throwable e) {
          outcome.complete(e);
        }
      }, "result-waiter");
      waiter.start();
      Eventually.eventually("the wait for the result waiting for a server", () -> !outcome.isDone()
          && Arrays.stream(waiter.getStackTrace()).anyMatch(f -> f.getMethodName().equals("readAgain")));
      // The next server serves the same workflows (here: the same data dir).
      try (DurableGrpcServer b = server(data, second); WorkflowClient direct = WorkflowClient.connect(second)) {
        direct.newUntypedWorkflowStub("moving").terminate("moved");
        Throwable e = outcome.get();
        assertTrue(e instanceof WorkflowFailedException, String.valueOf(e));
        assertEquals(WorkflowStatus.TERMINATED, ((WorkflowFailedException) e).getStatus());
      }
    }
  }

  private static List<String> ids(WorkflowClient client) {
    return client.listWorkflows(false, 10).stream().map(WorkflowDescription::workflowId).toList();
  }

  private static DurableGrpcServer server(Path dataDir, String address) {
    return DurableGrpcServer.newBuilder().setDataDir(dataDir).setAddress(address).build().start();
  }

  private static void start(WorkflowClient client, String id) {
    client.newUntypedWorkflowStub("Greeting", WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId(id).build())
        .start("x");
  }

  private static String freeAddress() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "127.0.0.1:" + s.getLocalPort();
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void anEmbeddedServerServedAgainHandsTasksToPollersThatWereDrained() throws Exception {
    try (DurableServer engine = DurableServer.newBuilder().setDataDir(dir).build().start()) {
      DurableGrpcServer first = DurableGrpcServer.newBuilder().setEmbeddedServer(engine).setAddress("127.0.0.1:0")
          .build().start();
      try (WorkflowClient client = WorkflowClient.connect(first.address())) {
        var poll = CompletableFuture.supplyAsync(() -> client.workflowService().pollWorkflowTask(
            new WorkflowService.PollRequest("q", "worker-1", Duration.ofMinutes(10))));
        Eventually.eventually("the poll waits at the server", () -> first.pendingPolls() == 1);
        first.close();
        assertEquals(Optional.empty(), poll.get());
      }
      try (DurableGrpcServer second = DurableGrpcServer.newBuilder().setEmbeddedServer(engine)
              .setAddress("127.0.0.1:0").build().start();
           WorkflowClient client = WorkflowClient.connect(second.address())) {
        client.newUntypedWorkflowStub("Greeting", WorkflowOptions.newBuilder().setTaskQueue("q")
            .setWorkflowId("after-drain").build()).start("x");
        // The same worker identity gets the task: draining left no mark in the engine.
        var task = client.workflowService().pollWorkflowTask(
            new WorkflowService.PollRequest("q", "worker-1", Duration.ofMinutes(10)));
        assertEquals("after-drain", task.orElseThrow().workflowId());
      }
    }
  }
}
