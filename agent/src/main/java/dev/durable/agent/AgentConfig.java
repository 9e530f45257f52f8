package dev.durable.agent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's options: {@code -javaagent:durable.jar=rules=my-rules.json,mode=warn,passthrough=com.acme.util}.
 *
 * @param mode {@code enforce} (default), {@code warn} or {@code off}
 * @param rulesFile an extra rules file, or null
 * @param passthrough extra passed-through packages ({@code ;}-separated in the argument, or repeated)
 * @param debug whether to log every rewritten class to stderr
 */
record AgentConfig(String mode, Path rulesFile, List<String> passthrough, boolean debug) {

  static AgentConfig parse(String args) {
    String mode = "enforce";
    Path rules = null;
    List<String> passthrough = new ArrayList<>();
    boolean debug = false;
    if (args != null && !args.isBlank()) {
      for (String part : args.split(",")) {
        int eq = part.indexOf('=');
        String key = (eq < 0 ? part : part.substring(0, eq)).trim();
        String value = eq < 0 ? "" : part.substring(eq + 1).trim();
        if (value.isEmpty()) {
          throw bad("option '" + key + "' has no value");
        }
        switch (key) {
          case "mode" -> {
            if (!value.equals("enforce") && !value.equals("warn") && !value.equals("off")) {
              throw bad("mode must be enforce, warn or off, got '" + value + "'");
            }
            mode = value;
          }
          case "rules" -> {
            rules = Path.of(value);
          }
          case "passthrough" -> {
            for (String p : value.split(";")) {
              if (!p.isBlank()) {
                passthrough.add(p.trim());
              }
            }
          }
          case "debug" -> {
            if (!value.equals("true") && !value.equals("false")) {
              throw bad("debug must be true or false, got '" + value + "'");
            }
            debug = value.equals("true");
          }
          default -> throw bad("unknown option '" + key + "'");
        }
      }
    }
    return new AgentConfig(mode, rules, List.copyOf(passthrough), debug);
  }

  private static IllegalArgumentException bad(String message) {
    return new IllegalArgumentException("DURABLE-222 bad -javaagent:durable.jar options: " + message
        + ". Allowed: mode=enforce|warn|off, rules=<file.json>, passthrough=<package>[;<package>...], debug=true,"
        + " separated by commas.");
  }
}
