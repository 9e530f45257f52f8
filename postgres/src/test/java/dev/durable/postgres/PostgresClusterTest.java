package dev.durable.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostgresClusterTest {
  private static List<String> column(Connection c, String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    }
    return values;
  }

  @Test
  void theClusterStartsOncePerJvmAndAnswersQueries() throws SQLException {
    PostgresCluster cluster = PostgresCluster.get();
    assertSame(cluster, PostgresCluster.get());
    String schema = cluster.createSchema("version");
    try (Connection c = cluster.connect(schema)) {
      String version = column(c, "select version()").get(0);
      assertTrue(version.startsWith("PostgreSQL "), version);
      assertEquals(List.of(cluster.user()), column(c, "select current_user"));
      assertEquals(List.of(schema), column(c, "select current_schema()"));
      assertEquals(List.of("off"), column(c, "show fsync"));
    }
  }

  @Test
  void schemasAreIndependentAndTheirNamesAreValidIdentifiers() throws SQLException {
    PostgresCluster cluster = PostgresCluster.get();
    String a = cluster.createSchema("Signal-Test");
    String b = cluster.createSchema("Signal-Test");
    assertNotEquals(a, b);
    assertTrue(a.startsWith("signal_test_"), a);
    assertTrue(cluster.createSchema("7 dirs").startsWith("s_7_dirs_"));
    try (Connection ca = cluster.connect(a); Connection cb = cluster.connect(b);
        Statement sa = ca.createStatement(); Statement sb = cb.createStatement()) {
      sa.execute("create table durable_runs (id text primary key)");
      sb.execute("create table durable_runs (id text primary key)");
      sa.execute("insert into durable_runs values ('only-in-a')");
      assertEquals(List.of("only-in-a"), column(ca, "select id from durable_runs"));
      assertEquals(List.of(), column(cb, "select id from durable_runs"));
    }
  }

  @Test
  void theSameDataDirGetsTheSameSchemaAndAnotherDirAnother() {
    PostgresTestStores stores = new PostgresTestStores();
    String first = stores.schemaOf(Path.of("/tmp/x/data"));
    assertTrue(first.startsWith("data_"), first);
    assertEquals(first, stores.schemaOf(Path.of("/tmp/x/../x/data")));
    assertNotEquals(first, stores.schemaOf(Path.of("/tmp/y/data")));
  }
}
