package dev.durable.internal.replay;

import dev.durable.internal.model.Payload;
import dev.durable.workflow.CompletablePromise;
import dev.durable.workflow.Functions;
import dev.durable.workflow.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one promise implementation: holds the outcome of an activity, a timer or workflow code
 * until the workflow code reads it. Activity results arrive as payloads and are decoded on first
 * read, on the workflow thread, so that a conversion error reaches the code that asked for it.
 */
final class ResultSlot<T> implements CompletablePromise<T> {
  private final WorkflowRun run;
  /** Turns a delivered payload into the value; null when values are set directly. */
  private final Function<Payload, T> decoder;
  private boolean done;
  private Payload payload;
  private boolean decoded;
  private T value;
  private RuntimeException failure;
  private List<Runnable> callbacks;
  /**
   * Set for an activity's promise: canceling its scope settles it (at once, or when the activity
   * acknowledges), so a wait for it ends with that outcome rather than with a CanceledFailure.
   */
  boolean settledByCancellation;

  ResultSlot(WorkflowRun run) {
    this(run, null);
  }

  ResultSlot(WorkflowRun run, Function<Payload, T> decoder) {
    this.run = run;
    this.decoder = decoder;
  }

  /** Driver side: the activity or timer completed with {@code result}. */
  void deliver(Payload result) {
    if (!done) {
      payload = result;
      settle();
    }
  }

  /** Driver side: the activity failed. */
  void fail(RuntimeException e) {
    if (!done) {
      failure = e;
      settle();
    }
  }

  @Override
  public boolean complete(T v) {
    if (done) {
      return false;
    }
    value = v;
    decoded = true;
    settle();
    return true;
  }

  @Override
  public boolean completeExceptionally(RuntimeException e) {
    Objects.requireNonNull(e, "failure");
    if (done) {
      return false;
    }
    failure = e;
    settle();
    return true;
  }

  private void settle() {
    done = true;
    List<Runnable> todo = callbacks;
    callbacks = null;
    if (todo != null) {
      todo.forEach(Runnable::run);
    }
  }

  /** Runs {@code callback} once the promise has completed: now if it has. */
  void whenDone(Runnable callback) {
    if (done) {
      callback.run();
      return;
    }
    if (callbacks == null) {
      callbacks = new ArrayList<>();
    }
    callbacks.add(callback);
  }

  @Override
  public boolean isCompleted() {
    return done;
  }

  @Override
  public T get() {
    run.awaitPromise(this, null);
    return result();
  }

  @Override
  public T get(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    return run.awaitPromise(this, timeout) ? result() : null;
  }

  @Override
  public RuntimeException getFailure() {
    run.awaitPromise(this, null);
    return failure;
  }

  /** The outcome of a completed promise: its value, or its failure thrown. */
  T result() {
    if (failure != null) {
      throw failure;
    }
    if (!decoded) {
      value = decoder == null ? null : decoder.apply(payload);
      decoded = true;
      payload = null;
    }
    return value;
  }

  /** Completes {@code out} with the outcome of this completed promise. */
  void forward(ResultSlot<? super T> out) {
    out.completeWith(this::result);
  }

  /** Completes this promise with what {@code compute} returns, or with what it throws. */
  void completeWith(Supplier<? extends T> compute) {
    T v;
    try {
      v = compute.get();
    } catch (RuntimeException e) {
      completeExceptionally(e);
      return;
    }
    complete(v);
  }

  @Override
  public <R> Promise<R> thenApply(Functions.Func1<? super T, ? extends R> fn) {
    Objects.requireNonNull(fn, "fn");
    ResultSlot<R> out = new ResultSlot<>(run);
    whenDone(() -> out.completeWith(() -> fn.apply(result())));
    return out;
  }

  @Override
  public <R> Promise<R> handle(Functions.Func2<? super T, RuntimeException, ? extends R> fn) {
    Objects.requireNonNull(fn, "fn");
    ResultSlot<R> out = new ResultSlot<>(run);
    whenDone(() -> {
      T value = null;
      RuntimeException error = null;
      try {
        value = result();
      } catch (RuntimeException e) {
        error = e;
      }
      T v = value;
      RuntimeException f = error;
      out.completeWith(() -> fn.apply(v, f));
    });
    return out;
  }

  @Override
  public String toString() {
    return "Promise[" + (!done ? "pending" : failure != null ? "failed: " + failure : "completed") + "]";
  }
}
