package dev.durable.cli;

import dev.durable.activity.Activity;
import dev.durable.activity.ActivityCancellationType;
import dev.durable.activity.ActivityExecutionContext;
import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.common.RetryOptions;
import dev.durable.failure.ActivityFailure;
import dev.durable.failure.ApplicationFailure;
import dev.durable.workflow.Async;
import dev.durable.workflow.CancellationScope;
import dev.durable.workflow.Promise;
import dev.durable.workflow.QueryMethod;
import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;

/** Workflows the CLI tests start by type name and drive with signals and queries. */
public final class Fixtures {
  private Fixtures() {}

  /** Waits for an approval, then greets through an activity. */
  @WorkflowInterface
  public interface Approval {
    @WorkflowMethod
    String run(String name, int amount);

    @SignalMethod
    void approve(String by, List<String> notes);

    @QueryMethod
    String state(String prefix);
  }

  @ActivityInterface
  public interface Greetings {
    String greet(String name);
  }

  public static final class GreetingsImpl implements Greetings {
    @Override
    public String greet(String name) {
      return "Hello, " + name;
    }
  }

  public static final class ApprovalImpl implements Approval {
    private final Greetings greetings = Workflow.newActivityStub(Greetings.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());
    private String approver;
    private List<String> notes = List.of();

    @Override
    public String run(String name, int amount) {
      Workflow.await(() -> approver != null);
      return greetings.greet(name) + ": " + amount + " approved by " + approver + " " + notes;
    }

    @Override
    public void approve(String by, List<String> notes) {
      this.approver = by;
      this.notes = notes;
    }

    @Override
    public String state(String prefix) {
      return prefix + (approver == null ? "waiting" : "approved by " + approver);
    }
  }

  /** Fails at once with an application failure. */
  @WorkflowInterface
  public interface Refusal {
    @WorkflowMethod
    String run(String orderId);
  }

  public static final class RefusalImpl implements Refusal {
    @Override
    public String run(String orderId) {
      throw ApplicationFailure.newNonRetryableFailure("order " + orderId + " does not exist", "OrderNotFound");
    }
  }

  /** Runs one activity that holds until a test releases it. */
  @WorkflowInterface
  public interface Holding {
    @WorkflowMethod
    String run();
  }

  @ActivityInterface
  public interface Gate {
    String pass();
  }

  /** Lets {@link Gate#pass()} return once {@link #release} counted down. */
  public static final class GateImpl implements Gate {
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public String pass() {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "passed";
    }
  }

  public static final class HoldingImpl implements Holding {
    private final Gate gate = Workflow.newActivityStub(Gate.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(10)).build());

    @Override
    public String run() {
      return gate.pass();
    }
  }

  /** Asks an approver through an activity that completes asynchronously, by its task token. */
  @WorkflowInterface
  public interface AsyncApproval {
    @WorkflowMethod
    String run(String order);
  }

  @ActivityInterface
  public interface Approver {
    String ask(String order);
  }

  /** Hands each attempt's task token to the test ({@link #tokens}) and returns without completing. */
  public static final class ApproverImpl implements Approver {
    final BlockingQueue<String> tokens = new LinkedBlockingQueue<>();

    @Override
    public String ask(String order) {
      ActivityExecutionContext ctx = Activity.getExecutionContext();
      tokens.add(ctx.getTaskToken());
      ctx.doNotCompleteOnReturn();
      return null;
    }
  }

  public static final class AsyncApprovalImpl implements AsyncApproval {
    private final Approver approver = Workflow.newActivityStub(Approver.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofHours(1))
        .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1)).build())
        .build());

    @Override
    public String run(String order) {
      try {
        return approver.ask(order);
      } catch (ActivityFailure e) {
        ApplicationFailure cause = (ApplicationFailure) e.getCause();
        return "failed: " + cause.getType() + ": " + cause.getOriginalMessage();
      }
    }
  }

  /**
   * Asks an approver through an activity that completes by its task token and must heartbeat every
   * 5 seconds; on {@code withdraw} it asks to cancel the activity and waits until the activity
   * reports that it stopped.
   */
  @WorkflowInterface
  public interface Withdrawable {
    @WorkflowMethod
    String run(String order);

    @SignalMethod
    void withdraw();
  }

  public static final class WithdrawableImpl implements Withdrawable {
    private final Approver approver = Workflow.newActivityStub(Approver.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofHours(1))
        .setHeartbeatTimeout(Duration.ofSeconds(5))
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1)).build())
        .build());
    private boolean withdrawn;

    @Override
    public String run(String order) {
      List<Promise<String>> answer = new ArrayList<>();
      CancellationScope scope = Workflow.newCancellationScope(() -> answer.add(Async.function(approver::ask, order)));
      scope.run();
      Workflow.await(() -> withdrawn || answer.get(0).isCompleted());
      if (withdrawn) {
        scope.cancel("withdrawn");
      }
      try {
        return answer.get(0).get();
      } catch (ActivityFailure e) {
        return "activity: " + e.getCause().getClass().getSimpleName();
      }
    }

    @Override
    public void withdraw() {
      withdrawn = true;
    }
  }

  /**
   * Sleeps; the server fires timers in the order they are due, so once it returns, every server
   * timer due before its own (an activity's heartbeat timeout, say) has fired.
   */
  @WorkflowInterface
  public interface Sentinel {
    @WorkflowMethod
    void run(long millis);
  }

  public static final class SentinelImpl implements Sentinel {
    @Override
    public void run(long millis) {
      Workflow.sleep(Duration.ofMillis(millis));
    }
  }
}
