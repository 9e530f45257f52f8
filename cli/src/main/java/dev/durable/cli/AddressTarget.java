package dev.durable.cli;

import dev.durable.client.ConnectionOptions;
import dev.durable.client.WorkflowClient;

/** A standalone server reached over gRPC ({@link WorkflowClient#connect(ConnectionOptions)}). */
final class AddressTarget implements Target {
  private final ConnectionOptions options;

  AddressTarget(ConnectionOptions options) {
    this.options = options;
  }

  @Override
  public Session open(boolean create) {
    WorkflowClient client = WorkflowClient.connect(options);
    return new Session(client, false, client::close);
  }
}
