package dev.durable.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.ConnectionOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.common.DurableException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS, mutual TLS and the token, with real certificates generated in the test. */
class RemoteSecurityTest {
  @TempDir Path dir;
  private TestCertificates certs;

  @BeforeEach
  void certificates() {
    certs = TestCertificates.generate(dir.resolve("certs"));
  }

  private DurableGrpcServer server(UnaryOperator<DurableGrpcServer.Builder> config) {
    return config.apply(DurableGrpcServer.newBuilder().setDataDir(dir.resolve("data")).setAddress("127.0.0.1:0"))
        .build().start();
  }

  private static DurableException refused(String address, UnaryOperator<ConnectionOptions.Builder> config) {
    try (WorkflowClient client = WorkflowClient.connect(config.apply(ConnectionOptions.newBuilder().setAddress(address)
        .setCallTimeout(Duration.ofSeconds(20))).build())) {
      return assertThrows(DurableException.class, () -> client.listWorkflows(false, 10));
    }
  }

  private static List<?> list(String address, UnaryOperator<ConnectionOptions.Builder> config) {
    try (WorkflowClient client = WorkflowClient.connect(config.apply(ConnectionOptions.newBuilder().setAddress(address)).build())) {
      return client.listWorkflows(false, 10);
    }
  }

  @Test
  void callsWithoutTheTokenOrWithAWrongOneAreRefusedWithDurable262() {
    try (DurableGrpcServer server = server(b -> b.setToken("s3cret"))) {
      DurableException missing = refused(server.address(), b -> b);
      assertEquals("DURABLE-262", missing.getCode());
      assertTrue(missing.getMessage().contains("token missing") && missing.getMessage().contains("setToken"),
          missing.getMessage());
      DurableException wrong = refused(server.address(), b -> b.setToken("guess"));
      assertEquals("DURABLE-262", wrong.getCode());
      assertTrue(wrong.getMessage().contains("token wrong"), wrong.getMessage());
      assertEquals(List.of(), list(server.address(), b -> b.setToken("s3cret")));
    }
  }

  @Test
  void aPlaintextClientOfATlsServerIsToldThatTheServerRequiresTls() {
    try (DurableGrpcServer server = server(b -> b.setTlsCertificate(certs.serverCert, certs.serverKey))) {
      DurableException e = refused(server.address(), b -> b);
      assertEquals("DURABLE-263", e.getCode(), e.getMessage());
      assertTrue(e.getMessage().contains("requires TLS"), e.getMessage());
      assertEquals(List.of(), list(server.address(), b -> b.setTlsTrustCertificate(certs.caCert)));
    }
  }

  @Test
  void aServerCertificateNotSignedByTheTrustedCaIsRefused() {
    try (DurableGrpcServer server = server(b -> b.setTlsCertificate(certs.serverCert, certs.serverKey))) {
      DurableException e = refused(server.address(), b -> b.setTlsTrustCertificate(certs.otherCaCert));
      assertEquals("DURABLE-263", e.getCode());
      assertTrue(e.getMessage().contains("TLS with the server at " + server.address() + " failed"), e.getMessage());
    }
  }

  @Test
  void mutualTlsRefusesClientsWithoutACertificateFromTheClientCa() {
    try (DurableGrpcServer server = server(b -> b.setTlsCertificate(certs.serverCert, certs.serverKey)
        .setTlsClientCa(certs.caCert).setToken("s3cret"))) {
      DurableException e = refused(server.address(), b -> b.setTlsTrustCertificate(certs.caCert).setToken("s3cret"));
      assertEquals("DURABLE-263", e.getCode(), e.getMessage());
      assertEquals(List.of(), list(server.address(), b -> b.setTlsTrustCertificate(certs.caCert)
          .setTlsClientCertificate(certs.clientCert, certs.clientKey).setToken("s3cret")));
    }
  }

  @Test
  void anUnreachableServerIsReportedWithDurable261() throws Exception {
    int port;
    try (var socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    DurableException e = refused("127.0.0.1:" + port, b -> b);
    assertEquals("DURABLE-261", e.getCode());
    assertTrue(e.getMessage().contains("cannot reach the Durable server at 127.0.0.1:" + port), e.getMessage());
  }

  @Test
  void badServerOptionsFailAtBuildNamingTheOption() {
    var e = assertThrows(IllegalArgumentException.class, () -> DurableGrpcServer.newBuilder().setDataDir(dir)
        .setTlsCertificate(certs.serverCert, null).build());
    assertTrue(e.getMessage().startsWith("DURABLE-201 TLS needs both a certificate and its private key"), e.getMessage());
    var missing = assertThrows(IllegalArgumentException.class, () -> ConnectionOptions.newBuilder()
        .setTlsTrustCertificate(dir.resolve("nope.pem")).build());
    assertTrue(missing.getMessage().contains("tlsTrustCertificate must be a readable PEM file"), missing.getMessage());
    var address = assertThrows(IllegalArgumentException.class, () -> ConnectionOptions.newBuilder().setAddress("localhost"));
    assertTrue(address.getMessage().contains("must be HOST:PORT"), address.getMessage());
  }

  @Test
  void aSecondServerOnABoundPortFailsWithDurable267() {
    try (DurableGrpcServer server = server(b -> b)) {
      var second = DurableGrpcServer.newBuilder().setDataDir(dir.resolve("other")).setAddress(server.address()).build();
      DurableException e = assertThrows(DurableException.class, second::start);
      assertEquals("DURABLE-267", e.getCode());
    }
  }
}
