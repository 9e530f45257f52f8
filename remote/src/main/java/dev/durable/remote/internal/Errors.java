package dev.durable.remote.internal;

import dev.durable.client.ConnectionOptions;
import dev.durable.client.WorkflowAlreadyStartedException;
import dev.durable.client.WorkflowExecution;
import dev.durable.client.WorkflowNotFoundException;
import dev.durable.client.WorkflowQueryException;
import dev.durable.client.WorkflowUpdateException;
import dev.durable.common.DurableException;
import dev.durable.internal.failure.Failures;
import dev.durable.internal.service.TaskRejectedException;
import dev.durable.remote.proto.ErrorDetail;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import java.net.ConnectException;
import java.time.Duration;
import javax.net.ssl.SSLException;

/**
 * Carries the engine's exceptions over the wire: the server turns each into a gRPC status plus an
 * {@link ErrorDetail} in the trailers, and the client rethrows the same exception type with the
 * same code and message, so code using a remote client sees what it would see embedded.
 * Failures of the connection itself become DURABLE-261..266.
 */
final class Errors {
  static final Metadata.Key<ErrorDetail> DETAIL = ProtoUtils.keyForProto(ErrorDetail.getDefaultInstance());

  private Errors() {}

  // ---- server side

  /** Returns the status a failed call answers with. */
  static StatusRuntimeException toStatus(Throwable t) {
    ErrorDetail.Builder d = ErrorDetail.newBuilder();
    Status status;
    if (t instanceof WorkflowAlreadyStartedException e) {
      status = Status.ALREADY_EXISTS;
      d.setKind("ALREADY_STARTED").setCode(e.getCode()).setMessage(withoutCode(e))
          .setWorkflowId(e.getRunningExecution().workflowId()).setRunId(e.getRunningExecution().runId());
    } else if (t instanceof WorkflowNotFoundException e) {
      status = Status.NOT_FOUND;
      d.setKind("NOT_FOUND").setCode(e.getCode()).setMessage(withoutCode(e));
    } else if (t instanceof WorkflowQueryException e) {
      status = Status.FAILED_PRECONDITION;
      d.setKind("QUERY").setCode(e.getCode()).setMessage(withoutCode(e));
      if (e.getCause() != null) {
        d.setCause(Convert.failure(Failures.toInfo(e.getCause())));
      }
    } else if (t instanceof WorkflowUpdateException e) {
      status = Status.FAILED_PRECONDITION;
      d.setKind("UPDATE").setCode(e.getCode()).setMessage(withoutCode(e)).setWorkflowId(Convert.str(e.getWorkflowId()));
      Convert.set(e.getUpdateName(), d::setUpdateName);
      Convert.set(e.getUpdateId(), d::setUpdateId);
      if (e.getCause() != null) {
        d.setCause(Convert.failure(Failures.toInfo(e.getCause())));
      }
    } else if (t instanceof DurableException e && "DURABLE-213".equals(e.getCode())) {
      // The engine closed under the call: the server is going down. Remote callers treat it as a
      // transient outage (workers keep polling and reach the server once it is back).
      status = Status.UNAVAILABLE;
      d.setKind("SHUTTING_DOWN").setCode("DURABLE-268").setMessage("the server is shutting down (" + withoutCode(e)
          + "); retry once it is back");
    } else if (t instanceof DurableException e) {
      status = Status.FAILED_PRECONDITION;
      d.setKind("DURABLE").setCode(e.getCode()).setMessage(withoutCode(e));
    } else if (t instanceof TaskRejectedException e) {
      status = Status.FAILED_PRECONDITION;
      d.setKind("TASK_REJECTED").setMessage(String.valueOf(e.getMessage()));
    } else if (t instanceof IllegalArgumentException e) {
      status = Status.INVALID_ARGUMENT;
      d.setKind("INVALID_ARGUMENT").setMessage(String.valueOf(e.getMessage()));
    } else if (t instanceof IllegalStateException e) {
      status = Status.FAILED_PRECONDITION;
      d.setKind("ILLEGAL_STATE").setMessage(String.valueOf(e.getMessage()));
    } else {
      status = Status.INTERNAL;
      d.setKind("INTERNAL").setCode("DURABLE-266").setExceptionType(t.getClass().getName())
          .setMessage("the server failed: " + t.getClass().getName() + ": " + t.getMessage()
              + ". See the server's log; this is a bug if it repeats.");
    }
    Metadata trailers = new Metadata();
    ErrorDetail detail = d.build();
    trailers.put(DETAIL, detail);
    String description = detail.getCode().isEmpty() ? detail.getMessage() : detail.getCode() + " " + detail.getMessage();
    return status.withDescription(description).asRuntimeException(trailers);
  }

  private static String withoutCode(DurableException e) {
    String m = e.getMessage();
    return m.startsWith(e.getCode() + " ") ? m.substring(e.getCode().length() + 1) : m;
  }

  // ---- client side

  /**
   * Returns the exception to throw for a failed call.
   *
   * @param e the failure
   * @param call what was called, for the message
   * @param server where the call went
   * @param deadline the call's deadline
   */
  static RuntimeException toException(StatusRuntimeException e, String call, ConnectionOptions server, Duration deadline) {
    String address = server.getAddress();
    ErrorDetail d = e.getTrailers() == null ? null : e.getTrailers().get(DETAIL);
    if (d != null) {
      return fromDetail(d);
    }
    String description = e.getStatus().getDescription() == null ? "" : e.getStatus().getDescription();
    return switch (e.getStatus().getCode()) {
      case UNAUTHENTICATED -> new DurableException("DURABLE-262", stripCode(description, "DURABLE-262",
          "the server at " + address + " refused the call: token missing or wrong. Pass the server's token with"
              + " --token (or DURABLE_TOKEN) or ConnectionOptions.Builder.setToken."), e);
      case UNAVAILABLE -> unavailable(e, server, description);
      case DEADLINE_EXCEEDED -> new DurableException("DURABLE-265", call + " got no answer from the server at " + address
          + " within " + deadline + ". Check that the server is healthy, or raise ConnectionOptions.Builder.setCallTimeout.", e);
      default -> new DurableException("DURABLE-266", call + " failed at the server at " + address + ": "
          + e.getStatus().getCode() + " " + description, e);
    };
  }

  private static RuntimeException unavailable(StatusRuntimeException e, ConnectionOptions server, String description) {
    String address = server.getAddress();
    SSLException ssl = find(e, SSLException.class);
    if (ssl != null) {
      return new DurableException("DURABLE-263", "TLS with the server at " + address + " failed: " + ssl.getMessage()
          + ". Check that the server uses TLS, that ConnectionOptions.Builder.setTlsTrustCertificate names"
          + " the CA that signed its certificate, and, if it requires mutual TLS, that setTlsClientCertificate"
          + " names a certificate signed by the CA of the server's --tls-client-ca.", e);
    }
    if (find(e, ConnectException.class) != null || description.contains("Connection refused")) {
      return new DurableException("DURABLE-261", "cannot reach the Durable server at " + address + " ("
          + description + "). Start it (java -jar durable-server.jar --address " + address + ") or fix the address.", e);
    }
    if (description.startsWith("Channel shutdown")) {
      return new DurableException("DURABLE-213", "this WorkflowClient is closed (" + description + "); create a new one"
          + " with WorkflowClient.connect.", e);
    }
    if (!server.isTls() && TlsProbe.speaksTls(server.getHost(), server.getPort())) {
      // A TLS server drops a plaintext connection without an HTTP/2 answer ("Network closed for
      // unknown reason", or a reset); only a handshake tells that apart from a server that died.
      return new DurableException("DURABLE-263", "the server at " + address + " closed the plaintext connection ("
          + description + "): it requires TLS. Connect with TLS: ConnectionOptions.Builder.setTlsTrustCertificate(ca.pem)"
          + " or setTls(true) if its certificate is in the JDK trust store.", e);
    }
    return new DurableException("DURABLE-261", "lost the connection to the Durable server at " + address + " ("
        + description + "). Check that it runs; workers reconnect by themselves.", e);
  }

  private static <T extends Throwable> T find(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }

  private static String stripCode(String description, String code, String fallback) {
    if (description.startsWith(code + " ")) {
      return description.substring(code.length() + 1);
    }
    return fallback;
  }

  private static RuntimeException fromDetail(ErrorDetail d) {
    return switch (d.getKind()) {
      case "ALREADY_STARTED" -> new WorkflowAlreadyStartedException(d.getCode(), d.getMessage(),
          new WorkflowExecution(d.getWorkflowId(), d.getRunId()));
      case "NOT_FOUND" -> new WorkflowNotFoundException(d.getMessage());
      case "QUERY" -> new WorkflowQueryException(d.getMessage(),
          d.hasCause() ? Failures.toException(Convert.failure(d.getCause())) : null);
      case "UPDATE" -> new WorkflowUpdateException(d.getCode(), Convert.orNull(d.getWorkflowId()),
          d.hasUpdateName() ? d.getUpdateName() : null, d.hasUpdateId() ? d.getUpdateId() : null, d.getMessage(),
          d.hasCause() ? Failures.toException(Convert.failure(d.getCause())) : null);
      case "TASK_REJECTED" -> new TaskRejectedException(d.getMessage());
      case "INVALID_ARGUMENT" -> new IllegalArgumentException(d.getMessage());
      case "ILLEGAL_STATE" -> new IllegalStateException(d.getMessage());
      default -> new DurableException(d.getCode().isEmpty() ? "DURABLE-266" : d.getCode(), d.getMessage());
    };
  }

  /** Whether the failure is the server going down (its engine closed under the call). */
  static boolean isShuttingDown(StatusRuntimeException e) {
    ErrorDetail d = e.getTrailers() == null ? null : e.getTrailers().get(DETAIL);
    return d != null && "SHUTTING_DOWN".equals(d.getKind());
  }
}
