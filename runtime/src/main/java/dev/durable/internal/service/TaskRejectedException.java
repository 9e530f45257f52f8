package dev.durable.internal.service;

/** The server no longer expects the completion of this task (it timed out or was superseded). */
public final class TaskRejectedException extends RuntimeException {
  public TaskRejectedException(String message) {
    super(message);
  }
}
