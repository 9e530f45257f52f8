package dev.durable.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowOptions;
import dev.durable.common.DurableException;
import dev.durable.postgres.PostgresStoreTest.AddImpl;
import dev.durable.postgres.PostgresStoreTest.Steps;
import dev.durable.postgres.PostgresStoreTest.StepsImpl;
import dev.durable.server.DurableServer;
import dev.durable.testing.Eventually;
import dev.durable.worker.Worker;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A standby server waits for the schema another server holds and takes over its workflows when
 * that one goes; a server whose schema a standby took while its connection was broken stops
 * rather than serve what it holds in memory.
 */
class StandbyTest {
  private static final String QUEUE = "standby-queue";
  private final PostgresCluster cluster = PostgresCluster.get();
  private String schema;

  @BeforeEach
  void schema() {
    schema = cluster.createSchema("standby");
  }

  private DurableServer start(boolean standby) {
    return DurableServer.newBuilder().setStorage(PostgresStorage.newBuilder().setUrl(cluster.jdbcUrl(schema))
        .setUser(cluster.user()).setStandby(standby).build()).build().start();
  }

  /** Starts a standby on another thread, and returns once it waits for the schema's lock. */
  private CompletableFuture<DurableServer> standBy() {
    CompletableFuture<DurableServer> standby = CompletableFuture.supplyAsync(() -> start(true));
    Eventually.eventually("the standby waiting for the schema's lock", () -> standingBy() == 1);
    return standby;
  }

  private static Worker worker(WorkflowClient client) {
    Worker w = Worker.newBuilder(client, QUEUE).registerWorkflowImplementationTypes(StepsImpl.class)
        .registerActivitiesImplementations(new AddImpl()).build();
    w.start();
    return w;
  }

  private static Steps steps(WorkflowClient client, String id) {
    return client.newWorkflowStub(Steps.class, WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(id).build());
  }

  @Test
  void aStandbyTakesOverWhenTheServerHoldingTheSchemaClosesAndRunsItsOpenWorkflows() throws Exception {
    CompletableFuture<DurableServer> standby;
    try (DurableServer active = start(false); WorkflowClient client = WorkflowClient.newInstance(active)) {
      WorkflowClient.start(steps(client, "handed-over")::run, 10); // no worker here: it stays open
      standby = standBy();
      assertFalse(standby.isDone(), "the standby must not serve while the active server holds the schema");
      DurableException second = assertThrows(DurableException.class, () -> start(false));
      assertEquals("DURABLE-311", second.getCode()); // a server that is no standby still fails at once
    }
    try (DurableServer next = standby.get(); WorkflowClient client = WorkflowClient.newInstance(next);
        Worker w = worker(client)) {
      assertEquals(13, client.newUntypedWorkflowStub("handed-over").getResult(Integer.class));
      assertEquals(23, steps(client, "after").run(20));
    }
  }

  @Test
  void aServerWhoseSchemaAStandbyTookWhileItsConnectionWasBrokenStopsServing() throws Exception {
    try (DurableServer active = start(false); WorkflowClient client = WorkflowClient.newInstance(active)) {
      try (Worker w = worker(client)) {
        assertEquals(3, steps(client, "before").run(0));
      }
      CompletableFuture<DurableServer> standby = standBy();
      // Ends the session that holds the lock, as PostgreSQL does for a server whose machine vanished.
      assertEquals("1", value("SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory'"
          + " AND granted AND pid <> pg_backend_pid()"));
      try (DurableServer next = standby.get(); WorkflowClient nextClient = WorkflowClient.newInstance(next);
          Worker w = worker(nextClient)) {
        // The old server's write on the dead session fails; its next one finds the schema taken, and it stops.
        DurableException last = null;
        for (int i = 0; i < 4 && (last == null || !"DURABLE-213".equals(last.getCode())); i++) {
          String id = "refused-" + i;
          last = assertThrows(DurableException.class, () -> WorkflowClient.start(steps(client, id)::run, 0));
        }
        assertEquals("DURABLE-213", last.getCode(), last.getMessage());
        assertTrue(last.getMessage().contains("the server stopped serving: DURABLE-311 this server lost schema '" + schema
            + "'"), last.getMessage());
        assertEquals("DURABLE-213", assertThrows(DurableException.class,
            () -> client.newUntypedWorkflowStub("before").describe()).getCode());

        assertEquals(3, nextClient.newUntypedWorkflowStub("before").getResult(Integer.class));
        assertEquals(23, steps(nextClient, "after").run(20));
      }
    }
  }

  @Test
  void anIdleServerThatLostItsSchemaStopsServingWithoutAWrite() throws Exception {
    // A dead-session timeout of 6 s makes the server check that it holds the schema every second.
    try (DurableServer active = DurableServer.newBuilder().setStorage(PostgresStorage.newBuilder()
            .setUrl(cluster.jdbcUrl(schema)).setUser(cluster.user()).setDeadSessionTimeout(Duration.ofSeconds(6))
            .build()).build().start();
        WorkflowClient client = WorkflowClient.newInstance(active)) {
      WorkflowClient.start(steps(client, "idle")::run, 0);
      CompletableFuture<RuntimeException> told = new CompletableFuture<>();
      active.onStoppedByFailure(told::complete);
      CompletableFuture<DurableServer> standby = standBy();
      assertEquals("1", value("SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory'"
          + " AND granted AND pid <> pg_backend_pid()"));
      try (DurableServer next = standby.get(); WorkflowClient nextClient = WorkflowClient.newInstance(next)) {
        // No call reaches the old server: its own check finds the schema taken.
        DurableException lost = (DurableException) told.get(60, TimeUnit.SECONDS);
        assertEquals("DURABLE-311", lost.getCode());
        assertTrue(lost.getMessage().contains("this server lost schema '" + schema + "'"), lost.getMessage());
        assertEquals("DURABLE-213", assertThrows(DurableException.class,
            () -> client.newUntypedWorkflowStub("idle").describe()).getCode());
        assertTrue(nextClient.newUntypedWorkflowStub("idle").describe().isPresent());
      }
    }
  }

  @Test
  void aStandbyWaitsOnThroughTheLossOfItsConnection() throws Exception {
    CompletableFuture<DurableServer> standby;
    try (DurableServer active = start(false); WorkflowClient client = WorkflowClient.newInstance(active)) {
      WorkflowClient.start(steps(client, "handed-over")::run, 10);
      standby = standBy();
      // As in a restart of the database: the standby's session ends.
      assertEquals("1", value("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query LIKE"
          + " 'SELECT pg_try_advisory_lock%'"));
      Eventually.eventually("the standby asking again on a new connection", () -> standingBy() == 1);
      assertFalse(standby.isDone());
    }
    try (DurableServer next = standby.get(); WorkflowClient client = WorkflowClient.newInstance(next);
        Worker w = worker(client)) {
      assertEquals(13, client.newUntypedWorkflowStub("handed-over").getResult(Integer.class));
    }
  }

  @Test
  void anInterruptEndsAStandbysWait() throws Exception {
    try (DurableServer active = start(false)) {
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread starter = new Thread(() -> {
        try {
          start(true).close();
        } catch (Throwable t) {
          failure.set(t);
        }
      }, "standby");
      starter.start();
      Eventually.eventually("the standby waiting for the schema's lock", () -> standingBy() == 1);
      starter.interrupt();
      starter.join();
      DurableException e = (DurableException) failure.get();
      assertEquals("DURABLE-311", e.getCode());
      assertTrue(e.getMessage().contains("stopped standing by for schema '" + schema + "'"), e.getMessage());
      Eventually.eventually("the standby's session ended", () -> standingBy() == 0);
    }
  }

  /** How many sessions stand by: they asked for the schema's lock and did not get it. */
  private int standingBy() {
    try {
      return Integer.parseInt(value("SELECT count(*) FROM pg_stat_activity WHERE query LIKE"
          + " 'SELECT pg_try_advisory_lock%'"));
    } catch (SQLException e) {
      throw new IllegalStateException(e);
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
