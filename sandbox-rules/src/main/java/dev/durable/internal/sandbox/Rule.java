package dev.durable.internal.sandbox;

import java.util.Set;

/**
 * One sandbox rule: what to do with a member (method, constructor or static field) matched by
 * owner, name and descriptor patterns. When several rules match, the most specific wins; among
 * equally specific ones, the one loaded last (user rules load after the defaults).
 *
 * @param id stable identifier, shown in violation messages
 * @param kind what to do
 * @param at where the rule applies
 * @param owner a class name ({@code java.time.Instant}), a prefix pattern ({@code com.acme.*},
 *     {@code java.util.ServiceLoader$*}) or {@code *}
 * @param names method or field names; empty means any
 * @param descriptor a JVM descriptor, a prefix ending in {@code *}, or {@code *}
 * @param before for redirects: a call inserted before the call (it may turn arguments into others)
 * @param target for redirects: the method called instead, or null to keep the original
 * @param after for redirects: a call applied to the result
 * @param message for violations and docs: what the code did ("opened a network connection")
 * @param suggestion what to do instead
 * @param source where the rule was defined (file and line)
 * @param sinceReplaySemantics for a forbid rule, the replay semantics from which it is reported:
 *     a run started under older semantics ran such calls unreported, and replays as it ran (0: always)
 */
public record Rule(
    String id,
    Kind kind,
    At at,
    String owner,
    Set<String> names,
    String descriptor,
    String before,
    String target,
    String after,
    String message,
    String suggestion,
    String source,
    int sinceReplaySemantics) {

  /** A rule that applies to runs of every replay semantics. */
  public Rule(String id, Kind kind, At at, String owner, Set<String> names, String descriptor, String before,
      String target, String after, String message, String suggestion, String source) {
    this(id, kind, at, owner, names, descriptor, before, target, after, message, suggestion, source, 0);
  }

  /** What a rule does. */
  public enum Kind {
    /** Rewrite the call to a deterministic shim. */
    REDIRECT,
    /** Report a call on a workflow thread as a determinism violation. */
    FORBID,
    /** Leave matching classes alone: not rewritten, and their calls are not reported. */
    PASSTHROUGH
  }

  /** Where a rule applies. */
  public enum At {
    /** Call sites in rewritten classes (and method references to the member). */
    CALL,
    /** Inside the JDK method itself, so calls from any library are seen. */
    GUARD,
    /** Writes to static fields outside static initializers. */
    STATIC_WRITE,
    /** Everywhere: class-level passthrough. */
    ANY
  }

  /** Returns whether this rule applies to whole classes (no name or descriptor pattern). */
  public boolean isClassLevel() {
    return names.isEmpty() && "*".equals(descriptor);
  }

  /**
   * Returns whether this rule can change a call site: a redirect or forbid rule at {@code call} or
   * {@code any} ({@link RuleSet#find} lets {@code any} rules match calls too).
   */
  public boolean appliesAtCallSites() {
    return kind != Kind.PASSTHROUGH && (at == At.CALL || at == At.ANY);
  }

  boolean matchesOwner(String dotted) {
    if ("*".equals(owner)) {
      return true;
    }
    if (owner.endsWith("*")) {
      // The prefix before the '*', compared in place: this runs for every class the agent sees.
      return dotted.regionMatches(0, owner, 0, owner.length() - 1);
    }
    return owner.equals(dotted);
  }

  boolean matchesName(String name) {
    return names.isEmpty() || names.contains(name);
  }

  boolean matchesDescriptor(String desc) {
    if ("*".equals(descriptor)) {
      return true;
    }
    if (descriptor.endsWith("*")) {
      return desc.regionMatches(0, descriptor, 0, descriptor.length() - 1);
    }
    return descriptor.equals(desc);
  }

  /** Higher is more specific: owner first, then name, then descriptor. */
  long specificity() {
    long ownerScore;
    if ("*".equals(owner)) {
      ownerScore = 0;
    } else if (owner.endsWith("*")) {
      ownerScore = owner.length();
    } else {
      ownerScore = 10_000;
    }
    int nameScore = names.isEmpty() ? 0 : 2;
    int descScore = "*".equals(descriptor) ? 0 : descriptor.endsWith("*") ? 1 : 2;
    return ownerScore * 100 + nameScore * 10 + descScore;
  }
}
