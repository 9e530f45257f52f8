package dev.durable.activity;

import dev.durable.internal.worker.ActivityContextImpl;

/** Access to the running activity from inside activity code. */
public final class Activity {
  private Activity() {}

  /**
   * Returns the context of the activity running on this thread.
   *
   * @throws IllegalStateException (DURABLE-210) when called outside an activity
   */
  public static ActivityExecutionContext getExecutionContext() {
    ActivityExecutionContext ctx = ActivityContextImpl.current();
    if (ctx == null) {
      throw new IllegalStateException("DURABLE-210 Activity.getExecutionContext() can only be called from an activity"
          + " method while it runs, not on thread '" + Thread.currentThread().getName() + "'");
    }
    return ctx;
  }
}
