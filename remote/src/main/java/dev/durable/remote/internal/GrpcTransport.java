package dev.durable.remote.internal;

import dev.durable.client.ConnectionOptions;
import dev.durable.common.DurableException;
import dev.durable.internal.service.RemoteTransport;
import dev.durable.internal.service.WorkflowService;
import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@link RemoteTransport} over gRPC; registered in META-INF/services for {@code WorkflowClient.connect}. */
public final class GrpcTransport implements RemoteTransport {
  /** The header carrying the token: {@code authorization: Bearer <token>}. */
  static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /** Creates the transport (ServiceLoader needs a public no-argument constructor). */
  public GrpcTransport() {}

  @Override
  public Connection connect(ConnectionOptions options) {
    List<String> servers = options.getAddresses();
    ManagedChannelBuilder<?> builder = servers.size() == 1
        ? Grpc.newChannelBuilderForAddress(options.getHost(), options.getPort(), credentials(options))
        : Grpc.newChannelBuilder(ServerList.SCHEME + ":///", credentials(options))
            .nameResolverFactory(new ServerList(servers)); // pick_first: the first server that accepts
    ManagedChannel channel = builder.maxInboundMessageSize(64 * 1024 * 1024).build();
    io.grpc.Channel calls = channel;
    if (options.getToken() != null) {
      Metadata headers = new Metadata();
      headers.put(AUTHORIZATION, "Bearer " + options.getToken());
      calls = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    WorkflowService service = new RemoteWorkflowService(calls, options);
    return new Connection() {
      @Override
      public WorkflowService service() {
        return service;
      }

      @Override
      public void close() {
        channel.shutdown();
        try {
          if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
            channel.shutdownNow();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          channel.shutdownNow();
        }
      }
    };
  }

  private static ChannelCredentials credentials(ConnectionOptions o) {
    if (!o.isTls()) {
      return InsecureChannelCredentials.create();
    }
    TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder();
    try {
      if (o.getTlsTrustCertificate() != null) {
        b.trustManager(o.getTlsTrustCertificate().toFile());
      }
      if (o.getTlsClientCertificate() != null) {
        b.keyManager(o.getTlsClientCertificate().toFile(), o.getTlsClientKey().toFile());
      }
    } catch (IOException | RuntimeException e) {
      throw new DurableException("DURABLE-263", "cannot load the TLS files of " + o + ": " + e.getMessage()
          + ". Certificates must be PEM files and the key a PEM PKCS#8 private key (BEGIN PRIVATE KEY).", e);
    }
    return b.build();
  }
}
