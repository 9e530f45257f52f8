package dev.durable.agent;

import dev.durable.agent.jit.DontInline;
import dev.durable.internal.sandbox.Rule;
import dev.durable.internal.sandbox.RuleSet;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites call sites in classes that are not passed through: redirected calls go to shims,
 * forbidden calls and writes to static fields get a check first. Classes are scanned once
 * without writing ({@link CallSiteScan}); only those with something to change are rewritten: in
 * their constant pool alone when every change is a redirect to a shim of the member's own
 * descriptor ({@link PoolRewriter}), otherwise in their code's bytes ({@link DirectRewriter}) or,
 * for what that does not handle, with ASM ({@link RewritingClassVisitor}). All give the same code.
 *
 * <p>Every method on the transform's path, here and in {@link CallSiteScan}, {@link ClassFile},
 * {@link PoolRewriter} and {@link DirectRewriter}, is marked {@link DontInline}: the JIT compiles
 * each on its own instead of inlining the whole transform into the JDK's transformer loop (see
 * that annotation). A method added to that path should be marked too.
 */
final class CallSiteRewriter implements ClassFileTransformer {
  private final RuleSet rules;
  private final boolean debug;
  private final Set<String> callOwners;
  private final boolean patternCallRules;
  private final boolean staticWrites;
  private final AtomicBoolean warned = new AtomicBoolean();
  private final CallSiteScan scan;
  /** Decisions per called member ("owner.name(desc)"); bounded, as pattern rules can see any member. */
  private final java.util.concurrent.ConcurrentHashMap<String, Decision> decisions = new java.util.concurrent.ConcurrentHashMap<>();
  private static final int MAX_DECISIONS = 50_000;

  @DontInline
  CallSiteRewriter(RuleSet rules, boolean debug) {
    this.rules = rules;
    this.debug = debug;
    java.util.Map<String, Set<String>> callMembers = rules.callSiteMembers();
    this.callOwners = callMembers.keySet();
    // Loops, not streams: this runs in premain, where each lambda costs a class spun at run time.
    boolean patterns = false;
    boolean writes = false;
    for (Rule r : rules.rules()) {
      patterns |= r.appliesAtCallSites() && r.owner().endsWith("*");
      writes |= r.at() == Rule.At.STATIC_WRITE && r.kind() == Rule.Kind.FORBID;
    }
    this.patternCallRules = patterns;
    this.staticWrites = writes;
    this.scan = new CallSiteScan(callMembers, patternCallRules, staticWrites);
  }

  @Override
  @DontInline
  public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
      ProtectionDomain domain, byte[] bytes) {
    // JDK modules loaded by the platform loader have packages outside java.*/jdk.*/sun.* too
    // (org.jcp.xml.dsig in java.xml.crypto, org.ietf.jgss): their name prefix does not tell.
    // Rewritten, a System.getProperty in such a provider's setup became a violation that the
    // JDK's provider loading swallowed, so the provider silently failed to load.
    if (module.isNamed() && isJdk(module.getName())) {
      return null;
    }
    return transform(loader, className, redefined, domain, bytes);
  }

  @Override
  @DontInline
  public byte[] transform(ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
    if (className == null || loader == null || redefined != null) {
      return null;
    }
    if (CallSiteScan.isJdk(className)) {
      return null;
    }
    // Passed-through classes first, before any scan: libraries (Jackson, Netty, gRPC) load by the
    // thousand, and the lookup of a package costs less than indexing its class's constant pool.
    if (rules.isPassthroughInternalName(className)) {
      return null;
    }
    try {
      byte[] out = rewrite(bytes);
      if (out != null && debug) {
        System.err.println("durable agent: rewrote " + className.replace('/', '.'));
      }
      return out;
    } catch (Throwable t) {
      // Never break class loading: the class stays as it was. Say it once; details with debug=true.
      if (warned.compareAndSet(false, true) || debug) {
        System.err.println("durable agent: could not rewrite " + className.replace('/', '.') + " (" + t
            + "); it is left unchanged");
      }
      return null;
    }
  }

  @DontInline
  static boolean isJdk(String dotted) {
    return dotted.startsWith("java.") || dotted.startsWith("javax.") || dotted.startsWith("jdk.")
        || dotted.startsWith("sun.") || dotted.startsWith("com.sun.");
  }

  /** Returns the rewritten class, or null when nothing in it needs to change. */
  @DontInline
  byte[] rewrite(byte[] bytes) {
    return rewrite(bytes, true);
  }

  /**
   * Returns the rewritten class, or null when nothing in it needs to change.
   *
   * @param direct whether to try the {@link PoolRewriter} and the {@link DirectRewriter} first
   *     (tests compare both ways)
   */
  @DontInline
  byte[] rewrite(byte[] bytes, boolean direct) {
    if (!ClassFile.asmReads(bytes)) {
      return rewriteWithAsm(bytes, null); // ASM refuses it, as before
    }
    // The common path reads the bytes without ASM; ASM is loaded and used only for what the
    // direct rewriter hands back.
    ClassFile cf = new ClassFile(bytes);
    CallSiteScan.Pool pool = scan.pool(cf);
    if (pool == null) {
      return null;
    }
    if (direct && !pool.putstatic()) {
      byte[] out = PoolRewriter.rewrite(this, cf, pool.marked());
      if (out != PoolRewriter.NOT_IN_PLACE) {
        return out;
      }
    }
    CallSiteScan.Result found = scan.code(cf, pool);
    if (found == null) {
      return null;
    }
    if (direct) {
      byte[] out;
      try {
        out = DirectRewriter.rewrite(this, cf, found);
      } catch (RuntimeException e) {
        out = DirectRewriter.UNSUPPORTED; // bytes it did not expect (a malformed class): ASM decides
      }
      if (out != DirectRewriter.UNSUPPORTED) {
        return out;
      }
    }
    return rewriteWithAsm(bytes, found.visit());
  }

  /**
   * The ASM rewriter.
   *
   * @param visit per method, whether the scan found something in it; null: every method
   */
  @DontInline
  byte[] rewriteWithAsm(byte[] bytes, boolean[] visit) {
    ClassReader reader = new ClassReader(bytes);
    // The writer shares the reader's constant pool, so the methods the scan found nothing in are
    // copied byte for byte. No frames or maxima are computed: no branch is added (computing frames
    // would load classes), and the rewriter adds to each changed method's max stack what it
    // inserted.
    ClassWriter writer = new ClassWriter(reader, 0);
    RewritingClassVisitor visitor = new RewritingClassVisitor(writer, this, visit);
    reader.accept(visitor, 0);
    return visitor.changed() ? writer.toByteArray() : null;
  }

  /** The redirect or call-site forbid rule for a call, or null to leave it alone. */
  @DontInline
  Rule callRule(String owner, String name, String descriptor) {
    return decide(owner, name, descriptor).rule();
  }

  /** The instructions replacing a call that {@code rule} redirects (null: leave the call as is). */
  @DontInline
  Redirects.Plan plan(Rule rule, String owner, String name, String descriptor) {
    Decision d = decide(owner, name, descriptor);
    return d.rule() == rule ? d.plan() : Redirects.plan(rule, owner, name, descriptor);
  }

  /**
   * What to do with calls of one member, decided once: the rule lookup and the redirect plan are
   * the same for every call site of it, and classes calling the clock or UUIDs call them often.
   */
  @DontInline
  Decision decide(String owner, String name, String descriptor) {
    if (!patternCallRules && !callOwners.contains(owner)) {
      return Decision.NONE;
    }
    String key = owner + '.' + name + descriptor;
    Decision d = decisions.get(key);
    if (d == null) {
      d = Decision.NONE;
      Rule r = rules.find(Rule.At.CALL, owner.replace('/', '.'), name, descriptor);
      if (r != null && r.kind() == Rule.Kind.FORBID) {
        d = new Decision(r, null, null);
      } else if (r != null && r.kind() == Rule.Kind.REDIRECT) {
        Redirects.Plan plan = Redirects.plan(r, owner, name, descriptor);
        d = plan == null ? Decision.NONE : new Decision(r, plan, plan.inPlace(name, descriptor));
      }
      if (decisions.size() < MAX_DECISIONS) {
        decisions.put(key, d);
      }
    }
    return d;
  }

  /**
   * The rule for calls of one member (null: none applies) and, for a redirect, its plan.
   *
   * @param inPlace the plan's target when it is the whole plan and has the member's own
   *     descriptor: every use of the member's method ref can then call it instead (see
   *     {@link PoolRewriter}); null otherwise
   */
  record Decision(Rule rule, Redirects.Plan plan, Redirects.Call inPlace) {
    static final Decision NONE = new Decision(null, null, null);
  }

  @DontInline
  Rule staticWriteRule(String owner, String name, String descriptor) {
    if (!staticWrites) {
      return null;
    }
    Rule r = rules.find(Rule.At.STATIC_WRITE, owner.replace('/', '.'), name, descriptor);
    return r != null && r.kind() == Rule.Kind.FORBID ? r : null;
  }

  /** The rule for a method reference, or null. */
  @DontInline
  Rule handleRule(Handle h) {
    return switch (h.getTag()) {
      case Opcodes.H_INVOKESTATIC, Opcodes.H_INVOKEVIRTUAL, Opcodes.H_INVOKEINTERFACE, Opcodes.H_NEWINVOKESPECIAL ->
          callRule(h.getOwner(), h.getName(), h.getDesc());
      default -> null;
    };
  }
}
