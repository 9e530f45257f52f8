package dev.durable.internal.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docs/sandbox.md lists every default rule, and its example rules file means what the page says. */
class SandboxDocsTest {
  // Surefire runs with the module directory as the working directory.
  private static final Path PAGE = Path.of(System.getProperty("user.dir")).resolve("../docs/sandbox.md");

  private static String page() throws IOException {
    return Files.readString(PAGE);
  }

  /** The rows of the "Default rules" table: id to its cells. */
  private static Map<String, List<String>> defaultRulesTable() throws IOException {
    String text = page();
    int start = text.indexOf("\n## Default rules");
    assertTrue(start >= 0, "docs/sandbox.md has no \"## Default rules\" section");
    int end = text.indexOf("\n## ", start + 1);
    Map<String, List<String>> rows = new LinkedHashMap<>();
    for (String line : text.substring(start, end < 0 ? text.length() : end).split("\n")) {
      if (!line.startsWith("| `")) {
        continue;
      }
      List<String> cells = new ArrayList<>();
      for (String cell : line.substring(1, line.lastIndexOf('|')).split("\\|")) {
        cells.add(cell.trim());
      }
      String id = cells.get(0).replace("`", "");
      assertNull(rows.put(id, cells), "rule " + id + " is listed twice");
    }
    return rows;
  }

  @Test
  void theTableListsExactlyTheDefaultRules() throws IOException {
    Set<String> ids = new LinkedHashSet<>();
    RulesParser.defaults().forEach(r -> ids.add(r.id()));
    Set<String> listed = defaultRulesTable().keySet();
    Set<String> missing = new LinkedHashSet<>(ids);
    missing.removeAll(listed);
    Set<String> unknown = new LinkedHashSet<>(listed);
    unknown.removeAll(ids);
    assertEquals(Set.of(), missing, "default rules missing from the table in docs/sandbox.md");
    assertEquals(Set.of(), unknown, "rules in the table of docs/sandbox.md that are not default rules");
  }

  @Test
  void eachRowGivesTheRulesKindAndPlace() throws IOException {
    Map<String, List<String>> table = defaultRulesTable();
    for (Rule r : RulesParser.defaults()) {
      List<String> row = table.get(r.id());
      assertNotNull(row, r.id());
      assertEquals(r.kind().name().toLowerCase(Locale.ROOT), row.get(1), "kind of " + r.id());
      assertEquals(r.at().name().toLowerCase(Locale.ROOT).replace('_', '-'), row.get(2), "at of " + r.id());
      assertEquals(7, row.size(), "columns of " + r.id());
    }
  }

  @Test
  void theExampleRulesFileParsesAndBehavesAsDescribed() throws IOException {
    String text = page();
    int section = text.indexOf("## Adding and overriding rules");
    int start = text.indexOf("```json\n", section) + "```json\n".length();
    String json = text.substring(start, text.indexOf("```", start));
    List<Rule> all = new ArrayList<>(RulesParser.defaults());
    all.addAll(RulesParser.parse(json, "docs/sandbox.md example"));
    RuleSet rules = new RuleSet(all);

    assertTrue(rules.isPassthrough("com.acme.logging.FileLog"));
    assertTrue(rules.isPassthrough("com.acme.json.Mapper"));
    assertEquals("acme.no-cache", rules.find(Rule.At.CALL, "com.acme.cache.GlobalCache", "put", "(Ljava/lang/Object;)V").id());
    assertEquals("acme.counter-ok", rules.find(Rule.At.STATIC_WRITE, "com.acme.metrics.Counters", "TOTAL", "J").id());
    assertEquals("global.static-write", rules.find(Rule.At.STATIC_WRITE, "com.acme.metrics.Counters", "OTHER", "J").id());
  }
}
