package dev.durable.internal.replay;

import dev.durable.workflow.CompletablePromise;
import dev.durable.workflow.Promise;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * What {@code Promise}, {@code Async} and {@code Workflow.newPromise} do. A call of an activity
 * stub's method reference is made in "async mode": the stub schedules the activity without
 * waiting and leaves its promise here. Any other function runs on a new workflow thread.
 */
public final class Promises {
  /** Set while Async calls a stub's method reference; the stub leaves its promise in it. */
  private static final ThreadLocal<Capture> CAPTURE = new ThreadLocal<>();

  /** Where an activity stub called in async mode leaves its promise. */
  static final class Capture {
    Promise<?> promise;
  }

  private Promises() {}

  /** Returns the capture of the Async call in progress on this thread, or null when the call should block. */
  static Capture capturing() {
    return CAPTURE.get();
  }

  /** See {@code Workflow.newPromise}. */
  public static <T> CompletablePromise<T> newPromise() {
    return new ResultSlot<>(WorkflowRun.currentOrFail("Workflow.newPromise"));
  }

  /**
   * See {@code Async.function}.
   *
   * @param target the function the user passed, inspected to tell a stub method reference
   * @param call calls {@code target} with the arguments
   */
  @SuppressWarnings("unchecked")
  public static <R> Promise<R> function(Object target, Supplier<R> call) {
    WorkflowRun run = WorkflowRun.currentOrFail("Async.function");
    run.currentThreadOrFail("Async.function");
    if (!isActivityStubReference(target)) {
      ResultSlot<R> out = new ResultSlot<>(run);
      run.startThread("async", () -> out.completeWith(call));
      return out;
    }
    Capture capture = new Capture();
    CAPTURE.set(capture);
    try {
      call.get();
    } catch (RuntimeException e) {
      // Such as CanceledFailure: Async reports failures through the promise, never by throwing.
      ResultSlot<R> failed = new ResultSlot<>(run);
      failed.completeExceptionally(e);
      return failed;
    } finally {
      CAPTURE.remove();
    }
    if (capture.promise == null) {
      throw new IllegalStateException("DURABLE-230 Async.function was given a method reference to an activity stub"
          + " that called no activity; pass stub::method with the method's arguments");
    }
    return (Promise<R>) capture.promise;
  }

  /**
   * Whether {@code fn} is a method reference (or lambda) whose only captured value is an
   * activity stub, as {@code stub::method} is. Lambda classes are synthetic and keep what they
   * capture in fields; anything else, or anything unreadable, is run on its own thread instead.
   */
  private static boolean isActivityStubReference(Object fn) {
    Class<?> c = fn.getClass();
    if (!c.isSynthetic()) {
      return false;
    }
    Field[] fields = c.getDeclaredFields();
    if (fields.length != 1) {
      return false;
    }
    try {
      fields[0].setAccessible(true);
      Object target = fields[0].get(fn);
      return target != null && Proxy.isProxyClass(target.getClass())
          && (Proxy.getInvocationHandler(target) instanceof ActivityStub
              || Proxy.getInvocationHandler(target) instanceof ChildWorkflowStub);
    } catch (RuntimeException | IllegalAccessException e) {
      return false;
    }
  }

  /** See {@code Promise.allOf}. */
  public static Promise<Void> allOf(Collection<? extends Promise<?>> promises) {
    WorkflowRun run = WorkflowRun.currentOrFail("Promise.allOf");
    List<ResultSlot<?>> slots = slots(promises, "Promise.allOf");
    ResultSlot<Void> out = new ResultSlot<>(run);
    int[] remaining = {slots.size()};
    if (slots.isEmpty()) {
      out.complete(null);
    }
    for (ResultSlot<?> s : slots) {
      s.whenDone(() -> {
        try {
          s.result();
        } catch (RuntimeException e) {
          out.completeExceptionally(e);
          return;
        }
        if (--remaining[0] == 0) {
          out.complete(null);
        }
      });
    }
    return out;
  }

  /** See {@code Promise.anyOf}. */
  @SuppressWarnings("unchecked")
  public static <V> Promise<V> anyOf(Collection<? extends Promise<? extends V>> promises) {
    WorkflowRun run = WorkflowRun.currentOrFail("Promise.anyOf");
    List<ResultSlot<?>> slots = slots(promises, "Promise.anyOf");
    if (slots.isEmpty()) {
      throw new IllegalArgumentException("DURABLE-201 Promise.anyOf needs at least one promise, got none");
    }
    ResultSlot<V> out = new ResultSlot<>(run);
    for (ResultSlot<?> s : slots) {
      s.whenDone(() -> ((ResultSlot<V>) s).forward(out));
    }
    return out;
  }

  private static List<ResultSlot<?>> slots(Collection<? extends Promise<?>> promises, String api) {
    List<ResultSlot<?>> out = new ArrayList<>(promises.size());
    for (Promise<?> p : promises) {
      if (!(p instanceof ResultSlot<?> s)) {
        throw new IllegalArgumentException("DURABLE-230 " + api + " got " + (p == null ? "null" : p.getClass().getName())
            + "; it takes promises made by Async, Workflow.newPromise or another Promise method");
      }
      out.add(s);
    }
    return out;
  }

}
