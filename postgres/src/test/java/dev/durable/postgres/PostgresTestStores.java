package dev.durable.postgres;

import dev.durable.server.Storage;
import dev.durable.testing.TestEnv;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gives every {@link TestEnv} server of this module's tests a schema of its own in the
 * {@link PostgresCluster}, in place of its data dir: registered in META-INF/services, so the
 * runtime's tests that pom.xml rescans check the PostgreSQL store. The same data dir always maps to
 * the same schema, so a restarted server (or a second one on the same dir) finds the data of the
 * first; a new data dir gets a new, empty schema.
 */
public final class PostgresTestStores implements TestEnv.Stores {
  private final Map<Path, String> schemas = new ConcurrentHashMap<>();

  /** Called by {@link java.util.ServiceLoader}. */
  public PostgresTestStores() {}

  /** The storage on the schema of {@code dataDir}, created on the first call with that dir. */
  @Override
  public Storage storageFor(Path dataDir) {
    PostgresCluster cluster = PostgresCluster.get();
    return PostgresStorage.newBuilder().setUrl(cluster.jdbcUrl(schemaOf(dataDir))).setUser(cluster.user()).build();
  }

  /** The schema of {@code dataDir}, named after its last element, such as {@code data_3}. */
  String schemaOf(Path dataDir) {
    return schemas.computeIfAbsent(dataDir.toAbsolutePath().normalize(),
        d -> PostgresCluster.get().createSchema(d.getFileName() == null ? "root" : d.getFileName().toString()));
  }
}
