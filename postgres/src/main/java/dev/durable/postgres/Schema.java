package dev.durable.postgres;

import dev.durable.common.DurableException;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.RunSummary;
import dev.durable.internal.model.SearchAttributeValue;
import dev.durable.internal.store.StoreCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The tables of a store on PostgreSQL, and how a run's row is written. Text that is compared or
 * sorted uses the "C" collation, so that order and equality are those of the bytes, as on RocksDB.
 */
final class Schema {
  private Schema() {}

  /** The tables and indexes of layout {@value PostgresStore#SCHEMA_VERSION}. */
  private static final List<String> TABLES = List.of(
      "CREATE TABLE IF NOT EXISTS durable_meta (name text PRIMARY KEY, value text NOT NULL)",
      // A run: its state and listing summary as the store's JSON, and the columns listing filters on.
      "CREATE TABLE IF NOT EXISTS durable_runs ("
          + " run_id text COLLATE \"C\" PRIMARY KEY,"
          + " workflow_id text COLLATE \"C\" NOT NULL,"
          + " open boolean NOT NULL,"
          + " status text NOT NULL,"
          + " workflow_type text COLLATE \"C\" NOT NULL,"
          + " task_queue text COLLATE \"C\" NOT NULL,"
          + " start_s bigint NOT NULL, start_ns integer NOT NULL,"
          + " close_s bigint, close_ns integer,"
          + " search_keys text[] COLLATE \"C\" NOT NULL,"
          + " summary bytea NOT NULL,"
          + " state bytea NOT NULL)",
      "CREATE INDEX IF NOT EXISTS durable_runs_start ON durable_runs (start_s DESC, start_ns DESC, run_id DESC)",
      "CREATE INDEX IF NOT EXISTS durable_runs_status ON durable_runs"
          + " (status, start_s DESC, start_ns DESC, run_id DESC)",
      "CREATE INDEX IF NOT EXISTS durable_runs_type ON durable_runs"
          + " (workflow_type, start_s DESC, start_ns DESC, run_id DESC)",
      "CREATE INDEX IF NOT EXISTS durable_runs_queue ON durable_runs"
          + " (task_queue, start_s DESC, start_ns DESC, run_id DESC)",
      "CREATE INDEX IF NOT EXISTS durable_runs_close ON durable_runs (close_s, close_ns, start_s, start_ns, run_id)"
          + " WHERE close_s IS NOT NULL",
      "CREATE INDEX IF NOT EXISTS durable_runs_open ON durable_runs (run_id) WHERE open",
      "CREATE INDEX IF NOT EXISTS durable_runs_search ON durable_runs USING gin (search_keys)",
      "CREATE TABLE IF NOT EXISTS durable_events ("
          + " run_id text COLLATE \"C\" NOT NULL,"
          + " event_id bigint NOT NULL,"
          + " event bytea NOT NULL,"
          + " PRIMARY KEY (run_id, event_id))",
      "CREATE TABLE IF NOT EXISTS durable_workflow_ids ("
          + " workflow_id text COLLATE \"C\" PRIMARY KEY,"
          + " run_id text COLLATE \"C\" NOT NULL)");

  static final String UPSERT_RUN = "INSERT INTO durable_runs (run_id, workflow_id, open, status, workflow_type,"
      + " task_queue, start_s, start_ns, close_s, close_ns, search_keys, summary, state)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      + " ON CONFLICT (run_id) DO UPDATE SET open = EXCLUDED.open, status = EXCLUDED.status,"
      + " workflow_type = EXCLUDED.workflow_type, task_queue = EXCLUDED.task_queue, start_s = EXCLUDED.start_s,"
      + " start_ns = EXCLUDED.start_ns, close_s = EXCLUDED.close_s, close_ns = EXCLUDED.close_ns,"
      + " search_keys = EXCLUDED.search_keys, summary = EXCLUDED.summary, state = EXCLUDED.state";

  /**
   * Creates the tables when they are missing and records the layout; refuses a schema written by a
   * later layout (DURABLE-312). Runs on the connection that holds the advisory lock, so two servers
   * never create tables at once.
   */
  static void createOrCheck(Connection c, String schema, String where) throws SQLException {
    try (Statement st = c.createStatement()) {
      for (String ddl : TABLES) {
        st.execute(ddl);
      }
      st.execute("INSERT INTO durable_meta (name, value) VALUES ('schema-version', '"
          + PostgresStore.SCHEMA_VERSION + "') ON CONFLICT (name) DO NOTHING");
      try (ResultSet rs = st.executeQuery("SELECT value FROM durable_meta WHERE name = 'schema-version'")) {
        rs.next();
        int version = Integer.parseInt(rs.getString(1));
        if (version > PostgresStore.SCHEMA_VERSION) {
          throw new DurableException("DURABLE-312", "schema '" + schema + "' of " + where + " was written by a later"
              + " version of Durable (table layout " + version + "; this version knows layouts up to "
              + PostgresStore.SCHEMA_VERSION + "). Run that version, or a later one; nothing was changed.");
        }
      }
    }
  }

  /** Binds the parameters of {@link #UPSERT_RUN} for {@code s}. */
  static void bindRun(PreparedStatement st, ExecutionState s, StoreCodec.Encoder encoder, Connection c)
      throws SQLException {
    RunSummary summary = RunSummary.of(s);
    st.setString(1, s.runId);
    st.setString(2, s.workflowId);
    st.setBoolean(3, !s.status.isClosed());
    st.setString(4, s.status.name());
    st.setString(5, s.workflowType);
    st.setString(6, s.taskQueue);
    st.setLong(7, s.startTime.getEpochSecond());
    st.setInt(8, s.startTime.getNano());
    if (s.closeTime == null) {
      st.setNull(9, Types.BIGINT);
      st.setNull(10, Types.INTEGER);
    } else {
      st.setLong(9, s.closeTime.getEpochSecond());
      st.setInt(10, s.closeTime.getNano());
    }
    st.setArray(11, c.createArrayOf("text", searchKeys(summary.searchAttributes()).toArray(new String[0])));
    st.setBytes(12, encoder.encode(summary));
    st.setBytes(13, encoder.encode(s));
  }

  /**
   * The keys of a run's search attributes for equality lookups with the GIN index: the name, a
   * separator and the value in a canonical form, one per keyword of a list. Values that compare
   * equal get the same key; a lookup may find more runs than match (the listing checks each run's
   * summary too), never fewer.
   */
  static List<String> searchKeys(Map<String, SearchAttributeValue> attributes) {
    List<String> keys = new ArrayList<>();
    attributes.forEach((name, v) -> {
      if (v.type() == SearchAttributeValue.Type.KEYWORD_LIST) {
        for (String k : new LinkedHashSet<>(v.values())) {
          keys.add(name + '\u001f' + 'K' + k);
        }
      } else {
        keys.add(searchKey(name, v));
      }
    });
    return keys;
  }

  /** The key of one value of an attribute (not a keyword list). */
  static String searchKey(String name, SearchAttributeValue v) {
    String text = v.values().get(0);
    String canonical = switch (v.type()) {
      case KEYWORD, KEYWORD_LIST -> "K" + text;
      case INT -> "I" + Long.parseLong(text);
      case DOUBLE -> "D" + Double.parseDouble(text);
      case BOOL -> "B" + Boolean.parseBoolean(text);
      case DATETIME -> "T" + Instant.parse(text);
    };
    return name + '\u001f' + canonical;
  }
}
