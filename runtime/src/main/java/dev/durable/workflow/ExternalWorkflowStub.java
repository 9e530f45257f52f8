package dev.durable.workflow;

/**
 * Signals or cancels another workflow, by its workflow id, from workflow code: see
 * {@link Workflow#newUntypedExternalWorkflowStub(String)} and
 * {@link Workflow#newExternalWorkflowStub(Class, String)}.
 *
 * <p>Each call is recorded in this workflow's history, then delivered by the server to the current
 * run of the other workflow (or the run the stub names), once, even across crashes. The waiting methods return once the server
 * recorded the signal or cancel request there; the {@code Async} ones return a promise of that. When
 * no open run has the workflow id (there is none, or its latest run is closed; or the run the stub
 * names is closed), they fail with an
 * {@link dev.durable.failure.ApplicationFailure} of type
 * {@code dev.durable.client.WorkflowNotFoundException} (message {@code DURABLE-247}), which fails
 * the workflow unless the code catches it.
 */
public interface ExternalWorkflowStub {

  /** Returns the workflow id this stub signals and cancels. */
  String getWorkflowId();

  /** Returns the run this stub signals and cancels, or null for the workflow's current run. */
  String getRunId();

  /**
   * Sends a signal and waits until the other workflow's current run recorded it.
   *
   * @param signalName the name of the other workflow's {@link SignalMethod}
   * @param args the signal's arguments
   */
  void signal(String signalName, Object... args);

  /**
   * Sends a signal without waiting.
   *
   * @param signalName the name of the other workflow's {@link SignalMethod}
   * @param args the signal's arguments
   * @return completes once the other workflow's current run recorded the signal
   */
  Promise<Void> signalAsync(String signalName, Object... args);

  /**
   * Asks the other workflow's current run to cancel, and waits until it recorded the request (its
   * code then sees a {@code CanceledFailure} at its next blocking call, as with a client's cancel).
   * A run that has a cancel request already counts as recorded.
   */
  void cancel();

  /**
   * Asks the other workflow's current run to cancel, without waiting.
   *
   * @return completes once the other workflow's current run recorded the request
   */
  Promise<Void> cancelAsync();

  /**
   * Returns the untyped stub behind a stub made by {@link Workflow#newExternalWorkflowStub}, for
   * its {@link #cancel()} or a signal by name.
   *
   * @param typedStub a stub made by {@link Workflow#newExternalWorkflowStub}
   * @return its untyped stub
   */
  static ExternalWorkflowStub fromTyped(Object typedStub) {
    return dev.durable.internal.replay.ExternalWorkflows.fromTyped(typedStub);
  }
}
