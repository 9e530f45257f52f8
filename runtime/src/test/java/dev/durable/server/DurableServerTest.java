package dev.durable.server;

import static dev.durable.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.activity.Activity;
import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowStatus;
import dev.durable.common.DurableException;
import dev.durable.testing.ManualClock;
import dev.durable.testing.TestEnv;
import dev.durable.worker.Worker;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded server's lifecycle: exclusive data dir, start and close, recovery and backups. */
class DurableServerTest {
  @WorkflowInterface
  public interface Echo {
    @WorkflowMethod
    String run(String text);
  }

  public static final class EchoImpl implements Echo {
    @Override
    public String run(String text) {
      Workflow.sleep(Duration.ofMinutes(1));
      return text;
    }
  }

  @ActivityInterface
  public interface Export {
    String export(String what);
  }

  @WorkflowInterface
  public interface Exporting {
    @WorkflowMethod
    String run(String what);
  }

  public static final class ExportingImpl implements Exporting {
    private final Export export = Workflow.newActivityStub(Export.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofHours(1)).build());

    @Override
    public String run(String what) {
      return export.export(what);
    }
  }

  /** The first execution hangs until released (a process that dies mid-activity); later ones return. */
  static final class HangingExport implements Export {
    final List<Integer> attempts = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public String export(String what) {
      attempts.add(Activity.getExecutionContext().getInfo().attempt());
      if (attempts.size() == 1) {
        started.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return "exported " + what;
    }
  }

  @TempDir Path dir;

  @Test
  void secondServerOnADataDirInUseFailsNamingTheDirAndTheFirstKeepsWorking() {
    try (TestEnv env = TestEnv.open(dir)) {
      DurableServer second = DurableServer.newBuilder().setDataDir(dir).build();
      DurableException e = assertThrows(DurableException.class, second::start);
      assertEquals("DURABLE-301", e.getCode());
      assertTrue(e.getMessage().startsWith("DURABLE-301 data dir " + dir.toAbsolutePath() + " is in use by another server"),
          e.getMessage());
      assertTrue(e.getMessage().contains(Long.toString(ProcessHandle.current().pid())), e.getMessage());

      env.startWorker(b -> b.registerWorkflowImplementationTypes(EchoImpl.class));
      WorkflowClient.start(env.newWorkflow(Echo.class, "still-works")::run, "yes");
      env.awaitEvent("still-works", "TimerStarted");
      env.clock().advance(Duration.ofMinutes(1));
      assertEquals("yes", env.result("still-works", String.class));
    }
    try (DurableServer reopened = DurableServer.newBuilder().setDataDir(dir).build().start()) {
      assertEquals(WorkflowStatus.COMPLETED,
          WorkflowClient.newInstance(reopened).newUntypedWorkflowStub("still-works").describe().orElseThrow().status());
    }
  }

  @Test
  void serverCannotBeStartedTwiceNorUsedAfterClose() {
    DurableServer server = DurableServer.newBuilder().setDataDir(dir).setClock(new ManualClock()).build().start();
    IllegalStateException twice = assertThrows(IllegalStateException.class, server::start);
    assertTrue(twice.getMessage().startsWith("DURABLE-214 the server for " + dir + " is already started"), twice.getMessage());

    WorkflowClient client = WorkflowClient.newInstance(server);
    server.close();
    DurableException closed = assertThrows(DurableException.class, () -> client.newUntypedWorkflowStub("any").describe());
    assertEquals("DURABLE-213 the server is closed; create a new DurableServer to continue.", closed.getMessage());
  }

  @Test
  void backupIntoAnExistingDirectoryIsRejected() throws Exception {
    try (TestEnv env = TestEnv.open(dir.resolve("data"))) {
      Path existing = java.nio.file.Files.createDirectory(dir.resolve("existing"));
      DurableException e = assertThrows(DurableException.class, () -> env.server().backup(existing));
      assertEquals("DURABLE-302", e.getCode());
      assertTrue(e.getMessage().contains("The target directory must not exist yet"), e.getMessage());
    }
  }

  @Test
  void workerPollersStopByThemselvesWhenTheServerCloses() {
    DurableServer server = DurableServer.newBuilder().setDataDir(dir).setClock(new ManualClock()).build().start();
    try (Worker worker = Worker.newBuilder(WorkflowClient.newInstance(server), "orphaned-queue")
        .registerWorkflowImplementationTypes(EchoImpl.class).setMaxConcurrentWorkflowTasks(1).build()) {
      worker.start();
      eventually("the workflow and the activity poller to wait for tasks", () -> pollersWaiting() == 2);
      server.close();
      eventually("the worker's pollers to stop after the server closed", () -> !pollerAlive());
    }
  }

  @Test
  void workerStartedOnAClosedServerStopsPolling() {
    DurableServer server = DurableServer.newBuilder().setDataDir(dir).setClock(new ManualClock()).build().start();
    WorkflowClient client = WorkflowClient.newInstance(server);
    server.close();
    try (Worker worker = Worker.newBuilder(client, "orphaned-queue").registerWorkflowImplementationTypes(EchoImpl.class)
        .setMaxConcurrentWorkflowTasks(1).build()) {
      worker.start();
      eventually("the worker's pollers to stop", () -> !pollerAlive());
    }
  }

  private static long pollersWaiting() {
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(e -> e.getKey().getName().contains("poller-orphaned-queue"))
        .filter(e -> Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().endsWith("DispatchQueue")))
        .count();
  }

  private static boolean pollerAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().startsWith("durable-") && t.getName().contains("poller-orphaned-queue") && t.isAlive());
  }

  @Test
  void activityRunningWhenTheServerStopsIsDispatchedAgainAtOnceAfterTheRestart() throws InterruptedException {
    HangingExport export = new HangingExport();
    try (TestEnv env = TestEnv.open(dir)) {
      env.startWorker(b -> b.registerWorkflowImplementationTypes(ExportingImpl.class).registerActivitiesImplementations(export));
      WorkflowClient.start(env.newWorkflow(Exporting.class, "export")::run, "report");
      assertTrue(export.started.await(10, TimeUnit.SECONDS));

      env.closeServerUnderRunningWorkers();
      export.release.countDown(); // its completion reaches a closed server and is lost
      env.restartServer();
      env.startWorker(b -> b.registerWorkflowImplementationTypes(ExportingImpl.class).registerActivitiesImplementations(export));

      // No clock advance: the restarted server does not wait for the start-to-close timeout.
      assertEquals("exported report", env.result("export", String.class));
      assertEquals(2, export.attempts.size(), "at least once: the lost execution runs again");
    }
  }

  @Test
  void clientWaitingForAResultIsToldWhenTheServerCloses() throws Exception {
    DurableServer server = DurableServer.newBuilder().setDataDir(dir).setClock(new ManualClock()).build().start();
    WorkflowClient client = WorkflowClient.newInstance(server);
    client.newUntypedWorkflowStub("Echo", TestEnv.options("waited-for")).start("x"); // no worker: it never ends
    CompletableFuture<String> waiting = CompletableFuture.supplyAsync(
        () -> client.newUntypedWorkflowStub("waited-for").getResult(String.class));
    eventually("the client to wait", () -> Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getMethodName().equals("awaitClose"))));

    server.close();
    ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
    DurableException cause = assertInstanceOf(DurableException.class, e.getCause());
    assertEquals("DURABLE-213", cause.getCode());
  }

  @Test
  void builderRequiresADataDir() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DurableServer.newBuilder().build());
    assertTrue(e.getMessage().startsWith("DURABLE-201 dataDir must be set"), e.getMessage());
  }

  @Test
  void backupIsAConsistentCopyAServerCanOpen() {
    Path copy = dir.resolve("backup");
    try (TestEnv env = TestEnv.open(dir.resolve("data"))) {
      env.startWorker(b -> b.registerWorkflowImplementationTypes(EchoImpl.class));
      WorkflowClient.start(env.newWorkflow(Echo.class, "saved")::run, "from the backup");
      env.awaitEvent("saved", "TimerStarted");
      env.server().backup(copy);
    }
    try (TestEnv restored = TestEnv.open(copy)) {
      restored.startWorker(b -> b.registerWorkflowImplementationTypes(EchoImpl.class));
      assertEquals(WorkflowStatus.RUNNING, restored.describe("saved").status());
      restored.clock().advance(Duration.ofMinutes(1));
      assertEquals("from the backup", restored.result("saved", String.class));
    }
  }
}
