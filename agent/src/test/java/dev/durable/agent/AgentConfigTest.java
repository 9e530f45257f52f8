package dev.durable.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentConfigTest {
  private static String error(String args) {
    return assertThrows(IllegalArgumentException.class, () -> AgentConfig.parse(args)).getMessage();
  }

  @Test
  void noArgumentsMeanEnforceWithTheDefaultRules() {
    for (String none : new String[] {null, "", "  "}) {
      AgentConfig c = AgentConfig.parse(none);
      assertEquals("enforce", c.mode());
      assertNull(c.rulesFile());
      assertEquals(List.of(), c.passthrough());
      assertFalse(c.debug());
    }
  }

  @Test
  void everyOptionIsRead() {
    AgentConfig c = AgentConfig.parse("rules=my-rules.json, mode=warn,passthrough=com.acme.util;org.lib.*,debug=true");
    assertEquals("warn", c.mode());
    assertEquals(Path.of("my-rules.json"), c.rulesFile());
    assertEquals(List.of("com.acme.util", "org.lib.*"), c.passthrough());
    assertTrue(c.debug());
  }

  @Test
  void passthroughMayBeRepeated() {
    assertEquals(List.of("a.b", "c.d"), AgentConfig.parse("passthrough=a.b,passthrough=c.d").passthrough());
  }

  @Test
  void anUnknownOptionIsNamed() {
    String message = error("mode=warn,rule=my-rules.json");
    assertTrue(message.startsWith("DURABLE-222 bad -javaagent:durable.jar options: unknown option 'rule'"), message);
    assertTrue(message.contains("Allowed: mode=enforce|warn|off, rules=<file.json>"), message);
  }

  @Test
  void aBadModeIsQuoted() {
    assertTrue(error("mode=strict").contains("mode must be enforce, warn or off, got 'strict'"));
  }

  @Test
  void anOptionWithoutValueIsNamed() {
    assertTrue(error("debug").contains("option 'debug' has no value"));
    assertTrue(error("rules=").contains("option 'rules' has no value"), error("rules="));
  }

  @Test
  void debugMustBeTrueOrFalse() {
    assertFalse(AgentConfig.parse("debug=false").debug());
    assertTrue(error("debug=yes").contains("debug must be true or false, got 'yes'"), error("debug=yes"));
  }
}
