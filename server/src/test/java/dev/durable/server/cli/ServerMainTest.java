package dev.durable.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.ConnectionOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowOptions;
import dev.durable.common.DurableException;
import dev.durable.remote.DurableGrpcServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServerMainTest {
  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = ServerMain.execute(args, new PrintWriter(out), new PrintWriter(err), Map.of());
    return new Run(exit, out.toString(), err.toString());
  }

  private static ServerMain parse(Map<String, String> env, String... args) {
    ServerMain command = new ServerMain(env);
    new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
    return command;
  }

  @Test
  void theTokenComesFromDurableTokenUnlessTokenIsGiven() {
    String data = dir.resolve("data").toString();
    try (DurableGrpcServer server = parse(Map.of("DURABLE_TOKEN", "from-env"), "--data-dir", data,
        "--address=127.0.0.1:0").newServer().start()) {
      try (WorkflowClient none = WorkflowClient.connect(server.address())) {
        assertEquals("DURABLE-262", assertThrows(DurableException.class, () -> none.listWorkflows(false, 1)).getCode());
      }
      try (WorkflowClient ok = WorkflowClient.connect(ConnectionOptions.newBuilder().setAddress(server.address())
          .setToken("from-env").build())) {
        assertEquals(List.of(), ok.listWorkflows(false, 1));
      }
    }
    try (DurableGrpcServer server = parse(Map.of("DURABLE_TOKEN", "from-env"), "--data-dir", data,
        "--address=127.0.0.1:0", "--token", "given").newServer().start()) {
      try (WorkflowClient env = WorkflowClient.connect(ConnectionOptions.newBuilder().setAddress(server.address())
          .setToken("from-env").build())) {
        assertEquals("DURABLE-262", assertThrows(DurableException.class, () -> env.listWorkflows(false, 1)).getCode());
      }
      try (WorkflowClient ok = WorkflowClient.connect(ConnectionOptions.newBuilder().setAddress(server.address())
          .setToken("given").build())) {
        assertEquals(List.of(), ok.listWorkflows(false, 1));
      }
    }
  }

  @Test
  void badOptionsAreReportedWithTheUsageAndStatus2() {
    Run missing = execute();
    assertEquals(2, missing.exit());
    assertTrue(missing.err().startsWith("DURABLE-201 Missing where to store workflows: give --data-dir DIR (RocksDB"
        + " on this machine) or --postgres-url URL (a PostgreSQL database).\nUsage: java -jar durable-server.jar"),
        missing.err());
    assertEquals("", missing.out());
    Run durability = execute("--data-dir", "d", "--durability", "maybe");
    assertEquals(2, durability.exit());
    assertTrue(durability.err().startsWith("DURABLE-201 Invalid value for option '--durability':"), durability.err());
    assertTrue(durability.err().contains("but was 'maybe'"), durability.err());
    Run unknown = execute("--data-dir", "d", "--port", "1");
    assertEquals(2, unknown.exit());
    assertTrue(unknown.err().startsWith("DURABLE-201 Unknown options: '--port', '1'"), unknown.err());
    Run key = execute("--data-dir", dir.resolve("d").toString(), "--tls-cert", "c.pem");
    assertEquals(2, key.exit());
    assertTrue(key.err().startsWith("DURABLE-201 --tls-cert and --tls-key go together: give both to serve TLS, or"
        + " neither.\nUsage:"), key.err());
    Run metrics = execute("--data-dir", dir.resolve("d").toString(), "--metrics-address", "9090");
    assertEquals(2, metrics.exit());
    assertTrue(metrics.err().startsWith("DURABLE-201 metricsAddress must be HOST:PORT with a port from 0 to 65535,"
        + " such as 127.0.0.1:7233, got \"9090\"\nUsage:"), metrics.err());
    Run noValue = execute("--data-dir");
    assertEquals(2, noValue.exit());
    assertTrue(noValue.err().startsWith("DURABLE-201 Missing required parameter for option '--data-dir'"),
        noValue.err());
    assertTrue(Files.notExists(dir.resolve("d")), "nothing was created");
  }

  @Test
  void theStoreIsADataDirOrAPostgresUrlNeverBoth() {
    Run both = execute("--data-dir", dir.resolve("d").toString(), "--postgres-url", "jdbc:postgresql://db/durable");
    assertEquals(2, both.exit());
    assertTrue(both.err().startsWith("DURABLE-201 --data-dir and --postgres-url do not go together: the server keeps"
        + " its workflows in one place, give one of them.\nUsage:"), both.err());
    Run userWithoutUrl = execute("--data-dir", dir.resolve("d").toString(), "--postgres-user", "durable");
    assertEquals(2, userWithoutUrl.exit());
    assertTrue(userWithoutUrl.err().startsWith("DURABLE-201 --postgres-user goes with --postgres-url; a --data-dir"
        + " needs no user.\nUsage:"), userWithoutUrl.err());
    Run standbyOnADataDir = execute("--data-dir", dir.resolve("d").toString(), "--standby");
    assertEquals(2, standbyOnADataDir.exit());
    assertTrue(standbyOnADataDir.err().startsWith("DURABLE-201 --standby goes with --postgres-url: a data dir belongs"
        + " to one machine's server.\nUsage:"), standbyOnADataDir.err());
    Run notPostgres = execute("--postgres-url", "jdbc:mysql://db/durable");
    assertEquals(2, notPostgres.exit());
    assertTrue(notPostgres.err().startsWith("DURABLE-201 the PostgreSQL storage needs a JDBC URL such as"
        + " jdbc:postgresql://localhost:5432/durable, got 'jdbc:mysql://db/durable'\nUsage:"), notPostgres.err());
    assertTrue(Files.notExists(dir.resolve("d")), "nothing was created");
  }

  @Test
  void aPostgresUrlThatCannotBeReachedExitsWithStatus1() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Run r = execute("--postgres-url", "jdbc:postgresql://127.0.0.1:" + closedPort + "/durable?currentSchema=d",
        "--address", "127.0.0.1:0");
    assertEquals(1, r.exit(), r.err());
    assertTrue(r.err().startsWith("durable-server: DURABLE-310 "), r.err());
    assertEquals("", r.out());
  }

  @Test
  void asyncDurabilityIsAcceptedInAnyCase() {
    assertEquals(dev.durable.server.Durability.ASYNC,
        parse(Map.of(), "--data-dir", "d", "--durability", "ASYNC").durability);
    assertEquals(dev.durable.server.Durability.SYNC, parse(Map.of(), "--data-dir", "d").durability);
  }

  @Test
  void retentionTakesADurationThatMustBePositive() {
    assertEquals(java.time.Duration.ofDays(30), parse(Map.of(), "--data-dir", "d", "--retention", "30d").retention);
    assertEquals(java.time.Duration.ofHours(12), parse(Map.of(), "--data-dir", "d", "--retention", "PT12H").retention);
    assertEquals(null, parse(Map.of(), "--data-dir", "d").retention, "kept for good by default");
    Run zero = execute("--data-dir", dir.resolve("z").toString(), "--retention", "0s");
    assertEquals(2, zero.exit());
    assertTrue(zero.err().startsWith("DURABLE-201 retention must be positive, got PT0S\nUsage:"), zero.err());
    Run bad = execute("--data-dir", dir.resolve("z").toString(), "--retention", "a month");
    assertEquals(2, bad.exit());
    assertTrue(bad.err().contains("'a month' is not a duration: use 30s, 5m, 2h, 1d, 250ms or ISO-8601"), bad.err());
    assertTrue(Files.notExists(dir.resolve("z")), "nothing was created");
  }

  @Test
  void helpGoesToStdoutWithStatus0() {
    Run help = execute("--help");
    assertEquals(0, help.exit());
    assertTrue(help.out().startsWith("Usage: java -jar durable-server.jar "), help.out());
    for (String option : List.of("--data-dir=DIR", "--postgres-url=URL", "--postgres-user=USER",
        "$DURABLE_POSTGRES_PASSWORD", "--address=HOST:PORT", "--metrics-address=HOST:PORT", "--durability=sync|async",
        "--tls-cert=FILE", "--tls-key=FILE", "--tls-client-ca=FILE", "--token=TOKEN", "$DURABLE_TOKEN",
        "--retention=DURATION")) {
      assertTrue(help.out().contains(option), option + " in\n" + help.out());
    }
    assertEquals("", help.err());
  }

  @Test
  void aServerThatCannotListenExitsWithStatus1AndReleasesTheDataDir() throws Exception {
    Path data = dir.resolve("data");
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Run r = execute("--data-dir", data.toString(), "--address", "127.0.0.1:" + busy.getLocalPort());
      assertEquals(1, r.exit(), r.err());
      assertTrue(r.err().startsWith("durable-server: DURABLE-267 cannot listen on 127.0.0.1:" + busy.getLocalPort()),
          r.err());
      assertEquals("", r.out());
    }
    try (DurableGrpcServer server = parse(Map.of(), "--data-dir", data.toString(), "--address", "127.0.0.1:0")
        .newServer().start()) {
      assertTrue(server.address().startsWith("127.0.0.1:"), server.address());
    }
  }

  @Test
  void theMetricsAddressServesPrometheusTextAtGetMetricsOnly() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String base;
    try (DurableGrpcServer server = parse(Map.of(), "--data-dir", dir.resolve("data").toString(),
        "--address=127.0.0.1:0", "--metrics-address=127.0.0.1:0").newServer().start()) {
      base = "http://" + server.metricsAddress().orElseThrow();
      assertTrue(base.startsWith("http://127.0.0.1:"), base);
      try (WorkflowClient client = WorkflowClient.connect(server.address())) {
        client.newUntypedWorkflowStub("Greeting", WorkflowOptions.newBuilder().setTaskQueue("no-worker")
            .setWorkflowId("waits").build()).start("Ada");
      }

      HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ok.statusCode());
      assertEquals("text/plain; version=0.0.4; charset=utf-8", ok.headers().firstValue("Content-Type").orElse(""));
      assertTrue(ok.body().startsWith("# HELP durable_runs_started_total "), ok.body());
      for (String line : List.of("# TYPE durable_runs_started_total counter", "durable_runs_started_total 1",
          "durable_runs_closed_total{status=\"completed\"} 0", "durable_open_runs 1",
          "durable_task_queue_backlog{task_queue=\"no-worker\",kind=\"workflow\"} 1")) {
        assertTrue(ok.body().lines().anyMatch(line::equals), line + " in\n" + ok.body());
      }
      assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
      assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(base + "/metrics/x")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
      HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
          .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(405, post.statusCode());
      assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(""));
    }
    assertThrows(ConnectException.class, () -> http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()), "stopped with the server");
  }

  @Test
  void metricsAreOffByDefault() {
    try (DurableGrpcServer server = parse(Map.of(), "--data-dir", dir.resolve("data").toString(),
        "--address=127.0.0.1:0").newServer().start()) {
      assertEquals(Optional.empty(), server.metricsAddress());
    }
  }

  @Test
  void aBusyMetricsPortExitsWithStatus1NamingTheMetricsAddressAndReleasesTheDataDir() throws Exception {
    Path data = dir.resolve("data");
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Run r = execute("--data-dir", data.toString(), "--address", "127.0.0.1:0", "--metrics-address",
          "127.0.0.1:" + busy.getLocalPort());
      assertEquals(1, r.exit(), r.err());
      assertTrue(r.err().startsWith("durable-server: DURABLE-267 cannot serve metrics on 127.0.0.1:"
          + busy.getLocalPort() + ": "), r.err());
      assertTrue(r.err().contains("(the port is in use: stop the other process or pick another --metrics-address)"),
          r.err());
      assertEquals("", r.out());
    }
    try (DurableGrpcServer server = parse(Map.of(), "--data-dir", data.toString(), "--address", "127.0.0.1:0")
        .newServer().start()) {
      assertTrue(server.address().startsWith("127.0.0.1:"), server.address());
    }
  }
}
