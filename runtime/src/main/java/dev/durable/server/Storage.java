package dev.durable.server;

import dev.durable.internal.store.Store;

/**
 * Where a server keeps its histories and state when that is not a RocksDB data dir: a database
 * that a storage module opens, such as {@code PostgresStorage} of {@code durable-postgres}. Pass
 * it to {@link DurableServer.Builder#setStorage}.
 *
 * <p>Implemented by Durable's storage modules, not by applications: {@link #open} returns an
 * internal type, which may change in any release.
 */
public interface Storage {

  /**
   * Not API: opens the store for one server, which then owns it until it is closed; a second
   * server on the same data fails with a {@code DURABLE-3xx} error.
   *
   * @param durability when writes are acknowledged
   */
  Store open(Durability durability);

  /** Names where the data is, for messages and logs, without secrets such as passwords. */
  String describe();
}
