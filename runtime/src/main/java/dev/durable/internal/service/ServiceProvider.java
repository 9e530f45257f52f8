package dev.durable.internal.service;

/** Implemented by objects a client can be built on (an embedded server, a remote connection). */
public interface ServiceProvider {
  /** Returns the service calls go to. Not API. */
  WorkflowService workflowService();
}
