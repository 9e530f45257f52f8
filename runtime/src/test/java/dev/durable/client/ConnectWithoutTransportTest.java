package dev.durable.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.common.DurableException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The runtime alone has no network transport: connect says which dependency to add. */
class ConnectWithoutTransportTest {
  @Test
  void connectWithoutDurableRemoteOnTheClassPathNamesTheDependency() {
    DurableException e = assertThrows(DurableException.class, () -> WorkflowClient.connect("127.0.0.1:7233"));
    assertEquals("DURABLE-260", e.getCode());
    assertTrue(e.getMessage().contains("dev.durable:durable-remote"), e.getMessage());
  }

  @Test
  void connectionOptionsAreCheckedAtBuild() {
    var e = assertThrows(IllegalArgumentException.class, () -> ConnectionOptions.newBuilder().setAddress("host:99999"));
    assertEquals("DURABLE-201 address must be HOST:PORT with a port from 0 to 65535, such as 127.0.0.1:7233, got"
        + " \"host:99999\"", e.getMessage());
    var timeout = assertThrows(IllegalArgumentException.class,
        () -> ConnectionOptions.newBuilder().setCallTimeout(Duration.ZERO).build());
    assertTrue(timeout.getMessage().startsWith("DURABLE-201 callTimeout must be positive"), timeout.getMessage());
    ConnectionOptions o = ConnectionOptions.newBuilder().setAddress("[::1]:7000").setToken("t").build();
    assertEquals("::1", o.getHost());
    assertEquals("[::1]:7000", o.getAddress());
    assertEquals(false, o.isTls());
  }
}
