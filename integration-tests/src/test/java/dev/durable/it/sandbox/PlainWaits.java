package dev.durable.it.sandbox;

import dev.durable.workflow.QueryMethod;
import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A workflow that waits the plain Java way: on a {@code CountDownLatch} that a signal handler
 * counts down, and on a {@code CompletableFuture} and a {@code FutureTask} that another completes
 * and runs. With the agent these wait durably; the timed waits first run out on durable timers, as
 * no signal came yet.
 */
@WorkflowInterface
public interface PlainWaits {
  /** What {@link #phase()} says while the workflow waits for the signals. */
  String WAITING = "waiting for arrival and approval";

  /** Waits for {@link #arrive()} and {@link #approve}, and returns what it saw. */
  @WorkflowMethod
  String run();

  /** Counts the latch down. */
  @SignalMethod
  void arrive();

  /** Completes the future with {@code who}. */
  @SignalMethod
  void approve(String who);

  /** Where the workflow is: {@link #WAITING}, then "done: " and the result. */
  @QueryMethod
  String phase();

  /** The implementation. */
  class Impl implements PlainWaits {
    private final CountDownLatch arrived = new CountDownLatch(1);
    private final CompletableFuture<String> approval = new CompletableFuture<>();
    private final FutureTask<String> receipt = new FutureTask<>(() -> "receipt");
    private String phase = "started";

    @Override
    public String run() {
      try {
        boolean early = arrived.await(1, TimeUnit.MILLISECONDS);
        String timeout;
        try {
          Future<String> asFuture = approval;
          timeout = "no timeout: " + asFuture.get(1, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          timeout = e.getMessage();
        }
        phase = WAITING;
        arrived.await();
        String who = approval.get();
        String result = "arrived early: " + early + "; " + timeout + "; approved by " + who + "; joined: " + approval.join()
            + "; " + receipt.get();
        phase = "done: " + result;
        return result;
      } catch (InterruptedException | ExecutionException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void arrive() {
      arrived.countDown();
    }

    @Override
    public void approve(String who) {
      approval.complete(who);
      receipt.run();
    }

    @Override
    public String phase() {
      return phase;
    }
  }
}
