package dev.durable.workflow;

import dev.durable.internal.replay.Promises;

/**
 * Starts work that runs alongside the workflow code and returns its {@link Promise}. Given a
 * method reference to an activity stub, {@code Async.function(activities::charge, order)}
 * schedules the activity without waiting for it; start several, then wait for them together
 * with {@link Promise#allOf}. Any other function runs on a new workflow thread, which takes turns
 * with the others deterministically, like every workflow thread.
 *
 * <p>Failures, including those thrown before anything was scheduled, are reported through the
 * promise, never thrown by these methods.
 */
public final class Async {
  private Async() {}

  /**
   * Calls {@code fn} asynchronously and returns the promise of its result.
   *
   * @param fn the function, typically {@code activityStub::method}
   * @return the promise of the result
   */
  public static <R> Promise<R> function(Functions.Func<R> fn) {
    return Promises.function(fn, () -> fn.apply());
  }

  /**
   * Calls {@code fn} asynchronously and returns the promise of its result.
   *
   * @param fn the function, typically {@code activityStub::method}
   * @param a1 the first argument
   * @return the promise of the result
   */
  public static <A1, R> Promise<R> function(Functions.Func1<A1, R> fn, A1 a1) {
    return Promises.function(fn, () -> fn.apply(a1));
  }

  /**
   * Calls {@code fn} asynchronously and returns the promise of its result.
   *
   * @param fn the function, typically {@code activityStub::method}
   * @param a1 the first argument
   * @param a2 the second argument
   * @return the promise of the result
   */
  public static <A1, A2, R> Promise<R> function(Functions.Func2<A1, A2, R> fn, A1 a1, A2 a2) {
    return Promises.function(fn, () -> fn.apply(a1, a2));
  }

  /**
   * Calls {@code fn} asynchronously and returns the promise of its result.
   *
   * @param fn the function, typically {@code activityStub::method}
   * @param a1 the first argument
   * @param a2 the second argument
   * @param a3 the third argument
   * @return the promise of the result
   */
  public static <A1, A2, A3, R> Promise<R> function(Functions.Func3<A1, A2, A3, R> fn, A1 a1, A2 a2, A3 a3) {
    return Promises.function(fn, () -> fn.apply(a1, a2, a3));
  }

  /**
   * Calls {@code fn} asynchronously and returns the promise of its result.
   *
   * @param fn the function, typically {@code activityStub::method}
   * @param a1 the first argument
   * @param a2 the second argument
   * @param a3 the third argument
   * @param a4 the fourth argument
   * @return the promise of the result
   */
  public static <A1, A2, A3, A4, R> Promise<R> function(Functions.Func4<A1, A2, A3, A4, R> fn, A1 a1, A2 a2, A3 a3, A4 a4) {
    return Promises.function(fn, () -> fn.apply(a1, a2, a3, a4));
  }

  /**
   * Calls {@code fn} asynchronously and returns the promise of its result.
   *
   * @param fn the function, typically {@code activityStub::method}
   * @param a1 the first argument
   * @param a2 the second argument
   * @param a3 the third argument
   * @param a4 the fourth argument
   * @param a5 the fifth argument
   * @return the promise of the result
   */
  public static <A1, A2, A3, A4, A5, R> Promise<R> function(Functions.Func5<A1, A2, A3, A4, A5, R> fn, A1 a1, A2 a2, A3 a3, A4 a4, A5 a5) {
    return Promises.function(fn, () -> fn.apply(a1, a2, a3, a4, a5));
  }

  /**
   * Calls {@code fn} asynchronously and returns the promise of its result.
   *
   * @param fn the function, typically {@code activityStub::method}
   * @param a1 the first argument
   * @param a2 the second argument
   * @param a3 the third argument
   * @param a4 the fourth argument
   * @param a5 the fifth argument
   * @param a6 the sixth argument
   * @return the promise of the result
   */
  public static <A1, A2, A3, A4, A5, A6, R> Promise<R> function(Functions.Func6<A1, A2, A3, A4, A5, A6, R> fn, A1 a1, A2 a2, A3 a3, A4 a4, A5 a5, A6 a6) {
    return Promises.function(fn, () -> fn.apply(a1, a2, a3, a4, a5, a6));
  }

  /**
   * Calls the void {@code proc} asynchronously and returns a promise that completes (with null) when it returns.
   *
   * @param proc the procedure, typically {@code activityStub::method}
   * @return the promise of completion
   */
  public static Promise<Void> procedure(Functions.Proc proc) {
    return Promises.function(proc, () -> {
      proc.apply();
      return null;
    });
  }

  /**
   * Calls the void {@code proc} asynchronously and returns a promise that completes (with null) when it returns.
   *
   * @param proc the procedure, typically {@code activityStub::method}
   * @param a1 the first argument
   * @return the promise of completion
   */
  public static <A1> Promise<Void> procedure(Functions.Proc1<A1> proc, A1 a1) {
    return Promises.function(proc, () -> {
      proc.apply(a1);
      return null;
    });
  }

  /**
   * Calls the void {@code proc} asynchronously and returns a promise that completes (with null) when it returns.
   *
   * @param proc the procedure, typically {@code activityStub::method}
   * @param a1 the first argument
   * @param a2 the second argument
   * @return the promise of completion
   */
  public static <A1, A2> Promise<Void> procedure(Functions.Proc2<A1, A2> proc, A1 a1, A2 a2) {
    return Promises.function(proc, () -> {
      proc.apply(a1, a2);
      return null;
    });
  }

  /**
   * Calls the void {@code proc} asynchronously and returns a promise that completes (with null) when it returns.
   *
   * @param proc the procedure, typically {@code activityStub::method}
   * @param a1 the first argument
   * @param a2 the second argument
   * @param a3 the third argument
   * @return the promise of completion
   */
  public static <A1, A2, A3> Promise<Void> procedure(Functions.Proc3<A1, A2, A3> proc, A1 a1, A2 a2, A3 a3) {
    return Promises.function(proc, () -> {
      proc.apply(a1, a2, a3);
      return null;
    });
  }

  /**
   * Calls the void {@code proc} asynchronously and returns a promise that completes (with null) when it returns.
   *
   * @param proc the procedure, typically {@code activityStub::method}
   * @param a1 the first argument
   * @param a2 the second argument
   * @param a3 the third argument
   * @param a4 the fourth argument
   * @return the promise of completion
   */
  public static <A1, A2, A3, A4> Promise<Void> procedure(Functions.Proc4<A1, A2, A3, A4> proc, A1 a1, A2 a2, A3 a3, A4 a4) {
    return Promises.function(proc, () -> {
      proc.apply(a1, a2, a3, a4);
      return null;
    });
  }

  /**
   * Calls the void {@code proc} asynchronously and returns a promise that completes (with null) when it returns.
   *
   * @param proc the procedure, typically {@code activityStub::method}
   * @param a1 the first argument
   * @param a2 the second argument
   * @param a3 the third argument
   * @param a4 the fourth argument
   * @param a5 the fifth argument
   * @return the promise of completion
   */
  public static <A1, A2, A3, A4, A5> Promise<Void> procedure(Functions.Proc5<A1, A2, A3, A4, A5> proc, A1 a1, A2 a2, A3 a3, A4 a4, A5 a5) {
    return Promises.function(proc, () -> {
      proc.apply(a1, a2, a3, a4, a5);
      return null;
    });
  }

  /**
   * Calls the void {@code proc} asynchronously and returns a promise that completes (with null) when it returns.
   *
   * @param proc the procedure, typically {@code activityStub::method}
   * @param a1 the first argument
   * @param a2 the second argument
   * @param a3 the third argument
   * @param a4 the fourth argument
   * @param a5 the fifth argument
   * @param a6 the sixth argument
   * @return the promise of completion
   */
  public static <A1, A2, A3, A4, A5, A6> Promise<Void> procedure(Functions.Proc6<A1, A2, A3, A4, A5, A6> proc, A1 a1, A2 a2, A3 a3, A4 a4, A5 a5, A6 a6) {
    return Promises.function(proc, () -> {
      proc.apply(a1, a2, a3, a4, a5, a6);
      return null;
    });
  }
}
