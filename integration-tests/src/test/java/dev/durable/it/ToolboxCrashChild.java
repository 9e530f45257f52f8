package dev.durable.it;

import dev.durable.activity.Activity;
import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowOptions;
import dev.durable.common.RetryOptions;
import dev.durable.server.DurableServer;
import dev.durable.worker.Worker;
import dev.durable.workflow.Async;
import dev.durable.workflow.ChildWorkflowOptions;
import dev.durable.workflow.Promise;
import dev.durable.workflow.SignalMethod;
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
import java.util.ArrayList;
import java.util.List;

/**
 * The child JVM of {@link ToolboxCrashTest}: an embedded server and a worker on a data dir that
 * run one workload of the workflow toolbox, started unless an earlier run started it, and print
 * {@code result=<value>} and exit 0 once it has a result. Every activity execution appends a line
 * {@code <workflowId>:<n>} to the ledger file, so the test sees progress and can kill the JVM
 * half-way.
 *
 * <p>Usage: {@code ToolboxCrashChild fanout|children|chain|signals dataDir ledgerFile}.
 */
public final class ToolboxCrashChild {
  static final String TASK_QUEUE = "toolbox-crash";
  static final int FAN_OUT = 1000;
  static final int CHILDREN = 20;
  static final int CHILD_STEPS = 3;
  static final int CHAIN_STEPS = 60;
  static final int STEPS_PER_RUN = 5;
  static final int SIGNALS = 40;

  private ToolboxCrashChild() {}

  /** One unit of work: writes a ledger line and returns {@code x * x}. */
  @ActivityInterface
  public interface Work {
    long square(int x);
  }

  /** Fans out to {@code count} activities and returns the sum of their results. */
  @WorkflowInterface
  public interface FanOut {
    @WorkflowMethod
    long run(int count);
  }

  public static final class FanOutImpl implements FanOut {
    private final Work work = Workflow.newActivityStub(Work.class, options());

    @Override
    public long run(int count) {
      List<Promise<Long>> results = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        results.add(Async.function(work::square, i));
      }
      Promise.allOf(results).get();
      long sum = 0;
      for (Promise<Long> r : results) {
        sum += r.get();
      }
      return sum;
    }
  }

  /** Starts {@code count} children at once and sums their results. */
  @WorkflowInterface
  public interface Parent {
    @WorkflowMethod
    long run(int count);
  }

  public static final class ParentImpl implements Parent {
    @Override
    public long run(int count) {
      List<Promise<Long>> results = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        Steps child = Workflow.newChildWorkflowStub(Steps.class,
            ChildWorkflowOptions.newBuilder().setWorkflowId("child-" + i).build());
        results.add(Async.function(child::run, i * 100, CHILD_STEPS));
      }
      long sum = 0;
      for (Promise<Long> r : results) {
        sum += r.get();
      }
      return sum;
    }
  }

  /** Runs {@code steps} activities one after the other from {@code from} and sums their results. */
  @WorkflowInterface
  public interface Steps {
    @WorkflowMethod
    long run(int from, int steps);
  }

  public static final class StepsImpl implements Steps {
    private final Work work = Workflow.newActivityStub(Work.class, options());

    @Override
    public long run(int from, int steps) {
      long sum = 0;
      for (int i = from; i < from + steps; i++) {
        sum += work.square(i);
      }
      return sum;
    }
  }

  /** Counts to {@code to} with one activity per step, continuing as new every {@value #STEPS_PER_RUN} steps. */
  @WorkflowInterface
  public interface Chain {
    @WorkflowMethod
    long run(int from, int to, long sum);
  }

  public static final class ChainImpl implements Chain {
    private final Work work = Workflow.newActivityStub(Work.class, options());

    @Override
    public long run(int from, int to, long sum) {
      int i = from;
      while (i < to) {
        if (i - from == STEPS_PER_RUN) {
          Workflow.continueAsNew(i, to, sum);
        }
        sum += work.square(i);
        i++;
      }
      return sum;
    }
  }

  /** Sums the values signalled to it until it has {@code count} of them. */
  @WorkflowInterface
  public interface Receiver {
    @WorkflowMethod
    long run(int count);

    @SignalMethod
    void add(long value);
  }

  public static final class ReceiverImpl implements Receiver {
    private final List<Long> values = new ArrayList<>();

    @Override
    public long run(int count) {
      Workflow.await(() -> values.size() >= count);
      return values.stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public void add(long value) {
      values.add(value);
    }
  }

  /** Signals the square of each of {@code 0..count-1}, computed by an activity, to the receiver; returns the count. */
  @WorkflowInterface
  public interface Sender {
    @WorkflowMethod
    long run(int count);
  }

  public static final class SenderImpl implements Sender {
    private final Work work = Workflow.newActivityStub(Work.class, options());

    @Override
    public long run(int count) {
      Receiver receiver = Workflow.newExternalWorkflowStub(Receiver.class, RECEIVER);
      for (int i = 0; i < count; i++) {
        receiver.add(work.square(i));
      }
      return count;
    }
  }

  static final String RECEIVER = "receiver";

  static ActivityOptions options() {
    return ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(5))
        .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(20)).build()).build();
  }

  /** Writes one ledger line per execution. */
  static final class LedgerWork implements Work {
    private final FileChannel ledger;

    LedgerWork(FileChannel ledger) {
      this.ledger = ledger;
    }

    @Override
    public long square(int x) {
      String line = Activity.getExecutionContext().getInfo().workflowId() + ":" + x + "\n";
      try {
        ledger.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return (long) x * x;
    }
  }

  /** The sum of the squares the workload adds up. */
  static long expected(String mode) {
    long sum = 0;
    switch (mode) {
      case "fanout" -> {
        for (long i = 0; i < FAN_OUT; i++) {
          sum += i * i;
        }
      }
      case "signals" -> {
        for (long i = 0; i < SIGNALS; i++) {
          sum += i * i;
        }
      }
      case "children" -> {
        for (long c = 0; c < CHILDREN; c++) {
          for (long i = c * 100; i < c * 100 + CHILD_STEPS; i++) {
            sum += i * i;
          }
        }
      }
      default -> {
        for (long i = 0; i < CHAIN_STEPS; i++) {
          sum += i * i;
        }
      }
    }
    return sum;
  }

  /**
   * Runs the child.
   *
   * @param args the mode, the data dir and the ledger file
   */
  public static void main(String[] args) throws IOException {
    String mode = args[0];
    Path dataDir = Path.of(args[1]);
    Path ledgerFile = Path.of(args[2]);
    try (FileChannel ledger = FileChannel.open(ledgerFile,
             StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
         DurableServer server = DurableServer.newBuilder().setDataDir(dataDir).build().start();
         WorkflowClient client = WorkflowClient.newInstance(server);
         Worker worker = Worker.newBuilder(client, TASK_QUEUE)
             .registerWorkflowImplementationTypes(FanOutImpl.class, ParentImpl.class, StepsImpl.class, ChainImpl.class,
                 ReceiverImpl.class, SenderImpl.class)
             .registerActivitiesImplementations(new LedgerWork(ledger))
             .setMaxConcurrentActivityTasks(20)
             .build()) {
      worker.start();
      String id = mode;
      if (client.newUntypedWorkflowStub(id).describe().isEmpty()) {
        // Long task timeout: a thousand-activity fan-out replays slowly on a loaded machine.
        WorkflowOptions options = WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(id)
            .setWorkflowTaskTimeout(Duration.ofMinutes(1)).build();
        switch (mode) {
          case "fanout" -> WorkflowClient.start(client.newWorkflowStub(FanOut.class, options)::run, FAN_OUT);
          case "children" -> WorkflowClient.start(client.newWorkflowStub(Parent.class, options)::run, CHILDREN);
          case "signals" -> {
            WorkflowOptions receiver = WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(RECEIVER)
                .build();
            WorkflowClient.start(client.newWorkflowStub(Receiver.class, receiver)::run, SIGNALS);
            WorkflowClient.start(client.newWorkflowStub(Sender.class, options)::run, SIGNALS);
          }
          default -> WorkflowClient.start(client.newWorkflowStub(Chain.class, options)::run, 0, CHAIN_STEPS, 0L);
        }
        System.err.println("started " + id);
      }
      // The signals workload's sum is the receiver's result.
      long result = client.newUntypedWorkflowStub(mode.equals("signals") ? RECEIVER : id).getResult(Long.class);
      System.out.println("result=" + result);
    }
  }
}
