package dev.durable.postgres;

import dev.durable.common.DurableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * The connections that serve a store's reads: opened when first needed, at most {@code size} at
 * once (a caller beyond that waits for one to come back), kept open for the next read, and
 * dropped when a read finds them broken; that read is tried once more on a new connection (reads
 * change nothing, so this is safe), and a database that restarted meanwhile costs no failed read.
 */
final class ConnectionPool implements AutoCloseable {
  private final Supplier<Connection> connect;
  private final int size;
  private final String where;
  // Guarded by this.
  private final ArrayDeque<Connection> idle = new ArrayDeque<>();
  private int open;
  private boolean closed;
  private String fenced;

  ConnectionPool(Supplier<Connection> connect, int size, String where) {
    this.connect = connect;
    this.size = size;
    this.where = where;
  }

  /** A read on one connection. */
  interface Read<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code read} on a connection of the pool. A failed read is reported as DURABLE-302 naming
   * {@code what}; its connection is closed when it no longer works.
   */
  <T> T use(Read<T> read, String what) {
    return use(read, what, 2);
  }

  /** Like {@link #use}, but without the second attempt: for a read that hands on what it read as it goes. */
  <T> T useOnce(Read<T> read, String what) {
    return use(read, what, 1);
  }

  /**
   * Refuses every later read with DURABLE-311 and {@code message}, and closes the idle connections:
   * for a store another server took over.
   */
  void fence(String message) {
    synchronized (this) {
      fenced = message;
    }
    dropIdle();
  }

  private <T> T use(Read<T> read, String what, int attempts) {
    for (int attempt = 1; ; attempt++) {
      Connection c = take();
      boolean healthy = false;
      try {
        T result = read.run(c);
        healthy = true;
        return result;
      } catch (SQLException e) {
        healthy = isValid(c);
        if (!healthy && attempt < attempts) {
          // The database restarted, or a connection timed out: the idle ones are likely gone too.
          dropIdle();
          continue;
        }
        throw new DurableException("DURABLE-302", what + " from " + where + " failed: " + e.getMessage(), e);
      } catch (RuntimeException e) {
        healthy = isValid(c);
        throw e;
      } finally {
        give(c, healthy);
      }
    }
  }

  /**
   * Runs {@code read} in a transaction, which it ends: the driver fetches a statement's rows a
   * fetch size at a time (a cursor) only inside one, and holds all of them in memory otherwise.
   */
  static <T> T withCursor(Connection c, Read<T> read) throws SQLException {
    c.setAutoCommit(false);
    try {
      return read.run(c);
    } finally {
      c.rollback();
      c.setAutoCommit(true);
    }
  }

  /** Closes the idle connections, so that the next reads connect anew. */
  private void dropIdle() {
    ArrayDeque<Connection> dropped;
    synchronized (this) {
      dropped = new ArrayDeque<>(idle);
      open -= idle.size();
      idle.clear();
      notifyAll();
    }
    dropped.forEach(ConnectionPool::quietlyClose);
  }

  private Connection take() {
    synchronized (this) {
      while (true) {
        if (closed) {
          throw new DurableException("DURABLE-302", "the store on " + where + " is closed");
        }
        if (fenced != null) {
          throw new DurableException("DURABLE-311", fenced);
        }
        Connection c = idle.poll();
        if (c != null) {
          return c;
        }
        if (open < size) {
          open++;
          break;
        }
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new DurableException("DURABLE-302", "interrupted while waiting for a connection to " + where, e);
        }
      }
    }
    try {
      return connect.get();
    } catch (RuntimeException e) {
      synchronized (this) {
        open--;
        notifyAll();
      }
      throw e;
    }
  }

  private void give(Connection c, boolean healthy) {
    boolean keep;
    synchronized (this) {
      keep = healthy && !closed;
      if (keep) {
        idle.push(c);
      } else {
        open--;
      }
      notifyAll();
    }
    if (!keep) {
      quietlyClose(c);
    }
  }

  private static boolean isValid(Connection c) {
    try {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  /** Closes {@code c}, if any, ignoring a failure: it is broken already, or it goes anyway. */
  static void quietlyClose(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException e) {
      // already broken
    }
  }

  /** Closes the idle connections; those in use close when they come back. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    dropIdle();
  }
}
