package dev.durable.it.sandbox;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowHistory;
import dev.durable.client.WorkflowOptions;
import dev.durable.client.WorkflowStub;
import dev.durable.server.DurableServer;
import dev.durable.worker.Worker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The child JVM of {@link RedirectTest}: runs {@link PlainJavaValues} on a data dir, starting it
 * unless an earlier run did, waits until it waits for its signal, and prints its values, one
 * {@code VALUE name=value} line each. In a new JVM on the same data dir the query replays the
 * history, so a second run prints what the replay computed.
 *
 * <p>The server's clock runs {@link #CLOCK_SHIFT} behind the real one, so workflow time is years
 * away from the system clock: a value read from the system clock instead of workflow time shows.
 *
 * <p>Usage: {@code RedirectChild dataDir [finish]}. With {@code finish} it then signals the
 * workflow, prints {@code RESULT <result>} and the history as {@code EVENT <type> <attributes>} lines.
 */
public final class RedirectChild {
  static final String WORKFLOW_ID = "plain-java-values";
  static final Duration CLOCK_SHIFT = Duration.ofDays(-4000).minusHours(7);
  private static final String TASK_QUEUE = "redirects";

  private RedirectChild() {}

  /**
   * Runs the child.
   *
   * @param args the data dir, then optionally {@code finish}
   */
  public static void main(String[] args) {
    Clock shifted = Clock.offset(Clock.systemUTC(), CLOCK_SHIFT);
    try (DurableServer server = DurableServer.newBuilder().setDataDir(Path.of(args[0])).setClock(shifted).build().start();
         WorkflowClient client = WorkflowClient.newInstance(server);
         Worker worker = Worker.newBuilder(client, TASK_QUEUE)
             .registerWorkflowImplementationTypes(PlainJavaValues.Impl.class)
             .registerActivitiesImplementations(new PlainJavaValues.EchoImpl())
             .build()) {
      worker.start();
      WorkflowStub stub = client.newUntypedWorkflowStub(WORKFLOW_ID);
      if (stub.describe().isEmpty()) {
        PlainJavaValues workflow = client.newWorkflowStub(PlainJavaValues.class,
            WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(WORKFLOW_ID).build());
        WorkflowClient.start(workflow::run);
      }
      String values = Await.query(stub, "values",
          v -> v.contains(PlainJavaValues.PHASE + "=" + PlainJavaValues.WAITING + "\n"));
      values.lines().forEach(line -> System.out.println("VALUE " + line));
      if (args.length > 1 && args[1].equals("finish")) {
        stub.signal("finish");
        System.out.println("RESULT " + stub.getResult(String.class));
        for (WorkflowHistory.Event e : stub.getHistory().getEvents()) {
          System.out.println("EVENT " + e.eventType() + " " + e.attributesJson());
        }
      }
    }
  }
}
