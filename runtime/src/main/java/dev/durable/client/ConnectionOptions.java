package dev.durable.client;

import dev.durable.internal.Checks;
import dev.durable.internal.service.HostPort;
import dev.durable.internal.service.RemoteChecks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@link WorkflowClient#connect(ConnectionOptions)} reaches a standalone server: its address,
 * TLS, the shared-secret token and the deadline of ordinary calls. Immutable; {@link
 * Builder#build()} checks every value.
 *
 * <pre>{@code
 * ConnectionOptions options = ConnectionOptions.newBuilder()
 *     .setAddress("durable.internal:7233")
 *     .setTlsTrustCertificate(Path.of("ca.pem"))        // TLS, trusting this CA or server certificate
 *     .setTlsClientCertificate(Path.of("client.pem"), Path.of("client.key")) // mutual TLS
 *     .setToken(System.getenv("DURABLE_TOKEN"))
 *     .build();
 * }</pre>
 *
 * <p>An address may list several servers, {@code "durable-a:7233,durable-b:7233"}: a server and
 * its standbys on one PostgreSQL schema. Calls go to the first of them that accepts connections; a
 * standby's port is closed until it takes over, and then calls go there.
 */
public final class ConnectionOptions {
  /** The address a server listens on by default. */
  public static final String DEFAULT_ADDRESS = "127.0.0.1:7233";

  private final List<HostPort> servers;
  private final boolean tls;
  private final Path trustCertificate;
  private final Path clientCertificate;
  private final Path clientKey;
  private final String token;
  private final Duration callTimeout;

  private ConnectionOptions(Builder b) {
    this.servers = b.servers;
    this.tls = b.tls;
    this.trustCertificate = b.trustCertificate;
    this.clientCertificate = b.clientCertificate;
    this.clientKey = b.clientKey;
    this.token = b.token;
    this.callTimeout = b.callTimeout;
  }

  /** Returns a builder with the default address {@value #DEFAULT_ADDRESS}, no TLS and no token. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Returns the (first) server's host name or IP address. */
  public String getHost() {
    return servers.get(0).host();
  }

  /** Returns the (first) server's port. */
  public int getPort() {
    return servers.get(0).port();
  }

  /** Returns {@code host:port}, or the servers' addresses joined by commas. */
  public String getAddress() {
    return String.join(",", getAddresses());
  }

  /** Returns the servers' addresses, {@code host:port} each, in the order calls try them. */
  public List<String> getAddresses() {
    return servers.stream().map(HostPort::toString).toList();
  }

  /** Returns whether the connection uses TLS. */
  public boolean isTls() {
    return tls;
  }

  /** Returns the PEM file of certificates trusted for the server, or null for the JDK's default trust store. */
  public Path getTlsTrustCertificate() {
    return trustCertificate;
  }

  /** Returns the PEM certificate chain presented for mutual TLS, or null. */
  public Path getTlsClientCertificate() {
    return clientCertificate;
  }

  /** Returns the PEM (PKCS#8) private key of the client certificate, or null. */
  public Path getTlsClientKey() {
    return clientKey;
  }

  /** Returns the token sent with every call, or null. */
  public String getToken() {
    return token;
  }

  /** Returns how long an ordinary call may take before it fails with DURABLE-265. */
  public Duration getCallTimeout() {
    return callTimeout;
  }

  @Override
  public String toString() {
    return "ConnectionOptions{" + getAddress() + (tls ? ", tls" : "") + (clientCertificate != null ? ", mutual tls" : "")
        + (token != null ? ", token" : "") + ", callTimeout=" + callTimeout + "}";
  }

  /** Builds {@link ConnectionOptions}. */
  public static final class Builder {
    private List<HostPort> servers = List.of(new HostPort("127.0.0.1", 7233));
    private boolean tls;
    private Path trustCertificate;
    private Path clientCertificate;
    private Path clientKey;
    private String token;
    private Duration callTimeout = Duration.ofSeconds(30);

    private Builder() {}

    /**
     * Sets the server address as {@code host:port} (an IPv6 host in brackets, {@code [::1]:7233}),
     * or several separated by commas: a server and its standbys, tried in this order (see the class
     * comment). Default {@value ConnectionOptions#DEFAULT_ADDRESS}.
     */
    public Builder setAddress(String address) {
      Checks.notBlank("address", address);
      List<HostPort> parsed = new ArrayList<>();
      for (String one : address.split(",", -1)) {
        parsed.add(HostPort.parse("address", one.strip()));
      }
      this.servers = List.copyOf(parsed);
      return this;
    }

    /** Turns TLS on or off (off by default; setting a trust or client certificate turns it on). */
    public Builder setTls(boolean tls) {
      this.tls = tls;
      return this;
    }

    /**
     * Trusts the certificates in this PEM file (a CA, or the server's own certificate) instead of
     * the JDK's default trust store, and turns TLS on.
     */
    public Builder setTlsTrustCertificate(Path pemFile) {
      this.trustCertificate = pemFile;
      this.tls = pemFile != null || tls;
      return this;
    }

    /**
     * Presents this certificate chain and PKCS#8 private key (PEM files) to a server that
     * requires mutual TLS, and turns TLS on.
     */
    public Builder setTlsClientCertificate(Path certificatePem, Path privateKeyPem) {
      this.clientCertificate = certificatePem;
      this.clientKey = privateKeyPem;
      this.tls = certificatePem != null || tls;
      return this;
    }

    /** Sets the shared-secret token sent as {@code authorization: Bearer <token>} with every call. */
    public Builder setToken(String token) {
      this.token = token;
      return this;
    }

    /**
     * Sets how long ordinary calls may take (default 30 s). Long polls, result waits and queries
     * wait for their own timeouts on top of it.
     */
    public Builder setCallTimeout(Duration callTimeout) {
      this.callTimeout = callTimeout;
      return this;
    }

    /** Checks the options and builds them; fails with DURABLE-201 naming the bad value. */
    public ConnectionOptions build() {
      Checks.positive("callTimeout", callTimeout);
      RemoteChecks.token(token);
      RemoteChecks.readableFile("tlsTrustCertificate", trustCertificate);
      RemoteChecks.readableFile("tlsClientCertificate", clientCertificate);
      if ((clientCertificate == null) != (clientKey == null)) {
        throw Checks.invalid("mutual TLS needs both a client certificate and its private key, got certificate="
            + clientCertificate + " key=" + clientKey);
      }
      RemoteChecks.readableFile("tlsClientKey", clientKey);
      return new ConnectionOptions(this);
    }
  }
}
