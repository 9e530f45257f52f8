package dev.durable.bench;

import dev.durable.postgres.PostgresStorage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * With {@code -Dbench.postgres.url=jdbc:postgresql://host:port/db} (and {@code bench.postgres.user},
 * {@code bench.postgres.password}), the embedded workloads keep their data in PostgreSQL: each
 * engine gets a new schema named after its data dir, dropped when the engine is closed.
 */
record PostgresSchema(String schema) {
  static final String URL = System.getProperty("bench.postgres.url");
  private static final String USER = System.getProperty("bench.postgres.user", "durable");
  private static final String PASSWORD = System.getProperty("bench.postgres.password", "");

  /** The schema of the engine on {@code dataDir}, created now; null when the bench runs on RocksDB. */
  static PostgresSchema forBench(Path dataDir) {
    if (URL == null) {
      return null;
    }
    PostgresSchema s = new PostgresSchema(name(dataDir));
    s.sql("CREATE SCHEMA IF NOT EXISTS " + s.schema);
    return s;
  }

  /** Drops the schema of the engine on {@code dataDir}, if the bench runs on PostgreSQL. */
  static void dropForBench(Path dataDir) {
    if (URL != null) {
      PostgresSchema s = new PostgresSchema(name(dataDir));
      s.sql("DROP SCHEMA IF EXISTS " + s.schema + " CASCADE");
    }
  }

  PostgresStorage storage() {
    return PostgresStorage.newBuilder().setUrl(URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema)
        .setUser(USER).setPassword(PASSWORD).build();
  }

  private static String name(Path dataDir) {
    return "bench_" + dataDir.getFileName().toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
  }

  private void sql(String statement) {
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement st = c.createStatement()) {
      st.execute(statement);
    } catch (SQLException e) {
      throw new IllegalStateException("bench.postgres.url " + URL + ": " + e.getMessage(), e);
    }
  }
}
