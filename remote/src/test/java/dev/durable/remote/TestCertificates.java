package dev.durable.remote;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Real certificates for TLS tests, generated in the test: a CA, a server certificate for
 * 127.0.0.1 and localhost, and a client certificate, written as PEM files (keys as PKCS#8).
 */
public final class TestCertificates {
  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

  /** The CA certificate, trusted by clients and, for mutual TLS, by the server. */
  public final Path caCert;
  public final Path serverCert;
  public final Path serverKey;
  public final Path clientCert;
  public final Path clientKey;
  /** A second CA that signed nothing the server or client use: trusting it must fail. */
  public final Path otherCaCert;

  private TestCertificates(Path dir) throws Exception {
    Files.createDirectories(dir);
    KeyPair ca = keyPair();
    X509Certificate caCertificate = sign("CN=Durable Test CA", ca, "CN=Durable Test CA", ca.getPrivate(), true, null);
    KeyPair server = keyPair();
    X509Certificate serverCertificate = sign("CN=Durable Test CA", ca, "CN=localhost", ca.getPrivate(), false, server);
    KeyPair client = keyPair();
    X509Certificate clientCertificate = sign("CN=Durable Test CA", ca, "CN=durable-worker", ca.getPrivate(), false, client);
    KeyPair other = keyPair();
    X509Certificate otherCa = sign("CN=Other CA", other, "CN=Other CA", other.getPrivate(), true, null);
    caCert = pem(dir.resolve("ca.pem"), caCertificate);
    serverCert = pem(dir.resolve("server.pem"), serverCertificate);
    serverKey = key(dir.resolve("server.key"), server.getPrivate());
    clientCert = pem(dir.resolve("client.pem"), clientCertificate);
    clientKey = key(dir.resolve("client.key"), client.getPrivate());
    otherCaCert = pem(dir.resolve("other-ca.pem"), otherCa);
  }

  /** Generates a CA, server and client certificates into {@code dir}. */
  public static TestCertificates generate(Path dir) {
    try {
      return new TestCertificates(dir);
    } catch (Exception e) {
      throw new IllegalStateException("cannot generate test certificates: " + e, e);
    }
  }

  private static KeyPair keyPair() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    return g.generateKeyPair();
  }

  private static X509Certificate sign(String issuer, KeyPair issuerKeys, String subject, PrivateKey signer, boolean isCa,
      KeyPair subjectKeys) throws Exception {
    Instant now = Instant.now();
    KeyPair keys = subjectKeys == null ? issuerKeys : subjectKeys;
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
        BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(1))), new X500Name(subject), keys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    if (!isCa) {
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
          new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
      b.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
    }
    return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
  }

  private static Path pem(Path file, Object value) throws IOException {
    try (Writer w = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(value);
    }
    return file;
  }

  private static Path key(Path file, PrivateKey key) throws Exception {
    try (Writer w = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(new JcaPKCS8Generator(key, null));
    }
    return file;
  }
}
