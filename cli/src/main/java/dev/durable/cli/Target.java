package dev.durable.cli;

/** Where commands send their calls: a server at an address, or a data dir opened directly. */
interface Target {
  /**
   * Connects or opens.
   *
   * @param create whether a missing data dir may be created (only {@code workflow start} does)
   */
  Session open(boolean create);
}
