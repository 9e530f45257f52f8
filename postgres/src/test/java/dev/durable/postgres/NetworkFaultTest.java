package dev.durable.postgres;

import static dev.durable.postgres.GroupCommitTest.step;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.common.DurableException;
import dev.durable.internal.store.Store;
import dev.durable.server.Durability;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A database that leaves the writing connection's round trip unanswered (stalled, or behind a
 * network that drops everything): the write fails after the dead-session timeout instead of
 * hanging, and the server ends the silent session before it reads back what is stored; a server
 * that cannot reach the database to do so stops.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // the waits are timeouts of 6 s, up to four in a row
class NetworkFaultTest {
  /** The shortest the builder accepts; the tests wait for it once or twice. */
  private static final Duration TIMEOUT = Duration.ofSeconds(6);
  /** Far above what the tests wait for (one or two timeouts): only a hang reaches it. */
  private static final Duration HANG = Duration.ofSeconds(45);
  private static final String RUN = GroupCommitTest.step(0, 0, true).state().runId;
  private final PostgresCluster cluster = PostgresCluster.get();

  private Store open(String url, boolean standby) {
    return PostgresStorage.newBuilder().setUrl(url).setUser(cluster.user()).setDeadSessionTimeout(TIMEOUT)
        .setStandby(standby).build().open(Durability.SYNC);
  }

  /** The process id of the session holding the schema's advisory lock, or -1. */
  private static int lockHolder(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM"
            + " pg_database WHERE datname = current_database())")) {
      return rs.next() ? rs.getInt(1) : -1;
    }
  }

  private static boolean sessionExists(Connection c, int pid) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT 1 FROM pg_stat_activity WHERE pid = " + pid)) {
      return rs.next();
    }
  }

  @Test
  void aWriteTheDatabaseLeavesUnansweredFailsItsSessionIsEndedAndTheNextWriteTakesTheLockAgain() throws Exception {
    String schema = cluster.createSchema("stalled");
    try (Store store = open(cluster.jdbcUrl(schema), false); Connection blocker = cluster.connect(schema)) {
      store.apply(step(0, 0, true));
      int writer = lockHolder(blocker);
      // The database stalls the next write: it waits for a table lock held by another transaction.
      blocker.setAutoCommit(false);
      try (Statement st = blocker.createStatement()) {
        st.execute("LOCK TABLE durable_runs IN ACCESS EXCLUSIVE MODE");
      }
      DurableException e = assertTimeoutPreemptively(HANG,
          () -> assertThrows(DurableException.class, () -> store.apply(step(0, 1, true))));
      assertEquals("DURABLE-302", e.getCode());
      assertTrue(e.getMessage().contains("did not answer within the dead-session timeout"), e.getMessage());
      assertTrue(e.getMessage().contains("the server ends that session"), e.getMessage());
      // Ended before the failure was reported: what the server reads back next is final.
      assertFalse(sessionExists(blocker, writer), "the session that ran the unanswered write still exists");
      blocker.rollback();

      assertEquals(2, store.readExecution(RUN).orElseThrow().nextEventId, "the unanswered write was rolled back");
      store.apply(step(0, 1, true)); // a new session, which takes the schema's lock again
      assertEquals(3, store.readExecution(RUN).orElseThrow().nextEventId);
      int next = lockHolder(blocker);
      assertNotEquals(-1, next);
      assertNotEquals(writer, next);
    }
  }

  @Test
  void aServerCutOffFromTheDatabaseStopsRatherThanServeWhatItCannotConfirm() throws Exception {
    String schema = cluster.createSchema("cut_off");
    try (TcpProxy network = new TcpProxy(cluster.port())) {
      Store store = open(cluster.jdbcUrl(schema, network.port()), false);
      store.apply(step(0, 0, true));
      assertEquals(2, store.readExecution(RUN).orElseThrow().nextEventId); // a reading connection is open
      network.blackHole();
      // A read fails too, rather than hangs: its round trip times out, and so does making a new connection.
      DurableException unread = assertTimeoutPreemptively(HANG,
          () -> assertThrows(DurableException.class, () -> store.readExecution(RUN)));
      assertEquals("DURABLE-310", unread.getCode(), unread.getMessage());
      assertTrue(unread.getMessage().contains("Connection attempt timed out. Check the URL"), unread.getMessage());
      DurableException e = assertTimeoutPreemptively(HANG,
          () -> assertThrows(DurableException.class, () -> store.apply(step(0, 1, true))));
      assertEquals("DURABLE-311", e.getCode());
      assertTrue(e.getMessage().contains("this server lost contact with PostgreSQL"), e.getMessage());
      assertTrue(e.getMessage().contains("no longer reads or writes it"), e.getMessage());
      // Fenced: nothing more is read or written, without waiting on the network again.
      DurableException read = assertTimeoutPreemptively(TIMEOUT,
          () -> assertThrows(DurableException.class, () -> store.readExecution(RUN)));
      assertEquals("DURABLE-311", read.getCode());
      assertEquals("DURABLE-311", assertThrows(DurableException.class, () -> store.apply(step(0, 1, true))).getCode());

      // The connections close (as PostgreSQL would end the silent session): another server takes
      // the schema over and finds the run as the last answered write left it.
      network.close();
      assertTimeoutPreemptively(TIMEOUT, store::close);
      try (Store next = assertTimeoutPreemptively(HANG, () -> open(cluster.jdbcUrl(schema), true))) {
        assertEquals(2, next.readExecution(RUN).orElseThrow().nextEventId);
        next.apply(step(0, 1, true));
      }
    }
  }
}
