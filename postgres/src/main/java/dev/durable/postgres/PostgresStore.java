package dev.durable.postgres;

import dev.durable.internal.store.Store;
import java.util.Properties;

/** The store on PostgreSQL (being written). */
final class PostgresStore {
  private PostgresStore() {}

  static Store open(String url, Properties properties, int readConnections, boolean sync) {
    throw new IllegalStateException("the PostgreSQL store is being written");
  }
}
