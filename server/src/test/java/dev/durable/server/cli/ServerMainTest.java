package dev.durable.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.WorkflowClient;
import dev.durable.common.DurableException;
import dev.durable.client.ConnectionOptions;
import dev.durable.remote.DurableGrpcServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerMainTest {
  @TempDir Path dir;

  @Test
  void theTokenComesFromDurableTokenUnlessTokenIsGiven() {
    String data = dir.resolve("data").toString();
    try (DurableGrpcServer server = ServerMain.parse(new String[] {"--data-dir", data, "--address=127.0.0.1:0"},
        Map.of("DURABLE_TOKEN", "from-env")).start()) {
      try (WorkflowClient none = WorkflowClient.connect(server.address())) {
        assertEquals("DURABLE-262", assertThrows(DurableException.class, () -> none.listWorkflows(false, 1)).getCode());
      }
      try (WorkflowClient ok = WorkflowClient.connect(ConnectionOptions.newBuilder().setAddress(server.address())
          .setToken("from-env").build())) {
        assertEquals(List.of(), ok.listWorkflows(false, 1));
      }
    }
  }

  @Test
  void badOptionsAreReportedWithTheUsage() {
    var missing = assertThrows(ServerMain.UsageException.class, () -> ServerMain.parse(new String[] {}, Map.of()));
    assertTrue(missing.getMessage().startsWith("DURABLE-201 --data-dir DIR is required\nUsage:"), missing.getMessage());
    var durability = assertThrows(ServerMain.UsageException.class,
        () -> ServerMain.parse(new String[] {"--data-dir", "d", "--durability", "maybe"}, Map.of()));
    assertTrue(durability.getMessage().startsWith("DURABLE-201 --durability must be sync or async, got \"maybe\""),
        durability.getMessage());
    var unknown = assertThrows(ServerMain.UsageException.class,
        () -> ServerMain.parse(new String[] {"--data-dir", "d", "--port", "1"}, Map.of()));
    assertTrue(unknown.getMessage().startsWith("DURABLE-201 unknown option --port"), unknown.getMessage());
    var key = assertThrows(ServerMain.UsageException.class,
        () -> ServerMain.parse(new String[] {"--data-dir", "d", "--tls-cert", "c.pem"}, Map.of()));
    assertTrue(key.getMessage().startsWith("DURABLE-201 TLS needs both a certificate and its private key"), key.getMessage());
    var noValue = assertThrows(ServerMain.UsageException.class,
        () -> ServerMain.parse(new String[] {"--data-dir"}, Map.of()));
    assertTrue(noValue.getMessage().startsWith("DURABLE-201 --data-dir needs a value"), noValue.getMessage());
  }
}
