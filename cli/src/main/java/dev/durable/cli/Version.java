package dev.durable.cli;

import picocli.CommandLine.IVersionProvider;

/** The version printed by {@code durable --version}: the jar's, or "development" when run from classes. */
final class Version implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = DurableCli.class.getPackage().getImplementationVersion();
    return new String[] {"durable " + (v == null ? "development" : v)};
  }
}
