package dev.durable.agent;

import dev.durable.internal.sandbox.Rule;
import dev.durable.internal.sandbox.RuleSet;
import dev.durable.internal.sandbox.Shims;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Turns a redirect rule into instructions. A rule's {@code before}, {@code target} and
 * {@code after} name methods as {@code Owner#name(args)return}; {@code Shims} stands for the shim
 * class, and {@code {owner}}, {@code {name}}, {@code {Name}}, {@code {args}} and {@code {return}}
 * are filled in from the call being rewritten.
 */
final class Redirects {
  static final String SHIMS = Type.getInternalName(Shims.class);
  static final String GUARDS = "dev/durable/internal/sandbox/Guards";
  private static final Set<String> SHIM_METHODS = new HashSet<>();

  static {
    for (Method m : Shims.class.getDeclaredMethods()) {
      if (Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers())) {
        SHIM_METHODS.add(m.getName() + Type.getMethodDescriptor(m));
      }
    }
  }

  /**
   * A static method to call. What the byte-level rewriter needs of it (its stack change, its names
   * as class file constants) is computed once: every class rewritten with this call needs the same.
   */
  static final class Call {
    private final String owner;
    private final String name;
    private final String descriptor;
    private final int stackChange;
    private final boolean shared;
    private byte[][] constants;

    /** A call of the rules (or of the guards): made once, used in many classes. */
    Call(String owner, String name, String descriptor) {
      this(owner, name, descriptor, true);
    }

    /**
     * @param shared whether the call is used in many classes (its constants are then kept), not
     *     only in the one being rewritten (a bridge)
     */
    Call(String owner, String name, String descriptor, boolean shared) {
      this.shared = shared;
      this.owner = owner;
      this.name = name;
      this.descriptor = descriptor;
      int sizes = Type.getArgumentsAndReturnSizes(descriptor);
      this.stackChange = (sizes & 3) - ((sizes >> 2) - 1);
    }

    String owner() {
      return owner;
    }

    String name() {
      return name;
    }

    String descriptor() {
      return descriptor;
    }

    void emit(MethodVisitor mv) {
      mv.visitMethodInsn(Opcodes.INVOKESTATIC, owner, name, descriptor, false);
    }

    /** How many operand stack slots this call adds (negative: removes): its result minus its arguments. */
    int stackChange() {
      return stackChange;
    }

    /**
     * The owner, name and descriptor as CONSTANT_Utf8 entries (tag, length, modified UTF-8);
     * null for a call that is not shared.
     */
    byte[][] constants() {
      if (!shared) {
        return null;
      }
      byte[][] c = constants;
      if (c == null) {
        c = new byte[][] {DirectRewriter.encode(owner), DirectRewriter.encode(name), DirectRewriter.encode(descriptor)};
        constants = c; // racy but benign: the same content
      }
      return c;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Call c && owner.equals(c.owner) && name.equals(c.name) && descriptor.equals(c.descriptor);
    }

    @Override
    public int hashCode() {
      return (owner.hashCode() * 31 + name.hashCode()) * 31 + descriptor.hashCode();
    }

    @Override
    public String toString() {
      return "Call[owner=" + owner + ", name=" + name + ", descriptor=" + descriptor + "]";
    }
  }

  private Redirects() {}

  /** Fails at agent start when a rule names a shim that does not exist (placeholders are checked per call). */
  static void validate(RuleSet rules) {
    for (Rule r : rules.rules()) {
      if (r.kind() != Rule.Kind.REDIRECT) {
        continue;
      }
      for (String spec : new String[] {r.before(), r.target(), r.after()}) {
        if (spec != null && !spec.contains("{") && spec.startsWith("Shims#")) {
          Call c = resolve(spec, "", "", "()V");
          if (!SHIM_METHODS.contains(c.name() + c.descriptor())) {
            throw new IllegalArgumentException("DURABLE-220 sandbox rule " + r.id() + " (" + r.source() + ") names "
                + spec + ", but the shim class has no such method");
          }
        }
      }
    }
  }

  /**
   * Resolves a spec for one call; returns null when it names a shim that does not exist for this
   * call's descriptor (a JDK method added after this agent was built): the call is then left alone.
   */
  static Call resolve(String spec, String owner, String name, String descriptor) {
    if (spec == null) {
      return null;
    }
    Type method = Type.getMethodType(descriptor);
    String args = descriptor.substring(1, descriptor.indexOf(')'));
    String filled = spec
        .replace("{owner}", owner)
        .replace("{name}", name)
        .replace("{Name}", name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1))
        .replace("{args}", args)
        .replace("{return}", method.getReturnType().getDescriptor());
    int hash = filled.indexOf('#');
    int paren = filled.indexOf('(');
    String callOwner = filled.substring(0, hash);
    String callName = filled.substring(hash + 1, paren);
    String callDesc = filled.substring(paren);
    if (callOwner.equals("Shims")) {
      callOwner = SHIMS;
      if (!spec.contains("{") || SHIM_METHODS.contains(callName + callDesc)) {
        return new Call(callOwner, callName, callDesc);
      }
      return null;
    }
    return new Call(callOwner.replace('.', '/'), callName, callDesc);
  }

  /** The instructions replacing one call to a redirected member; null when the call must stay as is. */
  record Plan(Call before, Call target, Call after) {
    /**
     * The target, when the plan is only a target with the member's own descriptor (a static
     * member, as the rules for such targets name): each use of the member can then call it
     * instead, without another instruction; null otherwise.
     */
    Call inPlace(String name, String descriptor) {
      return before == null && after == null && target != null && !"<init>".equals(name)
          && target.descriptor().equals(descriptor) ? target : null;
    }
  }

  static Plan plan(Rule rule, String owner, String name, String descriptor) {
    Call before = resolve(rule.before(), owner, name, descriptor);
    Call target = resolve(rule.target(), owner, name, descriptor);
    Call after = resolve(rule.after(), owner, name, descriptor);
    if ((rule.before() != null && before == null) || (rule.target() != null && target == null)
        || (rule.after() != null && after == null)) {
      return null;
    }
    return new Plan(before, target, after);
  }
}
