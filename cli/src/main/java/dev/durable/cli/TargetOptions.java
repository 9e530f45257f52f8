package dev.durable.cli;

import dev.durable.client.ConnectionOptions;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options that say where a command's calls go; shared by every command that talks to a
 * server. {@code --data-dir} opens a data dir directly; otherwise the CLI connects to the server
 * at {@code --address}, {@code $DURABLE_ADDRESS} or {@value ConnectionOptions#DEFAULT_ADDRESS}.
 */
final class TargetOptions {
  static final String ADDRESS_ENV = "DURABLE_ADDRESS";
  static final String TOKEN_ENV = "DURABLE_TOKEN";

  @Option(names = "--address", paramLabel = "HOST:PORT",
      description = "The Durable server to talk to (default: $" + ADDRESS_ENV + ", else "
          + ConnectionOptions.DEFAULT_ADDRESS + ").")
  String address;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Open this data dir directly instead, when no server runs on it. Queries and waiting for"
          + " running workflows need a server, because no worker can poll a data dir the CLI holds.")
  Path dataDir;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "The server's shared-secret token (default: $" + TOKEN_ENV + ").")
  String token;

  @Option(names = "--tls", description = "Connect with TLS, trusting the JDK's default certificate authorities.")
  boolean tls;

  @Option(names = "--tls-ca", paramLabel = "FILE",
      description = "Connect with TLS, trusting the CA or server certificate in this PEM file.")
  Path tlsCa;

  @Option(names = "--tls-cert", paramLabel = "FILE",
      description = "For mutual TLS: this PEM certificate chain (with --tls-key).")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "For mutual TLS: this PEM PKCS#8 private key.")
  Path tlsKey;

  /** Returns where calls go, from the options and then the environment. */
  Target resolve(Map<String, String> env) {
    if (dataDir != null) {
      if (address != null || token != null || tls || tlsCa != null || tlsCert != null || tlsKey != null) {
        throw CliError.usage("--data-dir opens a data dir directly and cannot be combined with --address, --token"
            + " or --tls options: give one or the other.");
      }
      return new DataDirTarget(dataDir);
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw CliError.usage("--tls-cert and --tls-key go together: give both for mutual TLS, or neither.");
    }
    ConnectionOptions.Builder b = ConnectionOptions.newBuilder()
        .setAddress(firstOf(address, env.get(ADDRESS_ENV), ConnectionOptions.DEFAULT_ADDRESS));
    String t = firstOf(token, env.get(TOKEN_ENV), null);
    if (t != null) {
      b.setToken(t);
    }
    if (tls) {
      b.setTls(true);
    }
    if (tlsCa != null) {
      b.setTlsTrustCertificate(tlsCa);
    }
    if (tlsCert != null) {
      b.setTlsClientCertificate(tlsCert, tlsKey);
    }
    return new AddressTarget(b.build());
  }

  private static String firstOf(String a, String b, String otherwise) {
    if (a != null && !a.isBlank()) {
      return a;
    }
    return b != null && !b.isBlank() ? b : otherwise;
  }
}
