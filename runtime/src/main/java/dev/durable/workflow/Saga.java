package dev.durable.workflow;

import dev.durable.failure.ApplicationFailure;
import dev.durable.internal.replay.Promises;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Undoes the completed steps of a multi-step process when a later step fails: each step that
 * succeeded registers how to undo it, and {@link #compensate()} runs those compensations in
 * reverse order. Compensations are ordinary workflow code (usually activity calls), so they are as
 * durable as the rest of the workflow: after a crash, replay finds the ones already done in the
 * history and carries on with the next.
 *
 * <pre>{@code
 * Saga saga = new Saga(Saga.Options.newBuilder().build());
 * try {
 *   String car = travel.bookCar(trip);
 *   saga.addCompensation(travel::cancelCar, car);
 *   String hotel = travel.bookHotel(trip);
 *   saga.addCompensation(travel::cancelHotel, hotel);
 *   travel.bookFlight(trip);
 * } catch (ActivityFailure | CanceledFailure e) {
 *   // Detached: the compensations run even when the workflow itself was canceled.
 *   Workflow.newDetachedCancellationScope(saga::compensate).run();
 *   throw e;
 * }
 * }</pre>
 *
 * <p>A Saga is workflow state: create and use it in workflow code only.
 */
public final class Saga {
  private final Options options;
  private final List<Compensation> compensations = new ArrayList<>();

  private record Compensation(Object target, Supplier<?> call) {}

  /**
   * Creates a saga with no compensations.
   *
   * @param options how {@link #compensate()} runs them
   */
  public Saga(Options options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /** Registers a compensation: called with no arguments. */
  public void addCompensation(Functions.Proc proc) {
    add(proc, () -> {
      proc.apply();
      return null;
    });
  }

  /** Registers a compensation: {@code proc(a1)}, typically {@code activityStub::method}. */
  public <A1> void addCompensation(Functions.Proc1<A1> proc, A1 a1) {
    add(proc, () -> {
      proc.apply(a1);
      return null;
    });
  }

  /** Registers a compensation: {@code proc(a1, a2)}. */
  public <A1, A2> void addCompensation(Functions.Proc2<A1, A2> proc, A1 a1, A2 a2) {
    add(proc, () -> {
      proc.apply(a1, a2);
      return null;
    });
  }

  /** Registers a compensation: {@code proc(a1, a2, a3)}. */
  public <A1, A2, A3> void addCompensation(Functions.Proc3<A1, A2, A3> proc, A1 a1, A2 a2, A3 a3) {
    add(proc, () -> {
      proc.apply(a1, a2, a3);
      return null;
    });
  }

  /** Registers a compensation that returns a value (ignored): {@code fn()}. */
  public void addCompensation(Functions.Func<?> fn) {
    add(fn, fn::apply);
  }

  /** Registers a compensation that returns a value (ignored): {@code fn(a1)}. */
  public <A1> void addCompensation(Functions.Func1<A1, ?> fn, A1 a1) {
    add(fn, () -> fn.apply(a1));
  }

  /** Registers a compensation that returns a value (ignored): {@code fn(a1, a2)}. */
  public <A1, A2> void addCompensation(Functions.Func2<A1, A2, ?> fn, A1 a1, A2 a2) {
    add(fn, () -> fn.apply(a1, a2));
  }

  /** Registers a compensation that returns a value (ignored): {@code fn(a1, a2, a3)}. */
  public <A1, A2, A3> void addCompensation(Functions.Func3<A1, A2, A3, ?> fn, A1 a1, A2 a2, A3 a3) {
    add(fn, () -> fn.apply(a1, a2, a3));
  }

  private void add(Object target, Supplier<?> call) {
    Objects.requireNonNull(target, "compensation");
    compensations.add(new Compensation(target, call));
  }

  /**
   * Runs the registered compensations, the last registered first. Sequentially by default: each
   * waits for the one before. With {@link Options.Builder#setParallelCompensation}, all start at
   * once and this waits for all of them. A compensation that throws stops the rest (sequential
   * mode) unless {@link Options.Builder#setContinueWithError} is set; either way this then throws
   * an {@code ApplicationFailure} of type {@code dev.durable.SagaCompensationFailed}
   * (DURABLE-246) whose cause is the first failure and which lists every failure in its message
   * and as suppressed exceptions.
   */
  public void compensate() {
    List<Compensation> todo = new ArrayList<>(compensations);
    java.util.Collections.reverse(todo);
    List<RuntimeException> failures = new ArrayList<>();
    int ran = 0;
    if (options.parallelCompensation) {
      List<Promise<?>> started = new ArrayList<>();
      for (Compensation c : todo) {
        started.add(Promises.function(c.target(), c.call()));
      }
      for (Promise<?> p : started) {
        ran++;
        try {
          p.get();
        } catch (RuntimeException e) {
          failures.add(e);
        }
      }
    } else {
      for (Compensation c : todo) {
        ran++;
        try {
          c.call().get();
        } catch (RuntimeException e) {
          failures.add(e);
          if (!options.continueWithError) {
            break;
          }
        }
      }
    }
    if (failures.isEmpty()) {
      return;
    }
    StringBuilder message = new StringBuilder("DURABLE-246 ").append(failures.size()).append(" of ")
        .append(todo.size()).append(" saga compensations failed");
    if (ran < todo.size()) {
      message.append("; the ").append(todo.size() - ran).append(" registered before the failing one did not run"
          + " (set Saga.Options continueWithError to run them anyway)");
    }
    for (RuntimeException f : failures) {
      message.append("\n  - ").append(f.getMessage());
    }
    ApplicationFailure out = ApplicationFailure.newFailureWithCause(message.toString(), "dev.durable.SagaCompensationFailed",
        false, failures.get(0));
    failures.subList(1, failures.size()).forEach(out::addSuppressed);
    throw out;
  }

  /** How {@link #compensate()} runs; immutable, built with {@link #newBuilder()}. */
  public static final class Options {
    private final boolean parallelCompensation;
    private final boolean continueWithError;

    private Options(Builder b) {
      this.parallelCompensation = b.parallelCompensation;
      this.continueWithError = b.continueWithError;
    }

    /** Returns a builder with the defaults: sequential, stop at the first failure. */
    public static Builder newBuilder() {
      return new Builder();
    }

    /** Returns whether compensations run all at once. */
    public boolean isParallelCompensation() {
      return parallelCompensation;
    }

    /** Returns whether a failing compensation lets the others run. */
    public boolean isContinueWithError() {
      return continueWithError;
    }

    /** Builds {@link Options}. */
    public static final class Builder {
      private boolean parallelCompensation;
      private boolean continueWithError;

      private Builder() {}

      /** Runs the compensations all at once (as {@code Async}) and waits for all of them. */
      public Builder setParallelCompensation(boolean parallelCompensation) {
        this.parallelCompensation = parallelCompensation;
        return this;
      }

      /** Runs the remaining compensations after one fails; {@code compensate()} throws at the end. */
      public Builder setContinueWithError(boolean continueWithError) {
        this.continueWithError = continueWithError;
        return this;
      }

      /** Builds the options. */
      public Options build() {
        return new Options(this);
      }
    }
  }
}
