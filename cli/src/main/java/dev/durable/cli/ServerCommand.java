package dev.durable.cli;

import dev.durable.client.ConnectionOptions;
import dev.durable.remote.DurableGrpcServer;
import dev.durable.server.Durability;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code durable server ...}: the standalone server. */
@Command(name = "server", mixinStandardHelpOptions = true, description = "Run a standalone Durable server.",
    subcommands = ServerCommand.Start.class)
final class ServerCommand {

  /** {@code durable server start}: serves a data dir over gRPC until SIGTERM or Ctrl-C. */
  @Command(name = "start", mixinStandardHelpOptions = true,
      description = "Serve a data dir over gRPC to workers and clients (WorkflowClient.connect, durable --address)"
          + " until SIGTERM or Ctrl-C, then shut down gracefully: stop accepting, answer waiting polls, flush.")
  static final class Start implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR",
        description = "Where workflows are stored; created if missing.")
    Path dataDir;

    @Option(names = "--address", paramLabel = "HOST:PORT", defaultValue = ConnectionOptions.DEFAULT_ADDRESS,
        description = "Where to listen (default: ${DEFAULT-VALUE}; 0.0.0.0:7233 for every interface; port 0 picks"
            + " a free port).")
    String address;

    @Option(names = "--durability", paramLabel = "sync|async", defaultValue = "sync",
        description = "sync (default): each change is on disk before it is acknowledged; async: faster, the last"
            + " changes may be lost in a power cut.")
    Durability durability;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "Serve TLS with this PEM certificate chain.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The PEM PKCS#8 private key of --tls-cert.")
    Path tlsKey;

    @Option(names = "--tls-client-ca", paramLabel = "FILE",
        description = "Require mutual TLS: clients present certificates signed by a CA in this PEM file.")
    Path tlsClientCa;

    @Option(names = "--token", paramLabel = "TOKEN",
        description = "Require this shared-secret token on every call (default: $" + TargetOptions.TOKEN_ENV + ").")
    String token;

    @Override
    public Integer call() throws InterruptedException {
      DurableCli cli = (DurableCli) spec.root().userObject();
      if ((tlsCert == null) != (tlsKey == null)) {
        throw CliError.usage("--tls-cert and --tls-key go together: give both to serve TLS, or neither.");
      }
      String t = token != null ? token : cli.env().get(TargetOptions.TOKEN_ENV);
      DurableGrpcServer.Builder b = DurableGrpcServer.newBuilder().setDataDir(dataDir).setAddress(address)
          .setDurability(durability).setToken(t == null || t.isBlank() ? null : t);
      if (tlsCert != null) {
        b.setTlsCertificate(tlsCert, tlsKey);
      }
      if (tlsClientCa != null) {
        b.setTlsClientCa(tlsClientCa);
      }
      DurableGrpcServer server = b.build().start();
      Thread hook = new Thread(server::close, "durable-server-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      PrintWriter out = spec.commandLine().getOut();
      out.println("Durable server listening on " + server.address() + " (data dir " + dataDir.toAbsolutePath()
          + (t == null || t.isBlank() ? "" : ", token required") + (tlsCert == null ? "" : ", TLS") + ")");
      out.flush();
      server.awaitTermination();
      return ExitCodes.OK;
    }
  }
}
