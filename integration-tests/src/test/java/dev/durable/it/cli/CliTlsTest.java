package dev.durable.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.remote.TestCertificates;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code durable server start} with mutual TLS and a token, and the CLI's {@code --tls-*} and
 * {@code --token} options against it, with certificates generated for the test.
 */
class CliTlsTest {
  @TempDir
  Path work;

  @Test
  void theCliReachesAMutualTlsServerWithItsCertificatesAndIsRefusedWithout() throws Exception {
    TestCertificates certs = TestCertificates.generate(work.resolve("certs"));
    try (ServerProcess server = ServerProcess.start(work, "--data-dir", work.resolve("data").toString(),
        "--address", "127.0.0.1:0", "--tls-cert", certs.serverCert.toString(), "--tls-key", certs.serverKey.toString(),
        "--tls-client-ca", certs.caCert.toString(), "--token", "tls-token")) {
      String address = server.address();

      CliProcess.Result ok = CliProcess.jar(work, "workflow", "list", "-o", "json", "--address", address,
          "--tls-ca", certs.caCert.toString(), "--tls-cert", certs.clientCert.toString(),
          "--tls-key", certs.clientKey.toString(), "--token", "tls-token");
      assertEquals(0, ok.exit(), ok::toString);
      assertEquals("{\n  \"workflows\" : [ ]\n}\n", ok.out());

      CliProcess.Result plaintext = CliProcess.jar(work, "workflow", "list", "--address", address, "--token", "tls-token");
      assertEquals(6, plaintext.exit(), plaintext::toString);
      assertTrue(plaintext.err().startsWith("DURABLE-263 "), plaintext::toString);

      CliProcess.Result noClientCertificate = CliProcess.jar(work, "workflow", "list", "--address", address,
          "--tls-ca", certs.caCert.toString(), "--token", "tls-token");
      assertEquals(6, noClientCertificate.exit(), noClientCertificate::toString);
      assertTrue(noClientCertificate.err().startsWith("DURABLE-26"), noClientCertificate::toString);
      assertEquals(1, noClientCertificate.err().lines().count(), noClientCertificate::toString);
    }
  }
}
