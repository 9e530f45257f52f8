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
  /**
   * The rules a class-level query ({@code find(ANY, class, "*", "*")}) can return: at {@code any},
   * for every name and descriptor. Those with an owner pattern ({@code com.acme.*}, {@code *}).
   */
  private final List<Rule> classPatterns = new ArrayList<>();
  /** The same, with an exact owner, per package of the owner ({@code com.acme.}). */
  private final Map<String, List<Rule>> classExactByPackage = new HashMap<>();
  /** Per package, dotted ({@code com.acme.}) or internal ({@code com/acme/}): what decides for its classes. */
  private final Map<String, PackageRules> byPackage = new ConcurrentHashMap<>();
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
      boolean classLevel = r.at() == Rule.At.ANY && r.matchesName("*") && r.matchesDescriptor("*");
      if (r.owner().endsWith("*")) {
        patternRules.add(r);
        if (classLevel) {
          classPatterns.add(r);
        }
      } else {
        addTo(exactOwners, r.owner(), r);
        if (classLevel) {
          addTo(classExactByPackage, r.owner().substring(0, r.owner().lastIndexOf('.') + 1), r);
        }
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
   * {@code find(Rule.At.ANY, dotted, "*", "*")}, the same answer, decided once per package: the
   * agent asks this for every class that loads, most of them new.
   */
  Rule findClassLevel(String dotted) {
    int dot = dotted.lastIndexOf('.');
    return decide(packageRules(dotted.substring(0, dot + 1), false), dotted);
  }

  /**
   * What decides class-level queries for the classes of one package.
   *
   * @param best the best rule that matches every class of the package, or null
   * @param perClass the rules that match some of its classes only (an exact owner, or a pattern
   *     longer than the package's name), to try per class
   */
  private record PackageRules(Rule best, List<Rule> perClass) {}

  private Rule decide(PackageRules rules, String dotted) {
    Rule best = rules.best();
    for (Rule r : rules.perClass()) {
      if (r.matchesOwner(dotted)) {
        best = better(best, r);
      }
    }
    return best;
  }

  /** The rules of a package ({@code com.acme.}, or {@code com/acme/} when {@code internal}), decided once. */
  private PackageRules packageRules(String pkg, boolean internal) {
    PackageRules rules = byPackage.get(pkg);
    if (rules == null) {
      String dotted = internal ? pkg.replace('/', '.') : pkg;
      Rule best = null;
      List<Rule> perClass = new ArrayList<>();
      for (Rule r : classPatterns) {
        String prefix = r.owner().substring(0, r.owner().length() - 1);
        if (prefix.length() <= dotted.length()) {
          if (dotted.startsWith(prefix)) {
            best = better(best, r);
          }
        } else if (prefix.startsWith(dotted)) {
          perClass.add(r);
        }
      }
      List<Rule> exact = classExactByPackage.get(dotted);
      if (exact != null) {
        perClass.addAll(exact);
      }
      rules = new PackageRules(best, perClass.isEmpty() ? List.of() : perClass);
      if (byPackage.size() < 20_000) {
        byPackage.put(pkg, rules);
      }
    }
    return rules;
  }

  /** The more specific of two rules that both match; the later one when they are as specific. */
  private Rule better(Rule best, Rule candidate) {
    if (best == null) {
      return candidate;
    }
    long s = candidate.specificity();
    long bestScore = best.specificity();
    return s > bestScore || (s == bestScore && order.get(candidate) > order.get(best)) ? candidate : best;
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
   * {@link #isPassthrough} of a class given by its internal name ({@code com/acme/Util}), the same
   * answer, not remembered per class: for a class asked about once, as the agent does for each
   * class that loads (the guards' stack walks, which see the same classes again and again, use
   * the remembered answers). Decided per package, without a dotted copy of the name.
   */
  public boolean isPassthroughInternalName(String internalName) {
    PackageRules rules = packageRules(internalName.substring(0, internalName.lastIndexOf('/') + 1), true);
    return passes(rules.perClass().isEmpty() ? rules.best() : decide(rules, internalName.replace('/', '.')));
  }

  private boolean decidePassthrough(String dottedClassName) {
    return passes(findClassLevel(dottedClassName));
  }

  private static boolean passes(Rule classLevel) {
    return classLevel != null && classLevel.isClassLevel() && classLevel.kind() == Rule.Kind.PASSTHROUGH;
  }

  /**
   * Whether a guard rule (forbid at {@code guard}, exact owner) that reports in runs of
   * {@code replaySemantics} names method {@code name} of {@code owner} (dotted), for any of its
   * descriptors.
   */
  public boolean hasGuard(String owner, String name, int replaySemantics) {
    List<Rule> exact = exactOwners.get(owner);
    if (exact != null) {
      for (Rule r : exact) {
        if (r.kind() == Rule.Kind.FORBID && r.at() == Rule.At.GUARD && r.matchesName(name)
            && r.sinceReplaySemantics() <= replaySemantics) {
          return true;
        }
      }
    }
    return false;
  }

  /** Returns the exact owners (internal names) that have call-site rules: a fast pre-filter for the rewriter. */
  public java.util.Set<String> callSiteOwners() {
    return callSiteMembers().keySet();
  }

  /**
   * Returns, per exact owner (internal name) with call-site rules, the names of the members those
   * rules name; an empty set when a rule names no member (every member of the owner).
   */
  public Map<String, java.util.Set<String>> callSiteMembers() {
    Map<String, java.util.Set<String>> out = new HashMap<>();
    java.util.Set<String> anyMember = java.util.Set.of();
    for (Rule r : rules) {
      if (r.appliesAtCallSites() && !r.owner().endsWith("*")) {
        String owner = r.owner().replace('.', '/');
        java.util.Set<String> names = out.get(owner);
        if (r.names().isEmpty() || names == anyMember) {
          out.put(owner, anyMember);
        } else {
          if (names == null) {
            out.put(owner, names = new java.util.HashSet<>());
          }
          names.addAll(r.names());
        }
      }
    }
    return out;
  }
}
