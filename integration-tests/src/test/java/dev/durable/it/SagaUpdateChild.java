package dev.durable.it;

import dev.durable.activity.Activity;
import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowOptions;
import dev.durable.client.WorkflowStub;
import dev.durable.common.RetryOptions;
import dev.durable.failure.ActivityFailure;
import dev.durable.failure.ApplicationFailure;
import dev.durable.server.DurableServer;
import dev.durable.worker.Worker;
import dev.durable.workflow.Saga;
import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.UpdateMethod;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The child JVM of {@link SagaUpdateCrashTest}: an embedded server and a worker on a data dir.
 *
 * <p>{@code saga}: starts workflow {@code trip} (unless an earlier run did), which books
 * {@value #ITEMS} items, fails to book the flight, and compensates in reverse order; each
 * compensation is slow enough for the test to kill the JVM in the middle. Exits 0 once the
 * workflow has failed with its compensations done.
 *
 * <p>{@code update}: starts workflow {@code counter} (unless an earlier run did) and sends it
 * update {@code add-1} (id {@value #UPDATE_ID}); in run 1 the update's activity never returns, so
 * the test kills the JVM after the update was accepted. A later run sends the same update id
 * again, prints {@code UPDATE-RESULT <result>} and exits 0.
 *
 * <p>{@code local} (run under the agent): runs workflow {@code sum}, whose local activities write
 * the ledger, and prints {@code LOCAL-RESULT <sum>}.
 *
 * <p>Every activity execution appends {@code <what> run=<run> exec=<n>} to the ledger file.
 *
 * <p>Usage: {@code SagaUpdateChild saga|update|local dataDir ledgerFile runNumber}.
 */
public final class SagaUpdateChild {
  static final int ITEMS = 5;
  static final String TASK_QUEUE = "saga-update-crash";
  static final String UPDATE_ID = "add-1";

  private SagaUpdateChild() {}

  @ActivityInterface
  public interface Travel {
    String book(int item);

    String undo(int item);

    int apply(int amount);

    int note(int amount);
  }

  @WorkflowInterface
  public interface Trip {
    @WorkflowMethod
    void run();
  }

  public static class TripImpl implements Trip {
    private final Travel travel = Workflow.newActivityStub(Travel.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(5))
        .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(20)).setMaximumAttempts(3).build())
        .build());

    @Override
    public void run() {
      Saga saga = new Saga(Saga.Options.newBuilder().build());
      try {
        for (int i = 0; i < ITEMS; i++) {
          travel.book(i);
          saga.addCompensation(travel::undo, i);
        }
        travel.book(-1); // the flight: sold out
      } catch (ActivityFailure e) {
        saga.compensate();
        throw e;
      }
    }
  }

  @WorkflowInterface
  public interface Counter {
    @WorkflowMethod
    int run();

    @UpdateMethod
    int add(int amount);

    @SignalMethod
    void finish();
  }

  public static class CounterImpl implements Counter {
    private final Travel travel = Workflow.newActivityStub(Travel.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(5)).build());
    private int total;
    private boolean finished;

    @Override
    public int run() {
      Workflow.await(() -> finished);
      return total;
    }

    @Override
    public int add(int amount) {
      total += travel.apply(amount);
      return total;
    }

    @Override
    public void finish() {
      finished = true;
    }
  }

  @WorkflowInterface
  public interface Sum {
    @WorkflowMethod
    int run();
  }

  /** Calls a local activity that writes a file: allowed, because it runs on the worker's threads, not the workflow's. */
  public static class SumImpl implements Sum {
    private final Travel local = Workflow.newLocalActivityStub(Travel.class,
        dev.durable.activity.LocalActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(5)).build());

    @Override
    public int run() {
      return local.note(5) + local.note(6);
    }
  }

  /** Writes a ledger line for every execution; in run 1, {@code apply} never returns. */
  static final class LedgerTravel implements Travel {
    private final FileChannel ledger;
    private final Path ledgerFile;
    private final int run;
    private final AtomicInteger executions = new AtomicInteger();

    LedgerTravel(FileChannel ledger, Path ledgerFile, int run) {
      this.ledger = ledger;
      this.ledgerFile = ledgerFile;
      this.run = run;
    }

    @Override
    public String book(int item) {
      String line = write("book " + item);
      if (item < 0) {
        throw ApplicationFailure.newNonRetryableFailure("no flight available", "SoldOut");
      }
      return line;
    }

    @Override
    public String undo(int item) {
      String line = write("undo " + item);
      pause(Duration.ofMillis(150)); // a window in which the test's SIGKILL lands mid-compensation
      return line;
    }

    @Override
    public int apply(int amount) {
      write("apply " + amount);
      if (run == 1) {
        // The update was accepted and its handler is running: wait here to be killed.
        pause(ChildJvm.DEADLINE);
      }
      return amount;
    }

    @Override
    public int note(int amount) {
      // Opens the file itself: on a workflow thread, the agent would report this as DURABLE-101.
      String line = "note " + amount + " run=" + run + " exec=" + executions.incrementAndGet() + "\n";
      try {
        java.nio.file.Files.writeString(ledgerFile, line, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return amount;
    }

    private String write(String what) {
      String line = what + " run=" + run + " exec=" + executions.incrementAndGet() + " attempt="
          + Activity.getExecutionContext().getInfo().attempt();
      try {
        ledger.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return line;
    }

    private static void pause(Duration d) {
      try {
        Thread.sleep(d.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Runs the child.
   *
   * @param args the mode, the data dir, the ledger file and the run number
   */
  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Path dataDir = Path.of(args[1]);
    Path ledgerFile = Path.of(args[2]);
    int run = Integer.parseInt(args[3]);
    try (FileChannel ledger = FileChannel.open(ledgerFile,
             StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
         DurableServer server = DurableServer.newBuilder().setDataDir(dataDir).build().start();
         WorkflowClient client = WorkflowClient.newInstance(server);
         Worker worker = Worker.newBuilder(client, TASK_QUEUE)
             .registerWorkflowImplementationTypes(TripImpl.class, CounterImpl.class, SumImpl.class)
             .registerActivitiesImplementations(new LedgerTravel(ledger, ledgerFile, run))
             .build()) {
      worker.start();
      WorkflowOptions.Builder options = WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE);
      if (mode.equals("local")) {
        Sum sum = client.newWorkflowStub(Sum.class, options.setWorkflowId("sum").build());
        System.out.println("LOCAL-RESULT " + sum.run());
      } else if (mode.equals("saga")) {
        if (client.newUntypedWorkflowStub("trip").describe().isEmpty()) {
          WorkflowClient.start(client.newWorkflowStub(Trip.class, options.setWorkflowId("trip").build())::run);
        }
        WorkflowStub trip = client.newUntypedWorkflowStub("trip");
        try {
          trip.getResult(Void.class);
          System.out.println("SAGA unexpectedly completed");
        } catch (dev.durable.client.WorkflowFailedException e) {
          System.out.println("SAGA " + e.getStatus());
        }
      } else {
        if (client.newUntypedWorkflowStub("counter").describe().isEmpty()) {
          WorkflowClient.start(client.newWorkflowStub(Counter.class, options.setWorkflowId("counter").build())::run);
        }
        WorkflowStub counter = client.newUntypedWorkflowStub("counter");
        int result = counter.update(UPDATE_ID, "add", Integer.class, 7);
        System.out.println("UPDATE-RESULT " + result);
        counter.signal("finish");
        System.out.println("COUNTER " + counter.getResult(Integer.class));
      }
    }
  }
}
