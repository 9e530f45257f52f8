package dev.durable.remote;

import dev.durable.remote.internal.ServerHandlers;
import dev.durable.server.DurableServer;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An engine served over gRPC on 127.0.0.1 for tests of the protocol: optionally without some rpcs
 * (as a server older than them), counting the calls it receives by rpc name.
 */
final class ServedOverGrpc implements AutoCloseable {
  private final Server grpc;
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

  /** Serves {@code engine} without the rpcs named in {@code missing}. */
  ServedOverGrpc(DurableServer engine, Set<String> missing) throws IOException {
    ServerServiceDefinition all = new ServerHandlers(engine.workflowService()).definition();
    var served = ServerServiceDefinition.builder(all.getServiceDescriptor().getName());
    all.getMethods().stream()
        .filter(m -> !missing.contains(m.getMethodDescriptor().getBareMethodName()))
        .forEach(served::addMethod);
    ServerInterceptor counting = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        calls.computeIfAbsent(call.getMethodDescriptor().getBareMethodName(), n -> new AtomicInteger()).incrementAndGet();
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {};
      }
    };
    grpc = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerInterceptors.intercept(served.build(), counting)).build().start();
  }

  String address() {
    return "127.0.0.1:" + grpc.getPort();
  }

  /** How many calls of rpc {@code name} arrived. */
  int calls(String name) {
    AtomicInteger n = calls.get(name);
    return n == null ? 0 : n.get();
  }

  @Override
  public void close() throws InterruptedException {
    grpc.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }
}
