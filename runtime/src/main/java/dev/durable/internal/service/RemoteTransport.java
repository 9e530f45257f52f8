package dev.durable.internal.service;

import dev.durable.client.ConnectionOptions;

/**
 * Connects a {@link dev.durable.client.WorkflowClient} to a standalone server. Found with
 * {@link java.util.ServiceLoader}, so that the runtime does not depend on the network stack; the
 * {@code dev.durable:durable-remote} module implements it over gRPC.
 */
public interface RemoteTransport {

  /**
   * Opens a connection. Connecting is lazy: an unreachable server is reported by the first call.
   *
   * @param options validated connection options
   * @return the service of the server; closing it releases the connection
   */
  Connection connect(ConnectionOptions options);

  /** An open connection: the service calls go to, and the resources to release. */
  interface Connection extends AutoCloseable {
    /** Returns the remote service. */
    WorkflowService service();

    /** Releases the connection; calls in flight fail. */
    @Override
    void close();
  }
}
