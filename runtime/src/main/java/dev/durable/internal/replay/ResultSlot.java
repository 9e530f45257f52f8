package dev.durable.internal.replay;

import dev.durable.internal.model.Payload;

/** Holds the outcome of an activity or timer until the workflow code reads it. */
final class ResultSlot {
  private boolean done;
  private Payload value;
  private RuntimeException failure;

  void complete(Payload value) {
    this.value = value;
    this.done = true;
  }

  void fail(RuntimeException failure) {
    this.failure = failure;
    this.done = true;
  }

  boolean isDone() {
    return done;
  }

  Payload value() {
    return value;
  }

  RuntimeException failure() {
    return failure;
  }
}
