package dev.durable.postgres;

import dev.durable.common.DurableException;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.model.RunSummary;
import dev.durable.internal.model.SearchAttributeValue;
import dev.durable.internal.store.Store;
import dev.durable.internal.store.Store.Transition;
import dev.durable.internal.store.StoreCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
          + " state bytea NOT NULL)"
          // Room on each page for a run's next versions: an update that changes no indexed column
          // (most do not) then stays on its page and leaves the indexes alone (a HOT update).
          + " WITH (fillfactor = 50)",
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

  /**
   * Writes a group's rows in one statement, so that a write is one round trip with its commit: the
   * events, the workflow ids' latest runs and the runs, each kind passed as arrays of its columns. A
   * run's search keys come as a JSON array each (arrays of arrays would have to be rectangular).
   */
  static final String WRITE_GROUP = "WITH events AS ("
      + " INSERT INTO durable_events (run_id, event_id, event)"
      + " SELECT * FROM unnest(?::text[], ?::bigint[], ?::bytea[])"
      + " ON CONFLICT (run_id, event_id) DO UPDATE SET event = EXCLUDED.event),"
      + " ids AS ("
      + " INSERT INTO durable_workflow_ids (workflow_id, run_id) SELECT * FROM unnest(?::text[], ?::text[])"
      + " ON CONFLICT (workflow_id) DO UPDATE SET run_id = EXCLUDED.run_id)"
      + " INSERT INTO durable_runs (run_id, workflow_id, open, status, workflow_type, task_queue, start_s, start_ns,"
      + " close_s, close_ns, search_keys, summary, state)"
      + " SELECT r, w, o, st, ty, q, ss, sn, cs, cn, ARRAY(SELECT jsonb_array_elements_text(k::jsonb)), sm, sa"
      + " FROM unnest(?::text[], ?::text[], ?::boolean[], ?::text[], ?::text[], ?::text[], ?::bigint[],"
      + " ?::integer[], ?::bigint[], ?::integer[], ?::text[], ?::bytea[], ?::bytea[])"
      + " AS u(r, w, o, st, ty, q, ss, sn, cs, cn, k, sm, sa)"
      + " ON CONFLICT (run_id) DO UPDATE SET open = EXCLUDED.open, status = EXCLUDED.status,"
      + " workflow_type = EXCLUDED.workflow_type, task_queue = EXCLUDED.task_queue, start_s = EXCLUDED.start_s,"
      + " start_ns = EXCLUDED.start_ns, close_s = EXCLUDED.close_s, close_ns = EXCLUDED.close_ns,"
      + " search_keys = EXCLUDED.search_keys, summary = EXCLUDED.summary, state = EXCLUDED.state";

  /** {@link #WRITE_GROUP} in a transaction of its own that commits without waiting for the log's sync. */
  static final String WRITE_GROUP_UNSYNCED = "BEGIN; SET LOCAL synchronous_commit TO off; " + WRITE_GROUP + "; COMMIT";

  /**
   * The rows of one group write. A statement may change a row once only, so a group that changes a
   * run (or a workflow id's latest run, or an event) twice keeps the later change, which is what
   * writing them in order would have left.
   */
  static final class GroupRows {
    private final Map<List<Object>, byte[]> events = new LinkedHashMap<>();
    private final Map<String, String> latestRuns = new LinkedHashMap<>();
    private final Map<String, ExecutionState> runs = new LinkedHashMap<>();

    void add(Transition t, StoreCodec.Encoder encoder) {
      ExecutionState s = t.state();
      for (HistoryEvent e : t.newEvents()) {
        events.put(List.of(s.runId, e.eventId()), encoder.encode(e));
      }
      if (t.newRun()) {
        latestRuns.put(s.workflowId, s.runId);
      }
      runs.put(s.runId, s);
    }

    /** Binds {@link #WRITE_GROUP}'s parameters. */
    void bind(PreparedStatement st, Connection c, StoreCodec.Encoder encoder) throws SQLException {
      int n = events.size();
      String[] eventRuns = new String[n];
      Long[] eventIds = new Long[n];
      byte[][] eventBytes = new byte[n][];
      int i = 0;
      for (Map.Entry<List<Object>, byte[]> e : events.entrySet()) {
        eventRuns[i] = (String) e.getKey().get(0);
        eventIds[i] = (Long) e.getKey().get(1);
        eventBytes[i++] = e.getValue();
      }
      int m = runs.size();
      String[] runIds = new String[m];
      String[] workflowIds = new String[m];
      Boolean[] open = new Boolean[m];
      String[] status = new String[m];
      String[] types = new String[m];
      String[] queues = new String[m];
      Long[] startS = new Long[m];
      Integer[] startNs = new Integer[m];
      Long[] closeS = new Long[m];
      Integer[] closeNs = new Integer[m];
      String[] keys = new String[m];
      byte[][] summaries = new byte[m][];
      byte[][] states = new byte[m][];
      i = 0;
      for (ExecutionState s : runs.values()) {
        RunSummary summary = RunSummary.of(s);
        runIds[i] = s.runId;
        workflowIds[i] = s.workflowId;
        open[i] = Store.toRecover(s);
        status[i] = s.status.name();
        types[i] = s.workflowType;
        queues[i] = s.taskQueue;
        startS[i] = s.startTime.getEpochSecond();
        startNs[i] = s.startTime.getNano();
        closeS[i] = s.closeTime == null ? null : s.closeTime.getEpochSecond();
        closeNs[i] = s.closeTime == null ? null : s.closeTime.getNano();
        keys[i] = json(searchKeys(summary.searchAttributes()));
        summaries[i] = encoder.encode(summary);
        states[i++] = encoder.encode(s);
      }
      int p = 1;
      st.setArray(p++, c.createArrayOf("text", eventRuns));
      st.setArray(p++, c.createArrayOf("int8", eventIds));
      st.setArray(p++, c.createArrayOf("bytea", eventBytes));
      st.setArray(p++, c.createArrayOf("text", latestRuns.keySet().toArray(new String[0])));
      st.setArray(p++, c.createArrayOf("text", latestRuns.values().toArray(new String[0])));
      for (Object[] column : new Object[][] {runIds, workflowIds}) {
        st.setArray(p++, c.createArrayOf("text", column));
      }
      st.setArray(p++, c.createArrayOf("bool", open));
      for (Object[] column : new Object[][] {status, types, queues}) {
        st.setArray(p++, c.createArrayOf("text", column));
      }
      st.setArray(p++, c.createArrayOf("int8", startS));
      st.setArray(p++, c.createArrayOf("int4", startNs));
      st.setArray(p++, c.createArrayOf("int8", closeS));
      st.setArray(p++, c.createArrayOf("int4", closeNs));
      st.setArray(p++, c.createArrayOf("text", keys));
      st.setArray(p++, c.createArrayOf("bytea", summaries));
      st.setArray(p, c.createArrayOf("bytea", states));
    }
  }

  /** A JSON array of strings. */
  static String json(List<String> values) {
    if (values.isEmpty()) {
      return "[]";
    }
    StringBuilder b = new StringBuilder("[");
    for (String v : values) {
      if (b.length() > 1) {
        b.append(',');
      }
      b.append('"');
      for (int i = 0; i < v.length(); i++) {
        char ch = v.charAt(i);
        if (ch == '"' || ch == '\\') {
          b.append('\\').append(ch);
        } else if (ch < 0x20) {
          b.append(String.format("\\u%04x", (int) ch));
        } else {
          b.append(ch);
        }
      }
      b.append('"');
    }
    return b.append(']').toString();
  }

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
