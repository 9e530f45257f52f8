package dev.durable.agent;

import dev.durable.internal.sandbox.Rule;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Rewrites one class. A method reference to a member redirected in place (to a static shim of its
 * own descriptor, such as {@code Instant::now}) points straight at the shim; one to another
 * rewritten member (such as {@code Random::new}) gets a private static bridge method in the class
 * that makes the rewritten call, and the reference is pointed at the bridge.
 */
final class RewritingClassVisitor extends ClassVisitor {
  private static final String GUARD_DESC = "(Ljava/lang/String;Ljava/lang/String;)V";

  private final CallSiteRewriter rewriter;
  /** Per method in class-file order, whether to visit its instructions; the others are copied as they are. */
  private final boolean[] methodsToVisit;
  private int methodIndex;
  private final Map<String, Bridge> bridges = new LinkedHashMap<>();
  private String className;
  private String superName;
  private boolean isInterface;
  private int majorVersion;
  private boolean changed;

  /** A bridge for one method reference on one source line (the line it reports in stack traces). */
  private record Bridge(String name, String descriptor, Handle original, Rule rule, int line) {}

  RewritingClassVisitor(ClassVisitor next, CallSiteRewriter rewriter, boolean[] methodsToVisit) {
    super(Opcodes.ASM9, next);
    this.rewriter = rewriter;
    this.methodsToVisit = methodsToVisit;
  }

  @Override
  public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
    this.className = name;
    this.superName = superName;
    this.isInterface = (access & Opcodes.ACC_INTERFACE) != 0;
    this.majorVersion = version & 0xFFFF;
    super.visit(version, access, name, signature, superName, interfaces);
  }

  @Override
  public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
    MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
    int index = methodIndex++;
    if (methodsToVisit != null && index < methodsToVisit.length && !methodsToVisit[index]) {
      return mv; // the writer itself: ASM then copies the method's bytes without reading its code
    }
    return new Rewriter(mv, "<clinit>".equals(name), "<init>".equals(name));
  }

  /** Returns whether anything was rewritten (after the class was visited). */
  boolean changed() {
    return changed;
  }

  @Override
  public void visitEnd() {
    List<Bridge> all = new ArrayList<>(bridges.values());
    for (Bridge b : all) {
      emitBridge(b);
    }
    super.visitEnd();
  }

  private void emitBridge(Bridge b) {
    MethodVisitor mv = cv.visitMethod(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC, b.name(),
        b.descriptor(), null, null);
    mv.visitCode();
    if (b.line() > 0) {
      // Without it a violation's top frame would be "durable$bridge$N(File.java)", with no line to look at.
      Label start = new Label();
      mv.visitLabel(start);
      mv.visitLineNumber(b.line(), start);
    }
    Handle h = b.original();
    Rewriter body = new Rewriter(mv, false, false);
    int argumentSlots = (Type.getArgumentsAndReturnSizes(b.descriptor()) >> 2) - 1;
    int stack = argumentSlots;
    if (h.getTag() == Opcodes.H_NEWINVOKESPECIAL) {
      stack += 2;
      mv.visitTypeInsn(Opcodes.NEW, h.getOwner());
      mv.visitInsn(Opcodes.DUP);
      loadArguments(mv, Type.getArgumentTypes(b.descriptor()));
      body.rewriteCall(b.rule(), Opcodes.INVOKESPECIAL, h.getOwner(), h.getName(), h.getDesc(), false, true);
    } else {
      loadArguments(mv, Type.getArgumentTypes(b.descriptor()));
      int opcode = switch (h.getTag()) {
        case Opcodes.H_INVOKESTATIC -> Opcodes.INVOKESTATIC;
        case Opcodes.H_INVOKEINTERFACE -> Opcodes.INVOKEINTERFACE;
        default -> Opcodes.INVOKEVIRTUAL;
      };
      body.rewriteCall(b.rule(), opcode, h.getOwner(), h.getName(), h.getDesc(), h.isInterface(), false);
    }
    mv.visitInsn(Type.getReturnType(b.descriptor()).getOpcode(Opcodes.IRETURN));
    // The class writer computes no maxima: the arguments (and a new object), what the rewritten call
    // adds on top, and the result.
    mv.visitMaxs(Math.max(stack + body.extraStack, Type.getArgumentsAndReturnSizes(b.descriptor()) & 3), argumentSlots);
    mv.visitEnd();
  }

  private static void loadArguments(MethodVisitor mv, Type[] args) {
    int slot = 0;
    for (Type t : args) {
      mv.visitVarInsn(t.getOpcode(Opcodes.ILOAD), slot);
      slot += t.getSize();
    }
  }

  /** Returns the handle of the bridge for a method reference, creating it on first use. */
  private Handle bridgeFor(Handle h, Rule rule, int line) {
    String key = h.getTag() + " " + h.getOwner() + "." + h.getName() + h.getDesc() + " " + line;
    Bridge b = bridges.get(key);
    if (b == null) {
      String desc = switch (h.getTag()) {
        case Opcodes.H_INVOKESTATIC -> h.getDesc();
        case Opcodes.H_NEWINVOKESPECIAL -> Type.getMethodDescriptor(Type.getObjectType(h.getOwner()),
            Type.getArgumentTypes(h.getDesc()));
        default -> {
          Type[] args = Type.getArgumentTypes(h.getDesc());
          Type[] withReceiver = new Type[args.length + 1];
          withReceiver[0] = Type.getObjectType(h.getOwner());
          System.arraycopy(args, 0, withReceiver, 1, args.length);
          yield Type.getMethodDescriptor(Type.getReturnType(h.getDesc()), withReceiver);
        }
      };
      b = new Bridge("durable$bridge$" + bridges.size(), desc, h, rule, line);
      bridges.put(key, b);
    }
    return new Handle(Opcodes.H_INVOKESTATIC, className, b.name(), b.descriptor(), isInterface);
  }

  /**
   * Whether the plan of a constructor only applies an after-shim that takes an object of {@code
   * owner}'s class: one that adjusts the new object (reseeds it, sets its time) and returns it.
   */
  private static boolean adjustsInPlace(Redirects.Plan plan, String owner) {
    return plan.before() == null && plan.target() == null && plan.after() != null
        && plan.after().descriptor().startsWith("(L" + owner + ";)");
  }

  /** Rewrites the instructions of one method. */
  private final class Rewriter extends MethodVisitor {
    private final boolean clinit;
    /** Whether this is a constructor of the class, whose superclass constructor call it makes. */
    private final boolean constructor;
    // Types of NEW instructions not yet initialised, innermost last, with whether a DUP followed.
    private final Deque<Object[]> pendingNew = new ArrayDeque<>();
    private boolean lastWasNew;
    private int line;
    /** The most this rewriter's inserted instructions add to the operand stack at any point. */
    int extraStack;

    Rewriter(MethodVisitor mv, boolean clinit, boolean constructor) {
      super(Opcodes.ASM9, mv);
      this.clinit = clinit;
      this.constructor = constructor;
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
      super.visitTypeInsn(opcode, type);
      if (opcode == Opcodes.NEW) {
        pendingNew.push(new Object[] {type, Boolean.FALSE});
        lastWasNew = true;
        return;
      }
      lastWasNew = false;
    }

    @Override
    public void visitInsn(int opcode) {
      if (opcode == Opcodes.DUP && lastWasNew && !pendingNew.isEmpty()) {
        pendingNew.peek()[1] = Boolean.TRUE;
      }
      lastWasNew = false;
      super.visitInsn(opcode);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean itf) {
      lastWasNew = false;
      boolean newExpression = false;
      if (opcode == Opcodes.INVOKESPECIAL && "<init>".equals(name) && !pendingNew.isEmpty()
          && owner.equals(pendingNew.peek()[0])) {
        newExpression = (Boolean) pendingNew.pop()[1];
      }
      Rule rule = rewriter.callRule(owner, name, descriptor);
      if (rule == null) {
        super.visitMethodInsn(opcode, owner, name, descriptor, itf);
      } else {
        rewriteCall(rule, opcode, owner, name, descriptor, itf, newExpression);
      }
    }

    void rewriteCall(Rule rule, int opcode, String owner, String name, String descriptor, boolean itf, boolean newExpression) {
      if (rule.kind() == Rule.Kind.FORBID) {
        changed = true;
        extraStack = Math.max(extraStack, 2);
        mv.visitLdcInsn(rule.id());
        mv.visitLdcInsn(owner.replace('/', '.') + "." + name);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, Redirects.GUARDS, "callSite", GUARD_DESC, false);
        mv.visitMethodInsn(opcode, owner, name, descriptor, itf);
        return;
      }
      Redirects.Plan plan = rewriter.plan(rule, owner, name, descriptor);
      boolean constructorCall = "<init>".equals(name);
      if (plan == null || (constructorCall && !newExpression)) {
        // A super(...) call of a subclass, or a constructor result nobody kept.
        mv.visitMethodInsn(opcode, owner, name, descriptor, itf);
        if (plan != null && constructorCall && constructor && owner.equals(superName) && adjustsInPlace(plan, owner)) {
          // The subclass's object is what the superclass constructor made (a Random seeded from the
          // clock, a Date of the system time): Shims.afterSuper adjusts it in place, as for a new one.
          changed = true;
          mv.visitVarInsn(Opcodes.ALOAD, 0);
          mv.visitMethodInsn(Opcodes.INVOKESTATIC, Redirects.SHIMS, "afterSuper", "(Ljava/lang/Object;)V", false);
          extraStack = Math.max(extraStack, 1);
        }
        return;
      }
      changed = true;
      Redirects.Call inPlace = plan.inPlace(name, descriptor);
      if (inPlace != null) {
        inPlace.emit(mv); // the same stack change as the call it replaces: nothing to add
        return;
      }
      // Stack height after each call, relative to before the original call (its arguments pushed);
      // the original code already had room for the original call's own result.
      int height = 0;
      int peak = 0;
      if (plan.before() != null) {
        plan.before().emit(mv);
        height += plan.before().stackChange();
        peak = Math.max(peak, height);
      }
      if (plan.target() != null) {
        plan.target().emit(mv);
        height += plan.target().stackChange();
      } else {
        mv.visitMethodInsn(opcode, owner, name, descriptor, itf);
        int sizes = Type.getArgumentsAndReturnSizes(descriptor);
        height += (sizes & 3) - (sizes >> 2) + (opcode == Opcodes.INVOKESTATIC ? 1 : 0);
      }
      peak = Math.max(peak, height);
      if (plan.after() != null) {
        plan.after().emit(mv);
        height += plan.after().stackChange();
        peak = Math.max(peak, height);
      }
      extraStack = Math.max(extraStack, peak);
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
      lastWasNew = false;
      if (opcode == Opcodes.PUTSTATIC && !clinit) {
        Rule rule = rewriter.staticWriteRule(owner, name, descriptor);
        if (rule != null) {
          changed = true;
          extraStack = Math.max(extraStack, 2);
          mv.visitLdcInsn(rule.id());
          mv.visitLdcInsn(owner.replace('/', '.') + "." + name);
          mv.visitMethodInsn(Opcodes.INVOKESTATIC, Redirects.GUARDS, "staticWrite", GUARD_DESC, false);
        }
      }
      super.visitFieldInsn(opcode, owner, name, descriptor);
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, Handle bsm, Object... args) {
      lastWasNew = false;
      // Bridges are static methods of this class; interfaces of class files older than Java 8 cannot have them.
      Object[] rewritten = args.clone();
      for (int i = 0; i < rewritten.length; i++) {
        Rule rule = rewritten[i] instanceof Handle h ? rewriter.handleRule(h) : null;
        if (rule == null) {
          continue;
        }
        Handle h = (Handle) rewritten[i];
        Redirects.Call inPlace = h.getTag() == Opcodes.H_INVOKESTATIC
            ? rewriter.decide(h.getOwner(), h.getName(), h.getDesc()).inPlace() : null;
        if (inPlace != null) {
          // Straight to the shim, as the method ref itself is redirected in the pool.
          changed = true;
          rewritten[i] =
              new Handle(Opcodes.H_INVOKESTATIC, inPlace.owner(), inPlace.name(), inPlace.descriptor(), false);
        } else if (!isInterface || majorVersion >= Opcodes.V1_8) {
          changed = true;
          rewritten[i] = bridgeFor(h, rule, line);
        }
      }
      super.visitInvokeDynamicInsn(name, descriptor, bsm, rewritten);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
      super.visitMaxs(maxStack + extraStack, maxLocals);
    }

    @Override
    public void visitLineNumber(int lineNumber, Label start) {
      line = lineNumber;
      super.visitLineNumber(lineNumber, start);
    }

    @Override
    public void visitVarInsn(int opcode, int varIndex) {
      lastWasNew = false;
      super.visitVarInsn(opcode, varIndex);
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
      lastWasNew = false;
      super.visitIntInsn(opcode, operand);
    }

    @Override
    public void visitLdcInsn(Object value) {
      lastWasNew = false;
      super.visitLdcInsn(value);
    }
  }
}
