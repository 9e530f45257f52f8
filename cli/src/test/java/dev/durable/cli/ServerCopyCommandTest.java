package dev.durable.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.cli.DurableCliTest.Run;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowOptions;
import dev.durable.postgres.PostgresCluster;
import dev.durable.server.DurableServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code durable server copy}: a data dir's runs into PostgreSQL, refusals, and back. */
class ServerCopyCommandTest {
  @Test
  void copiesADataDirIntoAnEmptySchemaAndRefusesToCopyTwice(@TempDir Path dir) {
    Path data = dir.resolve("data");
    try (DurableServer server = DurableServer.newBuilder().setDataDir(data).build().start();
        WorkflowClient client = WorkflowClient.newInstance(server)) {
      client.newUntypedWorkflowStub("Anything", WorkflowOptions.newBuilder().setTaskQueue("q")
          .setWorkflowId("to-copy").build()).start();
    }
    PostgresCluster cluster = PostgresCluster.get();
    String url = cluster.jdbcUrl(cluster.createSchema("cli_copy"));
    Map<String, String> env = Map.of("DURABLE_POSTGRES_PASSWORD", "unused: the test cluster trusts local users");

    Run copied = DurableCliTest.execute(env, null, "server", "copy", "--from-data-dir", data.toString(),
        "--to-postgres-url", url, "--postgres-user", cluster.user());
    assertEquals(0, copied.exit(), copied.err());
    assertTrue(copied.out().startsWith("copied 1 runs ("), copied.out());

    Run again = DurableCliTest.execute(env, null, "server", "copy", "--from-data-dir", data.toString(),
        "--to-postgres-url", url, "--postgres-user", cluster.user());
    assertEquals(1, again.exit());
    assertTrue(again.err().startsWith("DURABLE-314 ") && again.err().contains("already holds 1 runs"), again.err());

    Run back = DurableCliTest.execute(env, null, "server", "copy", "--from-postgres-url", url, "--postgres-user",
        cluster.user(), "--to-data-dir", dir.resolve("back").toString());
    assertEquals(0, back.exit(), back.err());
    assertTrue(back.out().startsWith("copied 1 runs ("), back.out());

    Run both = DurableCliTest.execute(env, null, "server", "copy", "--from-data-dir", data.toString(),
        "--to-data-dir", dir.resolve("other").toString());
    assertEquals(1, both.exit());
    assertTrue(both.err().startsWith("DURABLE-270 give --from-data-dir with --to-postgres-url"), both.err());
  }
}
