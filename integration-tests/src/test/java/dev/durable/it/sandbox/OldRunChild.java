package dev.durable.it.sandbox;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowOptions;
import dev.durable.server.DurableServer;
import dev.durable.worker.Worker;
import dev.durable.worker.WorkflowReplayer;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The child JVM of {@link OldRunsReplayAsTheyRanTest}: records a run of {@link OldHabits.Plain},
 * then replays its history with {@link OldHabits.Habits}, {@link OldHabits.ParallelOnly} and
 * {@link OldHabits.ForkOnly} and {@link OldHabits.JoinOnly}, as recorded (the current replay semantics) and as engines of
 * semantics 2 and 3 would have recorded it. Prints {@code REPLAY <impl> <semantics> ok}, or the
 * replay's failure.
 *
 * <p>Usage: {@code OldRunChild dataDir}.
 */
public final class OldRunChild {
  private static final Pattern SEMANTICS = Pattern.compile("\"replaySemantics\"\\s*:\\s*(\\d+)");

  private OldRunChild() {}

  public static void main(String[] args) throws Exception {
    String recorded;
    try (DurableServer server = DurableServer.newBuilder().setDataDir(Path.of(args[0])).build().start();
         WorkflowClient client = WorkflowClient.newInstance(server);
         Worker worker = Worker.newBuilder(client, "old-runs")
             .registerWorkflowImplementationTypes(OldHabits.Plain.class).build()) {
      worker.start();
      String result = client.newWorkflowStub(OldHabits.class,
          WorkflowOptions.newBuilder().setTaskQueue("old-runs").setWorkflowId("old-run").build()).run();
      System.out.println("RESULT " + result);
      recorded = client.newUntypedWorkflowStub("old-run").getHistory().toJson();
    }
    Matcher m = SEMANTICS.matcher(recorded);
    if (!m.find()) {
      System.out.println("NO-SEMANTICS " + recorded);
      return;
    }
    System.out.println("RECORDED-SEMANTICS " + m.group(1));
    for (Class<?> impl : new Class<?>[] {OldHabits.Habits.class, OldHabits.ParallelOnly.class, OldHabits.ForkOnly.class,
        OldHabits.JoinOnly.class}) {
      for (int semantics = 2; semantics <= Integer.parseInt(m.group(1)); semantics++) {
        replay(impl, Integer.toString(semantics), m.replaceFirst("\"replaySemantics\":" + semantics));
      }
    }
  }

  private static void replay(Class<?> impl, String semantics, String history) {
    String outcome;
    try {
      WorkflowReplayer.replayWorkflowExecution(history, impl);
      outcome = "ok";
    } catch (Throwable t) {
      outcome = t.getClass().getSimpleName() + ": " + String.valueOf(t.getMessage()).replace('\n', ' ');
    }
    System.out.println("REPLAY " + impl.getSimpleName() + " " + semantics + " " + outcome);
  }
}
