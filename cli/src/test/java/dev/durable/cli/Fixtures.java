package dev.durable.cli;

import dev.durable.activity.Activity;
import dev.durable.activity.ActivityExecutionContext;
import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.common.RetryOptions;
import dev.durable.failure.ActivityFailure;
import dev.durable.failure.ApplicationFailure;
import dev.durable.workflow.QueryMethod;
import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.time.Duration;
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
}
