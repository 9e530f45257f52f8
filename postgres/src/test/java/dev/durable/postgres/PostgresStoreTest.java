package dev.durable.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowFilter;
import dev.durable.client.WorkflowHistory;
import dev.durable.client.WorkflowOptions;
import dev.durable.client.WorkflowPage;
import dev.durable.common.DurableException;
import dev.durable.server.DurableServer;
import dev.durable.worker.Worker;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL store's own behaviour: ownership of a schema, refusals, concurrent writers, and a
 * writer's connection that breaks. The engine's behaviour on this store is checked by the
 * runtime's tests, which this module runs again over PostgreSQL (see pom.xml).
 */
class PostgresStoreTest {
  private static final String QUEUE = "pg-queue";
  private final PostgresCluster cluster = PostgresCluster.get();
  private String schema;
  private PostgresStorage storage;

  /** A workflow of three activity steps. */
  @WorkflowInterface
  public interface Steps {
    @WorkflowMethod
    int run(int from);
  }

  /** Adds one. */
  @ActivityInterface
  public interface Add {
    int add(int x);
  }

  /** The activity. */
  public static final class AddImpl implements Add {
    @Override
    public int add(int x) {
      return x + 1;
    }
  }

  /** The workflow. */
  public static final class StepsImpl implements Steps {
    private final Add add = Workflow.newActivityStub(Add.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());

    @Override
    public int run(int from) {
      int x = from;
      for (int i = 0; i < 3; i++) {
        x = add.add(x);
      }
      return x;
    }
  }

  @BeforeEach
  void schema() {
    schema = cluster.createSchema("store");
    storage = PostgresStorage.newBuilder().setUrl(cluster.jdbcUrl(schema)).setUser(cluster.user()).build();
  }

  private DurableServer start() {
    return DurableServer.newBuilder().setStorage(storage).build().start();
  }

  private static Worker worker(WorkflowClient client) {
    Worker w = Worker.newBuilder(client, QUEUE).registerWorkflowImplementationTypes(StepsImpl.class)
        .registerActivitiesImplementations(new AddImpl()).build();
    w.start();
    return w;
  }

  private static int run(WorkflowClient client, String id, int from) {
    return client.newWorkflowStub(Steps.class,
        WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(id).build()).run(from);
  }

  @Test
  void oneServerOwnsASchemaAndTheNextOneTakesItOverOnceItIsClosed() {
    try (DurableServer first = start(); WorkflowClient client = WorkflowClient.newInstance(first);
        Worker w = worker(client)) {
      assertEquals(13, run(client, "owned", 10));
      DurableException e = assertThrows(DurableException.class, this::start);
      assertEquals("DURABLE-311", e.getCode());
      assertTrue(e.getMessage().contains("schema '" + schema + "'") && e.getMessage().contains("another Durable server"),
          e.getMessage());
    }
    try (DurableServer next = start(); WorkflowClient client = WorkflowClient.newInstance(next)) {
      assertEquals(13, client.newUntypedWorkflowStub("owned").getResult(Integer.class));
    }
  }

  @Test
  void aSchemaWrittenByALaterVersionIsRefusedAndLeftAsItIs() throws SQLException {
    start().close(); // creates the tables
    sql("UPDATE durable_meta SET value = '99' WHERE name = 'schema-version'");
    DurableException e = assertThrows(DurableException.class, this::start);
    assertEquals("DURABLE-312", e.getCode());
    assertTrue(e.getMessage().contains("table layout 99"), e.getMessage());
    assertEquals("99", value("SELECT value FROM durable_meta WHERE name = 'schema-version'"));
  }

  @Test
  void anUnreachableDatabaseIsNamedWithoutTheUrlsParameters() {
    String url = "jdbc:postgresql://127.0.0.1:1/nowhere?password=secret&connectTimeout=2";
    DurableServer server = DurableServer.newBuilder().setStorage(PostgresStorage.newBuilder().setUrl(url).build())
        .build();
    DurableException e = assertThrows(DurableException.class, server::start);
    assertEquals("DURABLE-310", e.getCode());
    assertTrue(e.getMessage().contains("PostgreSQL jdbc:postgresql://127.0.0.1:1/nowhere"), e.getMessage());
    assertFalse(e.getMessage().contains("secret"), e.getMessage());
  }

  @Test
  void badSettingsAreRefusedWhenBuilt() {
    IllegalArgumentException url = assertThrows(IllegalArgumentException.class,
        () -> PostgresStorage.newBuilder().setUrl("postgres://db/x").build());
    assertTrue(url.getMessage().contains("jdbc:postgresql://localhost:5432/durable"), url.getMessage());
    IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
        () -> DurableServer.newBuilder().setStorage(storage).setDataDir(Path.of("data")).build());
    assertTrue(both.getMessage().contains("not both"), both.getMessage());
  }

  @Test
  void postgresqlEndsTheSessionsOfAVanishedServerWithinTheDeadSessionTimeout() throws SQLException {
    assertEquals(List.of("30", "10", "3", "60000"), sessionKeepalives(storage)); // the default: one minute
    PostgresStorage custom = PostgresStorage.newBuilder().setUrl(cluster.jdbcUrl(schema)).setUser(cluster.user())
        .setDeadSessionTimeout(Duration.ofSeconds(12)).setProperty("options", "-c tcp_keepalives_count=5").build();
    assertEquals(List.of("6", "2", "5", "12000"), sessionKeepalives(custom)); // the user's own option wins
    // Making a connection is bounded by the same time, unless the user set a bound of their own.
    assertEquals("60", storage.properties().getProperty("loginTimeout"));
    assertEquals("12", custom.properties().getProperty("loginTimeout"));
    assertEquals("3", PostgresStorage.newBuilder().setUrl(cluster.jdbcUrl(schema)).setProperty("loginTimeout", "3")
        .build().properties().getProperty("loginTimeout"));
    assertNull(PostgresStorage.newBuilder().setUrl(cluster.jdbcUrl(schema)).setDeadSessionTimeout(Duration.ZERO)
        .build().properties().getProperty("loginTimeout"));
    for (Duration bad : List.of(Duration.ofSeconds(5), Duration.ofSeconds(-1))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> PostgresStorage.newBuilder().setUrl(cluster.jdbcUrl(schema)).setDeadSessionTimeout(bad).build());
      assertTrue(e.getMessage().contains("deadSessionTimeout must be at least 6 seconds"), e.getMessage());
    }
  }

  /** The keepalive settings of a session the store would open with {@code s}'s properties, in seconds and ms. */
  private List<String> sessionKeepalives(PostgresStorage s) throws SQLException {
    try (Connection c = PostgresStore.connect(cluster.jdbcUrl(schema), s.properties(), "test", true, Duration.ZERO);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT setting FROM pg_settings WHERE name IN ('tcp_keepalives_idle',"
            + " 'tcp_keepalives_interval', 'tcp_keepalives_count', 'tcp_user_timeout')"
            + " ORDER BY array_position(ARRAY['tcp_keepalives_idle', 'tcp_keepalives_interval',"
            + " 'tcp_keepalives_count', 'tcp_user_timeout'], name::text)")) {
      List<String> values = new ArrayList<>();
      while (rs.next()) {
        values.add(rs.getString(1));
      }
      return values;
    }
  }

  @Test
  void backupsAreLeftToPostgresqlsTools() {
    try (DurableServer server = start()) {
      DurableException e = assertThrows(DurableException.class, () -> server.backup(Path.of("backup")));
      assertEquals("DURABLE-313", e.getCode());
      assertTrue(e.getMessage().contains("pg_dump"), e.getMessage());
    }
  }

  @Test
  void concurrentWorkflowsAreAllStoredAndListed() throws Exception {
    int n = 120;
    try (DurableServer server = start(); WorkflowClient client = WorkflowClient.newInstance(server);
        Worker w = worker(client)) {
      ExecutorService callers = Executors.newFixedThreadPool(24);
      try {
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          int from = i;
          results.add(callers.submit(() -> run(client, "c-" + from, from)));
        }
        for (int i = 0; i < n; i++) {
          assertEquals(i + 3, results.get(i).get());
        }
      } finally {
        callers.shutdown();
      }
    }
    // A new server reads it all back: every run, by pages of 7, each once, and every history whole.
    try (DurableServer server = start(); WorkflowClient client = WorkflowClient.newInstance(server)) {
      Set<String> listed = new HashSet<>();
      String token = null;
      do {
        WorkflowPage page = client.listWorkflows(WorkflowFilter.newBuilder().setPageSize(7).setPageToken(token).build());
        page.executions().forEach(d -> assertTrue(listed.add(d.workflowId()), "listed twice: " + d.workflowId()));
        token = page.nextPageToken();
      } while (token != null);
      assertEquals(n, listed.size());
      assertEquals(n, client.countWorkflows(WorkflowFilter.newBuilder().build()));
      List<String> types = client.newUntypedWorkflowStub("c-5").getHistory().getEvents().stream()
          .map(WorkflowHistory.Event::eventType).toList();
      assertEquals(3, types.stream().filter("ActivityTaskCompleted"::equals).count(), types.toString());
      assertEquals("WorkflowExecutionCompleted", types.get(types.size() - 1));
    }
  }

  @Test
  void aBrokenWriterConnectionIsOpenedAgainWithTheLockTakenAgain() throws SQLException {
    try (DurableServer server = start(); WorkflowClient client = WorkflowClient.newInstance(server);
        Worker w = worker(client)) {
      assertEquals(3, run(client, "before", 0));
      // Ends the session that holds the schema's advisory lock: the writer's connection.
      assertEquals("1", value("SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory'"
          + " AND granted AND pid <> pg_backend_pid()"));
      // The first write after the break fails, reported with its outcome unknown; the next one reconnects.
      DurableException broken = assertThrows(DurableException.class, () -> run(client, "after", 100));
      assertEquals("DURABLE-302", broken.getCode());
      assertTrue(broken.getMessage().contains("the connection broke"), broken.getMessage());
      boolean recorded = client.newUntypedWorkflowStub("after").describe().isPresent();
      assertEquals(103, recorded ? (int) client.newUntypedWorkflowStub("after").getResult(Integer.class)
          : run(client, "after", 100));
      DurableException e = assertThrows(DurableException.class, this::start);
      assertEquals("DURABLE-311", e.getCode());
    }
  }

  @Test
  void everyConnectionBrokenAtOnceAsInADatabaseRestartIsSurvivedWithoutARestartOfTheServer() throws SQLException {
    String app = "durable-" + schema;
    storage = PostgresStorage.newBuilder().setUrl(cluster.jdbcUrl(schema)).setUser(cluster.user())
        .setProperty("ApplicationName", app).build();
    try (DurableServer server = start(); WorkflowClient client = WorkflowClient.newInstance(server);
        Worker w = worker(client)) {
      assertEquals(3, run(client, "before", 0));
      assertTrue(client.newUntypedWorkflowStub("before").describe().isPresent()); // a read connection is open
      int ended = Integer.parseInt(value("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
          + " WHERE application_name = '" + app + "'"));
      assertTrue(ended >= 2, "the writer's and a reader's sessions, got " + ended);
      // Reads connect again at once; the write in flight fails with its outcome unknown, and the next one connects.
      assertEquals(3, client.newUntypedWorkflowStub("before").getResult(Integer.class));
      int result;
      try {
        result = run(client, "after", 100);
      } catch (DurableException e) {
        assertEquals("DURABLE-302", e.getCode(), e.getMessage());
        result = client.newUntypedWorkflowStub("after").describe().isPresent()
            ? client.newUntypedWorkflowStub("after").getResult(Integer.class) : run(client, "after", 100);
      }
      assertEquals(103, result);
      assertEquals(7, run(client, "later", 4));
    }
  }

  private void sql(String statement) throws SQLException {
    try (Connection c = cluster.connect(schema); Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  private String value(String query) throws SQLException {
    try (Connection c = cluster.connect(schema); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(query)) {
      assertTrue(rs.next(), query);
      return rs.getString(1);
    }
  }
}
