package dev.durable.remote.internal;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Refuses every call that does not carry {@code authorization: Bearer <token>} with the server's token. */
public final class TokenCheck implements ServerInterceptor {
  private final byte[] expected;

  /** Checks for {@code token}. */
  public TokenCheck(String token) {
    this.expected = ("Bearer " + token).getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String got = headers.get(GrpcTransport.AUTHORIZATION);
    // Compared in constant time, so the answer's timing tells nothing about the token.
    if (got == null || !MessageDigest.isEqual(expected, got.getBytes(StandardCharsets.US_ASCII))) {
      call.close(Status.UNAUTHENTICATED.withDescription("DURABLE-262 the server refused the call: token "
          + (got == null ? "missing" : "wrong") + ". Pass the server's token with --token (or the DURABLE_TOKEN"
          + " environment variable) or ConnectionOptions.Builder.setToken."), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }
}
