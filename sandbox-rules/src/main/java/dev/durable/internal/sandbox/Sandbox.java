package dev.durable.internal.sandbox;

import java.util.List;

/**
 * Global sandbox settings, set once by the agent's premain. This class is loaded from the
 * bootstrap class path when the agent is attached, so rewritten classes of any class loader see
 * the same settings; without the agent it is an ordinary class and {@link #isInstalled()} is false.
 */
public final class Sandbox {
  /** What happens on a violation. */
  public enum Mode {
    /** Fail the workflow task (the default). */
    ENFORCE,
    /** Log and let the call through; redirects still apply. */
    WARN,
    /** Do nothing: no rewriting, no reports. */
    OFF
  }

  private static volatile boolean installed;
  private static volatile Mode mode = Mode.ENFORCE;
  private static volatile RuleSet rules = new RuleSet(List.of());

  private Sandbox() {}

  /** Called by the agent once its transformers are installed. */
  public static void install(RuleSet ruleSet, Mode newMode) {
    rules = ruleSet;
    mode = newMode;
    installed = true;
  }

  /** Returns whether the agent is attached (even in {@code off} mode). */
  public static boolean isInstalled() {
    return installed;
  }

  /** Returns the violation mode. */
  public static Mode mode() {
    return mode;
  }

  /** Returns the effective rules. */
  public static RuleSet rules() {
    return rules;
  }
}
