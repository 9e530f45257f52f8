package dev.durable.server;

/** When the server tells a caller that a change is recorded. */
public enum Durability {
  /**
   * The write-ahead log is synced to disk first (the default). Nothing acknowledged is lost,
   * even on power loss. Concurrent changes share one sync (group commit).
   */
  SYNC,
  /**
   * The change is in the write-ahead log but not yet synced. It survives a crash of the process
   * (kill -9) but the last changes may be lost on power loss or an OS crash.
   */
  ASYNC
}
