package dev.durable.internal.sandbox;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The effective rules: defaults, then rule files found on the class path, then the file given to
 * the agent, then passthrough packages given to the agent. A later rule with the id of an earlier
 * one replaces it.
 */
public final class RuleSet {
  private final List<Rule> rules;
  private final Map<String, Rule> byId = new HashMap<>();
  private final Map<String, List<Rule>> exactOwners = new HashMap<>();
  private final List<Rule> patternRules = new ArrayList<>();
  private final Map<String, Boolean> passthroughCache = new ConcurrentHashMap<>();
  private final Map<Rule, Integer> order = new java.util.IdentityHashMap<>();

  public RuleSet(List<Rule> all) {
    Map<String, List<Rule>> byIdInOrder = new LinkedHashMap<>();
    for (Rule r : all) {
      List<Rule> same = byIdInOrder.get(r.id());
      // Expanded owner lists share an id: a rule of another source with the same id replaces them all.
      if (same != null && !same.get(0).source().equals(r.source())) {
        byIdInOrder.remove(r.id());
        same = null;
      }
      byIdInOrder.computeIfAbsent(r.id(), k -> new ArrayList<>()).add(r);
    }
    List<Rule> effective = new ArrayList<>();
    byIdInOrder.values().forEach(effective::addAll);
    this.rules = Collections.unmodifiableList(effective);
    for (Rule r : effective) {
      order.put(r, order.size());
      byId.putIfAbsent(r.id(), r);
      if (r.owner().endsWith("*")) {
        patternRules.add(r);
      } else {
        exactOwners.computeIfAbsent(r.owner(), k -> new ArrayList<>()).add(r);
      }
    }
  }

  /** Returns every effective rule, in load order. */
  public List<Rule> rules() {
    return rules;
  }

  /** Returns a rule by id, or null. */
  public Rule byId(String id) {
    return byId.get(id);
  }

  /**
   * Returns the most specific rule for a member at a place, or null when none matches.
   *
   * @param at where the member is used
   * @param owner the declaring class, dotted ({@code java.time.Instant})
   * @param name the member name ({@code <init>} for constructors)
   * @param descriptor its JVM descriptor
   */
  public Rule find(Rule.At at, String owner, String name, String descriptor) {
    Rule best = null;
    long bestScore = -1;
    int bestIndex = -1;
    List<Rule> exact = exactOwners.get(owner);
    for (List<Rule> list : exact == null ? List.of(patternRules) : List.of(exact, patternRules)) {
      for (Rule r : list) {
        long s = score(r, at, owner, name, descriptor);
        int index = order.get(r);
        if (s >= 0 && (s > bestScore || (s == bestScore && index > bestIndex))) {
          best = r;
          bestScore = s;
          bestIndex = index;
        }
      }
    }
    return best;
  }

  private static long score(Rule r, Rule.At at, String owner, String name, String descriptor) {
    if (r.at() != at && r.at() != Rule.At.ANY) {
      return -1;
    }
    if (!r.matchesOwner(owner) || !r.matchesName(name) || !r.matchesDescriptor(descriptor)) {
      return -1;
    }
    return r.specificity();
  }

  /** Returns whether classes of this name are passed through (not rewritten, not reported). */
  public boolean isPassthrough(String dottedClassName) {
    Boolean cached = passthroughCache.get(dottedClassName);
    if (cached != null) {
      return cached;
    }
    Rule best = find(Rule.At.ANY, dottedClassName, "*", "*");
    boolean result = best != null && best.isClassLevel() && best.kind() == Rule.Kind.PASSTHROUGH;
    if (passthroughCache.size() < 100_000) {
      passthroughCache.put(dottedClassName, result);
    }
    return result;
  }

  /** Returns the exact owners (internal names) that have call-site rules: a fast pre-filter for the rewriter. */
  public java.util.Set<String> callSiteOwners() {
    java.util.Set<String> out = new java.util.HashSet<>();
    for (Rule r : rules) {
      if (r.appliesAtCallSites() && !r.owner().endsWith("*")) {
        out.add(r.owner().replace('.', '/'));
      }
    }
    return out;
  }
}
