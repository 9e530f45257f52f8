package dev.durable.postgres;

import dev.durable.client.WorkflowStatus;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.RunSummary;
import dev.durable.internal.model.VisibilityQuery;
import dev.durable.internal.model.VisibilityQuery.SearchCondition;
import dev.durable.internal.store.PageTokens;
import dev.durable.internal.store.Store;
import dev.durable.internal.store.Store.ClosedRun;
import dev.durable.internal.store.Store.VisibilityPage;
import dev.durable.internal.store.StoreCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Listing, counting and the retention's close-time walk on {@code durable_runs}. Every condition
 * of a filter but ranges on search attributes becomes SQL on an indexed column; equality on a search
 * attribute becomes a lookup in the search keys' GIN index. When a filter has search-attribute
 * conditions, each run found is checked against its summary as well, so the SQL only has to find
 * every match, and may find more.
 */
final class Listing {
  /** Bytes of a position's time in a page token: seconds and nanoseconds. */
  private static final int TIME = 12;
  private static final String ORDER = " ORDER BY start_s DESC, start_ns DESC, run_id DESC";

  private Listing() {}

  /** The SQL conditions of a query and their parameters, in order. */
  private static final class Where {
    final StringBuilder sql = new StringBuilder(" WHERE TRUE");
    final List<Object> params = new ArrayList<>();

    Where(VisibilityQuery q) {
      if (!q.statuses().isEmpty()) {
        add(" AND status = ANY (?)", q.statuses().stream().map(WorkflowStatus::name).toList());
      }
      if (q.workflowType() != null) {
        add(" AND workflow_type = ?", q.workflowType());
      }
      if (q.taskQueue() != null) {
        add(" AND task_queue = ?", q.taskQueue());
      }
      time("start", ">=", q.startedFrom());
      time("start", "<", q.startedTo());
      if (q.closedFrom() != null || q.closedTo() != null) {
        sql.append(" AND close_s IS NOT NULL");
      }
      time("close", ">=", q.closedFrom());
      time("close", "<", q.closedTo());
      List<String> keys = new ArrayList<>();
      for (SearchCondition c : q.searchAttributes()) {
        if (c.equalTo() != null) {
          keys.add(Schema.searchKey(c.name(), c.equalTo()));
        }
      }
      if (!keys.isEmpty()) {
        add(" AND search_keys @> ?", keys);
      }
    }

    private void time(String column, String op, Instant t) {
      if (t != null) {
        sql.append(" AND (").append(column).append("_s, ").append(column).append("_ns) ").append(op).append(" (?, ?)");
        params.add(t.getEpochSecond());
        params.add(t.getNano());
      }
    }

    private void add(String condition, Object param) {
      sql.append(condition);
      params.add(param);
    }

    /** Binds the parameters from index 1 on; returns the next index. */
    int bind(Connection c, PreparedStatement st) throws SQLException {
      int i = 1;
      for (Object p : params) {
        if (p instanceof List<?> list) {
          st.setArray(i++, c.createArrayOf("text", list.toArray(new String[0])));
        } else if (p instanceof Long l) {
          st.setLong(i++, l);
        } else if (p instanceof Integer n) {
          st.setInt(i++, n);
        } else {
          st.setString(i++, (String) p);
        }
      }
      return i;
    }
  }

  /** Returns one page of the runs that meet {@code q}, newest first by start time, then by run id. */
  static VisibilityPage page(Connection c, VisibilityQuery q, byte[] fingerprint, byte[] after) throws SQLException {
    Where where = new Where(q);
    boolean check = !q.searchAttributes().isEmpty();
    // Without checks every row found is on the page: one more row tells whether another page follows.
    int chunk = check ? Math.max(2 * q.pageSize(), 100) : q.pageSize() + 1;
    String sql = "SELECT run_id, start_s, start_ns" + (check ? ", summary" : "") + " FROM durable_runs" + where.sql
        + " AND (start_s, start_ns, run_id) < (?, ?, ?)" + ORDER + " LIMIT " + chunk;
    List<String> ids = new ArrayList<>();
    long keysRead = 0;
    long summariesRead = 0;
    byte[] scanned = after;
    byte[] lastListed = null;
    boolean more = false;
    try (PreparedStatement st = c.prepareStatement(sql)) {
      while (!more) {
        int i = where.bind(c, st);
        // Before every position: the largest start time there is, and a run id above every other.
        Instant before = scanned == null ? Instant.MAX : timeOf(scanned);
        st.setLong(i++, before.getEpochSecond());
        st.setInt(i++, scanned == null ? Integer.MAX_VALUE : before.getNano());
        st.setString(i, scanned == null ? "\uffff" : runIdOf(scanned));
        int rows = 0;
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            rows++;
            keysRead++;
            String runId = rs.getString(1);
            byte[] position = position(Instant.ofEpochSecond(rs.getLong(2), rs.getInt(3)), runId);
            scanned = position;
            if (check) {
              summariesRead++;
              if (!q.matches(StoreCodec.decodeSummary(rs.getBytes(4), "summary of run " + runId))) {
                continue;
              }
            }
            if (ids.size() == q.pageSize()) {
              more = true;
              break;
            }
            ids.add(runId);
            lastListed = position;
          }
        }
        if (rows < chunk) {
          break;
        }
      }
    }
    return new VisibilityPage(ids, more ? PageTokens.encode(fingerprint, lastListed) : null, keysRead, summariesRead);
  }

  /** Returns how many runs meet {@code q}. */
  static long count(Connection c, VisibilityQuery q) throws SQLException {
    Where where = new Where(q);
    boolean check = !q.searchAttributes().isEmpty();
    String sql = check ? "SELECT run_id, summary FROM durable_runs" + where.sql
        : "SELECT count(*) FROM durable_runs" + where.sql;
    return ConnectionPool.withCursor(c, tx -> {
      try (PreparedStatement st = tx.prepareStatement(sql)) {
        where.bind(tx, st);
        st.setFetchSize(1_000);
        try (ResultSet rs = st.executeQuery()) {
          if (!check) {
            rs.next();
            return rs.getLong(1);
          }
          long n = 0;
          while (rs.next()) {
            if (q.matches(StoreCodec.decodeSummary(rs.getBytes(2), "summary of run " + rs.getString(1)))) {
              n++;
            }
          }
          return n;
        }
      }
    });
  }

  /**
   * Returns up to {@code limit} runs that closed at or before {@code closedBy}, the earliest closed
   * first, after {@code after} when it is given.
   */
  static List<ClosedRun> closedRuns(Connection c, Instant closedBy, ClosedRun after, int limit) throws SQLException {
    String sql = "SELECT run_id, close_s, close_ns, start_s, start_ns FROM durable_runs"
        + " WHERE close_s IS NOT NULL AND (close_s, close_ns) <= (?, ?)"
        + (after == null ? "" : " AND (close_s, close_ns, start_s, start_ns, run_id) > (?, ?, ?, ?, ?)")
        + " ORDER BY close_s, close_ns, start_s, start_ns, run_id LIMIT ?";
    List<ClosedRun> out = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement(sql)) {
      int i = 1;
      st.setLong(i++, closedBy.getEpochSecond());
      st.setInt(i++, closedBy.getNano());
      if (after != null) {
        st.setLong(i++, after.closeTime().getEpochSecond());
        st.setInt(i++, after.closeTime().getNano());
        st.setLong(i++, after.startTime().getEpochSecond());
        st.setInt(i++, after.startTime().getNano());
        st.setString(i++, after.runId());
      }
      st.setInt(i, limit);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(new ClosedRun(rs.getString(1), Instant.ofEpochSecond(rs.getLong(2), rs.getInt(3)),
              Instant.ofEpochSecond(rs.getLong(4), rs.getInt(5))));
        }
      }
    }
    return out;
  }

  /** Returns where the run's row disagrees with its state: one sentence per disagreement. */
  static List<String> verify(Connection c, ExecutionState state) throws SQLException {
    List<String> problems = new ArrayList<>();
    RunSummary expected = RunSummary.of(state);
    try (PreparedStatement st = c.prepareStatement("SELECT open, status, workflow_type, task_queue, start_s, start_ns,"
        + " close_s, close_ns, search_keys, summary FROM durable_runs WHERE run_id = ?")) {
      st.setString(1, state.runId);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          problems.add("the listing has no row of run " + state.runId);
          return problems;
        }
        RunSummary stored = StoreCodec.decodeSummary(rs.getBytes(10), "summary of run " + state.runId);
        if (!stored.equals(expected)) {
          problems.add("the listing summary of run " + state.runId + " is " + stored + " but its state says " + expected);
        }
        Instant closed = rs.getObject(7) == null ? null : Instant.ofEpochSecond(rs.getLong(7), rs.getInt(8));
        List<String> keys = Arrays.asList((String[]) rs.getArray(9).getArray());
        compare(problems, state, "open", rs.getBoolean(1), Store.toRecover(state));
        compare(problems, state, "status", rs.getString(2), state.status.name());
        compare(problems, state, "workflow type", rs.getString(3), state.workflowType);
        compare(problems, state, "task queue", rs.getString(4), state.taskQueue);
        compare(problems, state, "start time", Instant.ofEpochSecond(rs.getLong(5), rs.getInt(6)), state.startTime);
        compare(problems, state, "close time", closed, state.closeTime);
        compare(problems, state, "search keys", keys, Schema.searchKeys(expected.searchAttributes()));
      }
    }
    return problems;
  }

  private static void compare(List<String> problems, ExecutionState s, String column, Object stored, Object expected) {
    if (!Objects.equals(stored, expected)) {
      problems.add("the listing column '" + column + "' of run " + s.runId + " holds " + stored + " but its state says "
          + expected);
    }
  }

  /** A position in the listing's order, as page tokens hold it: the start time, then the run id. */
  private static byte[] position(Instant start, String runId) {
    byte[] run = runId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(TIME + run.length).putLong(start.getEpochSecond()).putInt(start.getNano()).put(run)
        .array();
  }

  private static Instant timeOf(byte[] position) {
    ByteBuffer b = ByteBuffer.wrap(position);
    return Instant.ofEpochSecond(b.getLong(), b.getInt());
  }

  private static String runIdOf(byte[] position) {
    return new String(position, TIME, position.length - TIME, StandardCharsets.UTF_8);
  }
}
