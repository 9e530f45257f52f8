package dev.durable.agent;

import dev.durable.internal.sandbox.Rule;
import dev.durable.internal.sandbox.RuleSet;
import dev.durable.internal.sandbox.RulesParser;
import dev.durable.internal.sandbox.Sandbox;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Loads the rules and installs the call-site rewriter and the JDK guards. */
final class Installer {
  static final String CLASSPATH_RULES = "META-INF/durable/sandbox-rules.json";

  private Installer() {}

  static void install(AgentConfig config, Instrumentation inst) {
    RuleSet rules = new RuleSet(loadRules(config));
    Sandbox.Mode mode = Sandbox.Mode.valueOf(config.mode().toUpperCase(Locale.ROOT));
    Sandbox.install(rules, mode);
    if (mode == Sandbox.Mode.OFF) {
      return;
    }
    Redirects.validate(rules);
    inst.addTransformer(new CallSiteRewriter(rules, config.debug()), false);
    GuardInstaller.install(rules, inst);
  }

  /** Defaults, then class-path rule files, then the file given as an option, then passthrough options. */
  static List<Rule> loadRules(AgentConfig config) {
    List<Rule> rules = new ArrayList<>(RulesParser.defaults());
    try {
      Enumeration<URL> files = ClassLoader.getSystemClassLoader().getResources(CLASSPATH_RULES);
      while (files.hasMoreElements()) {
        URL url = files.nextElement();
        try (InputStream in = url.openStream()) {
          rules.addAll(RulesParser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), url.toString()));
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("DURABLE-220 cannot read " + CLASSPATH_RULES + " from the class path: " + e, e);
    }
    if (config.rulesFile() != null) {
      if (!Files.isRegularFile(config.rulesFile())) {
        throw new IllegalArgumentException("DURABLE-220 sandbox rules file " + config.rulesFile().toAbsolutePath()
            + " (from rules=) does not exist or is not a file");
      }
      try {
        rules.addAll(RulesParser.parse(Files.readString(config.rulesFile()), config.rulesFile().toString()));
      } catch (IOException e) {
        throw new IllegalArgumentException("DURABLE-220 cannot read sandbox rules file " + config.rulesFile() + ": " + e, e);
      }
    }
    String source = "agent argument passthrough=" + String.join(";", config.passthrough());
    for (String pkg : config.passthrough()) {
      String owner = pkg.endsWith("*") ? pkg : pkg + ".*";
      rules.add(new Rule("passthrough.agent-argument", Rule.Kind.PASSTHROUGH, Rule.At.ANY, owner, Set.of(), "*",
          null, null, null, "", "", source));
    }
    return rules;
  }
}
