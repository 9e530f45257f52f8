package dev.durable.remote;

import dev.durable.client.WorkflowClient;
import dev.durable.server.DurableServer;
import dev.durable.testing.TestEnv;

/**
 * Runs the runtime's tests (TestEnv) over gRPC: each test server is served on a free loopback port
 * with a token, and the test's client connects to it with {@link WorkflowClient#connect}. The
 * embedded server keeps the test's ManualClock, so timer tests work unchanged.
 */
public final class GrpcTestTransport implements TestEnv.Transport {
  static final String TOKEN = "test-token";

  @Override
  public Connection open(DurableServer server) {
    DurableGrpcServer grpc = DurableGrpcServer.newBuilder().setEmbeddedServer(server).setAddress("127.0.0.1:0")
        .setToken(TOKEN).build().start();
    WorkflowClient client = WorkflowClient.connect(dev.durable.client.ConnectionOptions.newBuilder()
        .setAddress(grpc.address()).setToken(TOKEN).build());
    return new Connection() {
      @Override
      public WorkflowClient client() {
        return client;
      }

      @Override
      public void close() {
        grpc.close();
      }
    };
  }
}
