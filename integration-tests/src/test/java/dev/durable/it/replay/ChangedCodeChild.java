package dev.durable.it.replay;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowDescription;
import dev.durable.client.WorkflowFailedException;
import dev.durable.client.WorkflowOptions;
import dev.durable.client.WorkflowStub;
import dev.durable.failure.ApplicationFailure;
import dev.durable.failure.NondeterminismError;
import dev.durable.server.DurableServer;
import dev.durable.worker.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A deployment of {@link OrderCode}: a child JVM that opens a data dir with an embedded server
 * and a worker running the code the {@code change} system property selects, carries out steps
 * on workflows, prints what it saw and exits. The next child opens the same data dir, like a
 * process restarted onto other code.
 *
 * <p>Usage: {@code ChangedCodeChild dataDir outDir step:workflowId...}, where a step is
 * <ul>
 *   <li>{@code start}: start the workflow and wait until it waits for approval;</li>
 *   <li>{@code approve}: signal the approval, then wait for the outcome;</li>
 *   <li>{@code resume}: only wait for the outcome.</li>
 * </ul>
 * The outcome is the run closing or a new workflow task failure. Each step prints lines
 * starting with the workflow id ({@code order-1 RESULT ...}, {@code order-1 TASK_FAILURE ...},
 * one line per line of the failure message) and writes the run's history to
 * {@code outDir/<workflowId>.<step>.json}.
 *
 * <p>System properties: {@code change} ({@code none}, {@code reorder} or {@code getVersion}), and
 * {@code failWorkflowOn=NondeterminismError} to end runs on non-determinism instead of retrying
 * the task.
 */
public final class ChangedCodeChild {
  static final String TASK_QUEUE = "orders";
  private static final Duration OUTCOME_WAIT = Duration.ofSeconds(30);

  private ChangedCodeChild() {}

  /**
   * Runs the deployment.
   *
   * @param args the data dir, the dir for exported histories, and the steps
   */
  public static void main(String[] args) throws IOException {
    Path dataDir = Path.of(args[0]);
    Path outDir = Path.of(args[1]);
    try (DurableServer server = DurableServer.newBuilder().setDataDir(dataDir).build().start();
         WorkflowClient client = WorkflowClient.newInstance(server);
         Worker worker = worker(client)) {
      worker.start();
      for (int i = 2; i < args.length; i++) {
        String[] step = args[i].split(":", 2);
        run(client, step[0], step[1]);
        Files.writeString(outDir.resolve(step[1] + "." + step[0] + ".json"),
            client.newUntypedWorkflowStub(step[1]).getHistory().toJson());
      }
    }
  }

  private static Worker worker(WorkflowClient client) {
    Worker.Builder b = Worker.newBuilder(client, TASK_QUEUE)
        .registerWorkflowImplementationTypes(OrderCode.forChange(System.getProperty("change", "none")))
        .registerActivitiesImplementations(new OrderCode.ShopImpl());
    if ("NondeterminismError".equals(System.getProperty("failWorkflowOn"))) {
      b.setFailWorkflowExceptionTypes(NondeterminismError.class);
    }
    return b.build();
  }

  private static void run(WorkflowClient client, String step, String workflowId) {
    WorkflowStub stub = client.newUntypedWorkflowStub(workflowId);
    switch (step) {
      case "start" -> {
        OrderCode.Order order = client.newWorkflowStub(OrderCode.Order.class,
            WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(workflowId).build());
        String runId = WorkflowClient.start(order::run, workflowId).runId();
        // Waiting for approval: one activity done and the task after it completed.
        await(workflowId + " to wait for approval", () -> {
          var types = stub.getHistory().getEvents().stream().map(e -> e.eventType()).toList();
          return types.contains("ActivityTaskCompleted") && types.get(types.size() - 1).equals("WorkflowTaskCompleted");
        });
        System.out.println(workflowId + " WAITING " + runId);
      }
      case "approve" -> {
        int attempt = stub.describe().orElseThrow().workflowTaskAttempt();
        stub.signal("approve");
        printOutcome(stub, attempt);
      }
      case "resume" -> printOutcome(stub, stub.describe().orElseThrow().workflowTaskAttempt());
      default -> throw new IllegalArgumentException("unknown step '" + step + "'");
    }
  }

  /** Waits until the run closes or a workflow task fails after attempt {@code attempt}, and prints it. */
  private static void printOutcome(WorkflowStub stub, int attempt) {
    String id = stub.getWorkflowId();
    await("an outcome of " + id, () -> {
      WorkflowDescription d = stub.describe().orElseThrow();
      return d.isClosed() || (d.lastWorkflowTaskFailure() != null && d.workflowTaskAttempt() > attempt);
    });
    WorkflowDescription d = stub.describe().orElseThrow();
    System.out.println(id + " STATUS " + d.status());
    if (!d.isClosed()) {
      System.out.println(id + " ATTEMPT " + d.workflowTaskAttempt());
      printLines(id + " TASK_FAILURE", d.lastWorkflowTaskFailure());
      return;
    }
    try {
      System.out.println(id + " RESULT " + stub.getResult(String.class));
    } catch (WorkflowFailedException e) {
      ApplicationFailure cause = (ApplicationFailure) e.getCause();
      System.out.println(id + " CAUSE_TYPE " + cause.getType());
      printLines(id + " CAUSE_MESSAGE", cause.getOriginalMessage());
    }
  }

  private static void printLines(String prefix, String text) {
    text.lines().forEach(line -> System.out.println(prefix + " " + line));
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + OUTCOME_WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("gave up after " + OUTCOME_WAIT + " waiting for " + what);
      }
      LockSupport.parkNanos(5_000_000);
    }
  }
}
