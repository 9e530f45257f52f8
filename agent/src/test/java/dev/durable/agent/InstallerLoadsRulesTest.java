package dev.durable.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.internal.sandbox.RuleSet;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rules come from the defaults, META-INF/durable/sandbox-rules.json files, the rules= file and passthrough=. */
class InstallerLoadsRulesTest {
  @TempDir
  Path dir;

  private RuleSet load(String args) {
    return new RuleSet(Installer.loadRules(AgentConfig.parse(args)));
  }

  @Test
  void defaultsAndClassPathFilesAreAlwaysLoaded() {
    RuleSet rules = load(null);
    assertTrue(rules.byId("time.now") != null);
    assertTrue(rules.isPassthrough("example.classpath.Util"));
    assertTrue(rules.byId("test.classpath-passthrough").source().contains("META-INF/durable/sandbox-rules.json"));
  }

  @Test
  void theRulesFileAddsRulesAndReplacesThoseWithTheSameId() throws Exception {
    Path file = dir.resolve("my-rules.json");
    Files.writeString(file, "{\"rules\": [\n"
        + "{\"id\": \"test.overridden-by-file\", \"kind\": \"passthrough\", \"owner\": \"example.replacement.*\"},\n"
        + "{\"id\": \"acme.util\", \"kind\": \"passthrough\", \"owner\": \"com.acme.util.*\"}]}");
    RuleSet rules = load("rules=" + file);
    assertTrue(rules.isPassthrough("com.acme.util.Strings"));
    assertTrue(rules.isPassthrough("example.replacement.A"));
    assertFalse(rules.isPassthrough("example.overridden.A"), "the class-path rule of that id is replaced");
  }

  @Test
  void passthroughPackagesFromTheArgumentCoverTheirSubPackages() {
    RuleSet rules = load("passthrough=com.acme.util;org.lib.*");
    assertTrue(rules.isPassthrough("com.acme.util.Strings"));
    assertTrue(rules.isPassthrough("com.acme.util.deep.Strings"));
    assertTrue(rules.isPassthrough("org.lib.Json"));
    assertFalse(rules.isPassthrough("com.acme.Main"));
    assertEquals("agent argument passthrough=com.acme.util;org.lib.*", rules.byId("passthrough.agent-argument").source());
  }

  @Test
  void aMissingRulesFileIsAnErrorNamingIt() {
    Path missing = dir.resolve("nope.json");
    String message = assertThrows(IllegalArgumentException.class, () -> load("rules=" + missing)).getMessage();
    assertTrue(message.startsWith("DURABLE-220 sandbox rules file " + missing.toAbsolutePath() + " (from rules=) does not exist"),
        message);
  }

  @Test
  void aBadRulesFileIsAnErrorNamingTheFileLineAndField() throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\"rules\": [\n{\"id\": \"x\", \"kind\": \"passthrough\",\n \"owner\": \"com.acme*\"}]}");
    String message = assertThrows(IllegalArgumentException.class, () -> load("rules=" + file)).getMessage();
    assertTrue(message.startsWith("DURABLE-220 sandbox rules file " + file + " (rule x), line 3, field \"owner\""), message);
  }
}
