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
  /** Pattern rules whose prefix ends with a dot ({@code com.acme.*}): whether they match depends on the package only. */
  private final List<Rule> packageRules = new ArrayList<>();
  /** The other pattern rules ({@code *}, {@code java.util.ServiceLoader$*}). */
  private final List<Rule> otherPatternRules = new ArrayList<>();
  /** Per package ({@code com.acme.}), the best class-level package rule, or {@link #NO_RULE}. */
  private final Map<String, Rule> bestPackageRule = new ConcurrentHashMap<>();
  private static final Rule NO_RULE = new Rule("", Rule.Kind.PASSTHROUGH, Rule.At.ANY, "", java.util.Set.of(), "", null,
      null, null, "", "", "");
  private final Map<Rule, Integer> order = new java.util.IdentityHashMap<>();

  public RuleSet(List<Rule> all) {
    Map<String, List<Rule>> byIdInOrder = new LinkedHashMap<>();
    for (Rule r : all) {
      List<Rule> same = byIdInOrder.get(r.id());
      // Expanded owner lists share an id: a rule of another source with the same id replaces them all.
      if (same != null && !same.get(0).source().equals(r.source())) {
        byIdInOrder.remove(r.id());
      }
      addTo(byIdInOrder, r.id(), r);
    }
    // Loops rather than lambdas here and below: this runs in the agent's premain, where each new
    // lambda costs a class spun at run time.
    List<Rule> effective = new ArrayList<>();
    for (List<Rule> same : byIdInOrder.values()) {
      effective.addAll(same);
    }
    this.rules = Collections.unmodifiableList(effective);
    for (Rule r : effective) {
      order.put(r, order.size());
      byId.putIfAbsent(r.id(), r);
      if (r.owner().endsWith("*")) {
        patternRules.add(r);
        (r.owner().endsWith(".*") ? packageRules : otherPatternRules).add(r);
      } else {
        addTo(exactOwners, r.owner(), r);
      }
    }
  }

  /**
   * Adds {@code rule} to the list of {@code key} in {@code groups}, making the list if there is none.
   * Not {@code computeIfAbsent}: this runs in the agent's premain, where its lambda would cost a
   * class spun at run time.
   */
  public static void addTo(Map<String, List<Rule>> groups, String key, Rule rule) {
    List<Rule> same = groups.get(key);
    if (same == null) {
      groups.put(key, same = new ArrayList<>());
    }
    same.add(rule);
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

  /**
   * {@code find(Rule.At.ANY, dotted, "*", "*")}, the same answer, with the package rules' part
   * looked up once per package: the agent asks this for every class that loads, most of them new.
   */
  Rule findClassLevel(String dotted) {
    int dot = dotted.lastIndexOf('.');
    String pkg = dotted.substring(0, dot + 1);
    Rule byPackage = bestPackageRule.get(pkg);
    if (byPackage == null) {
      byPackage = best(null, packageRules, pkg);
      if (bestPackageRule.size() < 10_000) {
        bestPackageRule.put(pkg, byPackage == null ? NO_RULE : byPackage);
      }
    } else if (byPackage == NO_RULE) {
      byPackage = null;
    }
    List<Rule> exact = exactOwners.get(dotted);
    Rule best = best(byPackage, exact == null ? List.of() : exact, dotted);
    return best(best, otherPatternRules, dotted);
  }

  /** The better of {@code best} and the rules of {@code candidates} that match class-level queries of {@code owner}. */
  private Rule best(Rule best, List<Rule> candidates, String owner) {
    long bestScore = best == null ? -1 : best.specificity();
    int bestIndex = best == null ? -1 : order.get(best);
    for (Rule r : candidates) {
      long s = score(r, Rule.At.ANY, owner, "*", "*");
      if (s >= 0) {
        int index = order.get(r);
        if (s > bestScore || (s == bestScore && index > bestIndex)) {
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
    boolean result = decidePassthrough(dottedClassName);
    if (passthroughCache.size() < 100_000) {
      passthroughCache.put(dottedClassName, result);
    }
    return result;
  }

  /**
   * {@link #isPassthrough}, the same answer, not remembered: for a class asked about once, as the
   * agent does for each class that loads (the guards' stack walks, which see the same classes
   * again and again, use the remembered answers).
   */
  public boolean isPassthroughClass(String dottedClassName) {
    Boolean cached = passthroughCache.get(dottedClassName);
    return cached != null ? cached : decidePassthrough(dottedClassName);
  }

  private boolean decidePassthrough(String dottedClassName) {
    Rule best = findClassLevel(dottedClassName);
    return best != null && best.isClassLevel() && best.kind() == Rule.Kind.PASSTHROUGH;
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
