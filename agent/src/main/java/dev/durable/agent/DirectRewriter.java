package dev.durable.agent;

import dev.durable.agent.jit.DontInline;
import dev.durable.internal.sandbox.Rule;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Rewrites the common call sites straight in the class file's bytes, without ASM: calls
 * redirected to static shims, checks before forbidden calls and before static writes. It inserts
 * and replaces instructions in the methods the {@link CallSiteScan} found, moves every offset that
 * follows (branches, switches, exception ranges, line numbers, local variable ranges, stack map
 * frames), appends the constants it needs to the constant pool and copies everything else byte for
 * byte.
 *
 * <p>Its output is the same code as {@link RewritingClassVisitor}'s (tested instruction by
 * instruction, frames and debug information included); it exists because the agent runs cold in a
 * fresh JVM, where ASM's general machinery costs several times more than the class it rewrites.
 * Whatever it does not handle (method references to rewritten members, which need a bridge method;
 * redirected constructors; interfaces; unusual code attributes; offsets that no longer fit) it
 * hands back to ASM by returning {@link #UNSUPPORTED}.
 */
final class DirectRewriter {
  /** Returned when the class needs the ASM rewriter. */
  static final byte[] UNSUPPORTED = new byte[0];

  private static final int UTF8 = 1;
  private static final int CLASS = 7;
  private static final int STRING = 8;
  private static final int METHODREF = 10;
  private static final int METHOD_HANDLE = 15;
  private static final int INVOKE_DYNAMIC = 18;
  /** A method handle constant is a tag, a one-byte kind and a u2 reference: see {@link #constant}. */
  private static final int METHOD_HANDLE_TAG_AND_KIND = METHOD_HANDLE << 8 | 6;
  private static final int H_INVOKEVIRTUAL = 5;
  private static final int H_INVOKESTATIC = 6;
  private static final int H_NEWINVOKESPECIAL = 8;
  private static final int H_INVOKEINTERFACE = 9;
  private static final int NAME_AND_TYPE = 12;
  private static final int ACC_INTERFACE = 0x0200;

  private static final int LDC = 0x12;
  private static final int LDC_W = 0x13;
  private static final int TABLESWITCH = 0xaa;
  private static final int LOOKUPSWITCH = 0xab;
  private static final int PUTSTATIC = 0xb3;
  private static final int INVOKEVIRTUAL = 0xb6;
  private static final int INVOKESTATIC = 0xb8;
  private static final int INVOKEINTERFACE = 0xb9;
  private static final int INVOKEDYNAMIC = 0xba;
  private static final int GOTO_W = 0xc8;
  private static final int JSR_W = 0xc9;
  private static final byte[] LENGTH = CallSiteScan.LENGTH;

  private final CallSiteRewriter rewriter;
  private final ClassFile reader;
  private final byte[] b;
  /** Constants appended to the pool, and their indexes (keyed by tag and value). */
  private final Bytes pool = new Bytes();
  // Constants appended, found again by kind and key. A class gets a handful, so a linear search:
  // no hashing, no keys built by concatenation, no hash map code for the JIT to compile (this runs
  // for every rewritten class, mostly cold).
  private static final int K_UTF8 = 0;
  private static final int K_STRING = 1;
  private static final int K_CLASS = 2;
  /** Method refs of calls: the plans' own (or the guards'), told apart by identity. */
  private static final int K_METHODREF = 3;
  /** Bootstrap entries of bridged method references, by their arguments. */
  private static final int K_ADDED = 4;
  /** Method handles to bridges or shims, by bridge or shim call (identity). */
  private static final int K_HANDLE = 5;
  /** Invokedynamic entries of bridged method references, by bootstrap index and name-and-type. */
  private static final int K_INDY = 6;
  private Object[] keys = new Object[16];
  private byte[] kinds = new byte[16];
  private int[] indexes = new int[16];
  private int known;
  private int nextIndex;

  @DontInline
  private DirectRewriter(CallSiteRewriter rewriter, ClassFile reader, byte[] b) {
    this.rewriter = rewriter;
    this.reader = reader;
    this.b = b;
    this.nextIndex = reader.itemCount();
  }

  /**
   * Returns the rewritten class, null when nothing in it changes, or {@link #UNSUPPORTED}.
   *
   * @param methods per method in class-file order, whether the scan found something to look at
   */
  @DontInline
  static byte[] rewrite(CallSiteRewriter rewriter, ClassFile reader, CallSiteScan.Result methods) {
    if ((reader.access() & ACC_INTERFACE) != 0) {
      return UNSUPPORTED; // static methods of interfaces are called through interface method refs
    }
    return new DirectRewriter(rewriter, reader, reader.b).rewrite(methods);
  }

  @DontInline
  private byte[] rewrite(CallSiteScan.Result scan) {
    // The scan found the offsets: no walk over the members again. Loops live in methods of their
    // own (see CallSiteScan.scan).
    int methodsCountOffset = scan.methods();
    int methodsCount = u2(methodsCountOffset);
    int classAttributes = scan.attributes();
    findBootstrapMethods(classAttributes);
    byte[][] newCode = new byte[methodsCount][];
    int[] codeOffsets = scan.code();
    int changed = rewriteMethods(scan, newCode);
    if (changed <= 0) {
      return changed == 0 ? null : UNSUPPORTED;
    }
    Bytes bridgeMethods = bridgeMethods();
    if (bridgeMethods == null || nextIndex > 0xFFFF || methodsCount + bridges.size() > 0xFFFF) {
      return UNSUPPORTED;
    }
    // The class: the old pool and the appended constants, then everything up to the first changed
    // Code attribute, the new attribute, and so on; the bridges after the last method; the
    // bootstrap methods with those of the bridged method references appended. Its size is known.
    Bytes out = new Bytes(b.length + pool.size() + codeGrowth + bridgeMethods.size() + newBootstrap.size());
    out.write(b, 0, 8);
    out.write(nextIndex >>> 8);
    out.write(nextIndex);
    out.write(b, 10, reader.header - 10);
    pool.writeTo(out);
    out.write(b, reader.header, methodsCountOffset - reader.header);
    out.writeShort(methodsCount + bridges.size());
    int copied = writeMethods(out, methodsCountOffset + 2, newCode, codeOffsets);
    out.write(b, copied, classAttributes - copied);
    bridgeMethods.writeTo(out);
    if (newBootstrapCount > 0) {
      // Only the bootstrap methods attribute grows; the others are copied around it.
      out.write(b, classAttributes, bootstrapAttribute - classAttributes);
      int length = readInt(bootstrapAttribute + 2) + newBootstrap.size();
      out.write(b, bootstrapAttribute, 2);
      out.writeInt(length);
      out.writeShort(bootstrapCount + newBootstrapCount);
      int entries = bootstrapAttribute + 8;
      int entriesEnd = bootstrapAttribute + 6 + readInt(bootstrapAttribute + 2);
      out.write(b, entries, entriesEnd - entries);
      newBootstrap.writeTo(out);
      out.write(b, entriesEnd, b.length - entriesEnd);
    } else {
      out.write(b, classAttributes, b.length - classAttributes);
    }
    return out.toByteArray();
  }

  /** Rewrites the code of the methods the scan found; returns how many changed, -1 when only ASM can. */
  @DontInline
  private int rewriteMethods(CallSiteScan.Result scan, byte[][] newCode) {
    int[] code = scan.code();
    int changed = 0;
    for (int m = 0; m < code.length; m++) {
      if (code[m] != 0) {
        byte[] rewritten = rewriteCode(code[m], m == scan.clinit(), scan);
        if (rewritten == UNSUPPORTED) {
          return -1;
        }
        if (rewritten != null) {
          newCode[m] = rewritten;
          codeGrowth += rewritten.length - 6 - readInt(code[m] + 2);
          changed++;
        }
      }
    }
    return changed;
  }

  /** How many bytes the rewritten Code attributes add. */
  private int codeGrowth;

  /** The bridge methods, null when one cannot be made here. */
  @DontInline
  private Bytes bridgeMethods() {
    Bytes out = new Bytes(64 * bridges.size() + 16);
    for (Bridge bridge : bridges.values()) {
      if (!bridge(out, bridge)) {
        return null;
      }
    }
    return out;
  }

  /** Copies the methods from {@code copied} on with their new Code attributes; returns where copying stopped. */
  @DontInline
  private int writeMethods(Bytes out, int copied, byte[][] newCode, int[] codeOffsets) {
    for (int m = 0; m < newCode.length; m++) {
      if (newCode[m] != null) {
        out.write(b, copied, codeOffsets[m] - copied);
        out.write(newCode[m], 0, newCode[m].length);
        copied = codeOffsets[m] + 6 + readInt(codeOffsets[m] + 2);
      }
    }
    return copied;
  }

  // Method references to rewritten members: like the ASM rewriter, a private static bridge method
  // per member and source line makes the rewritten call, and the reference points at the bridge.

  /** A bridge: the member referenced (a static method), its rule, the line of the reference. */
  private record Bridge(String name, int memberRef, String owner, String member, String descriptor, Rule rule,
      Redirects.Plan plan, int line, Redirects.Call self) {}

  private final Map<String, Bridge> bridges = new java.util.LinkedHashMap<>();
  private int bootstrapAttribute;
  private int bootstrapCount;
  private int[] bootstrapOffsets;
  private final Bytes newBootstrap = new Bytes(32);
  private int newBootstrapCount;

  @DontInline
  private void findBootstrapMethods(int classAttributes) {
    int attributes = u2(classAttributes);
    int p = classAttributes + 2;
    for (int a = 0; a < attributes; a++) {
      if (isUtf8(u2(p), ClassFile.BOOTSTRAP_METHODS)) {
        bootstrapAttribute = p;
        bootstrapCount = u2(p + 6);
        bootstrapOffsets = new int[bootstrapCount];
        int q = p + 8;
        for (int k = 0; k < bootstrapCount; k++) {
          bootstrapOffsets[k] = q;
          q += 4 + 2 * u2(q + 2);
        }
        return;
      }
      p += 6 + readInt(p + 2);
    }
  }

  /**
   * The replacement of an invokedynamic whose bootstrap arguments reference rewritten members
   * (pointing them at bridges); null when none of them has a rule, {@link #UNSUPPORTED} when the
   * reference is not to a static method.
   */
  @DontInline
  private byte[] bridgeReferences(int p, int line) {
    int indy = reader.items[u2(p + 1)];
    int bootstrap = u2(indy);
    if (bootstrapOffsets == null || bootstrap >= bootstrapCount) {
      return UNSUPPORTED;
    }
    int entry = bootstrapOffsets[bootstrap];
    int args = u2(entry + 2);
    int[] newArgs = null;
    for (int k = 0; k < args; k++) {
      int arg = u2(entry + 4 + 2 * k);
      int handle = reader.items[arg];
      if (b[handle - 1] != METHOD_HANDLE) {
        continue;
      }
      int kind = b[handle] & 0xFF;
      int memberRef = u2(handle + 1);
      int ref = reader.items[memberRef];
      if (kind != H_INVOKESTATIC && kind != H_INVOKEVIRTUAL && kind != H_INVOKEINTERFACE
          && kind != H_NEWINVOKESPECIAL) {
        continue; // the ASM rewriter looks at these kinds only
      }
      String owner = reader.classAt(ref);
      int nameAndType = reader.items[u2(ref + 2)];
      String name = reader.utf8At(nameAndType);
      String descriptor = reader.utf8At(nameAndType + 2);
      CallSiteRewriter.Decision d = rewriter.decide(owner, name, descriptor);
      if (d.rule() == null) {
        continue;
      }
      if (newArgs == null) {
        newArgs = new int[args];
        for (int j = 0; j < args; j++) {
          newArgs[j] = u2(entry + 4 + 2 * j);
        }
      }
      if (kind == H_INVOKESTATIC && d.inPlace() != null) {
        // Straight to the shim, as the method ref itself would be redirected in the pool.
        newArgs[k] = constant(d.inPlace(), METHOD_HANDLE_TAG_AND_KIND, methodref(d.inPlace()), -2);
        continue;
      }
      if (kind != H_INVOKESTATIC || b[ref - 1] != METHODREF) {
        return UNSUPPORTED; // bridges taking a receiver or making a new object: the ASM rewriter's
      }
      String key = kind + " " + owner + "." + name + descriptor + " " + line;
      Bridge bridge = bridges.get(key);
      if (bridge == null) {
        String bridgeName = "durable$bridge$" + bridges.size();
        bridge = new Bridge(bridgeName, memberRef, owner, name, descriptor, d.rule(), d.plan(), line,
            new Redirects.Call(reader.className(), bridgeName, descriptor, false));
        bridges.put(key, bridge);
      }
      int bridgeRef = methodref(bridge.self());
      newArgs[k] = constant(bridge, METHOD_HANDLE_TAG_AND_KIND, bridgeRef, -2);
    }
    if (newArgs == null) {
      return null;
    }
    StringBuilder key = new StringBuilder("B").append(u2(entry));
    for (int arg : newArgs) {
      key.append(',').append(arg);
    }
    String bootstrapKey = key.toString();
    int newIndex = find(K_ADDED, bootstrapKey);
    if (newIndex < 0) {
      newIndex = bootstrapCount + newBootstrapCount++;
      remember(K_ADDED, bootstrapKey, newIndex);
      newBootstrap.write(b, entry, 4);
      for (int arg : newArgs) {
        newBootstrap.writeShort(arg);
      }
    }
    // Keyed by bootstrap method and name-and-type, packed into a number: no string to build.
    int newIndy = constant((long) newIndex << 16 | u2(indy + 2), INVOKE_DYNAMIC, newIndex, u2(indy + 2));
    return new byte[] {(byte) INVOKEDYNAMIC, (byte) (newIndy >>> 8), (byte) newIndy, 0, 0};
  }

  /** Writes a bridge method_info; false when its code would not fit the ASM rewriter's shape. */
  @DontInline
  private boolean bridge(Bytes out, Bridge bridge) {
    Bytes code = new Bytes(32);
    int sizes = org.objectweb.asm.Type.getArgumentsAndReturnSizes(bridge.descriptor());
    int argumentSlots = (sizes >> 2) - 1;
    int slot = 0;
    int i = 1;
    String desc = bridge.descriptor();
    while (desc.charAt(i) != ')') {
      char c = desc.charAt(i);
      int end = i + 1;
      if (c == '[' || c == 'L') {
        while (desc.charAt(end - 1) == '[') {
          end++;
        }
        if (desc.charAt(end - 1) == 'L') {
          end = desc.indexOf(';', end) + 1;
        }
      }
      int base = switch (c) {
        case 'J' -> 0x16; // lload
        case 'F' -> 0x17;
        case 'D' -> 0x18;
        case 'L', '[' -> 0x19;
        default -> 0x15; // iload: int, short, char, byte, boolean
      };
      if (slot < 4) {
        code.write(0x1a + (base - 0x15) * 4 + slot); // xload_<n>
      } else if (slot < 256) {
        code.write(base);
        code.write(slot);
      } else {
        return false;
      }
      slot += c == 'J' || c == 'D' ? 2 : 1;
      i = end;
    }
    int extra;
    Rule rule = bridge.rule();
    if (rule.kind() == Rule.Kind.FORBID) {
      code.write(guard(rule, bridge.owner().replace('/', '.') + "." + bridge.member(), "callSite"));
      code.write(INVOKESTATIC);
      code.writeShort(bridge.memberRef());
      extra = 2;
    } else {
      Redirects.Plan plan = bridge.plan();
      int height = 0;
      int peak = 0;
      if (plan.before() != null) {
        code.write(call(plan.before()));
        height += plan.before().stackChange();
        peak = Math.max(peak, height);
      }
      if (plan.target() != null) {
        code.write(call(plan.target()));
        height += plan.target().stackChange();
      } else {
        code.write(INVOKESTATIC);
        code.writeShort(bridge.memberRef());
        height += (sizes & 3) - argumentSlots;
      }
      peak = Math.max(peak, height);
      if (plan.after() != null) {
        code.write(call(plan.after()));
        height += plan.after().stackChange();
        peak = Math.max(peak, height);
      }
      extra = peak;
    }
    code.write(switch (desc.charAt(desc.indexOf(')') + 1)) {
      case 'V' -> 0xb1;
      case 'J' -> 0xad;
      case 'F' -> 0xae;
      case 'D' -> 0xaf;
      case 'L', '[' -> 0xb0;
      default -> 0xac;
    });
    out.writeShort(0x100A); // private static synthetic
    out.writeShort(utf8(bridge.name()));
    out.writeShort(utf8(desc));
    out.writeShort(1);
    out.writeShort(utf8("Code"));
    boolean line = bridge.line() > 0;
    out.writeInt(12 + code.size() + (line ? 12 : 0));
    out.writeShort(Math.max(argumentSlots + extra, sizes & 3));
    out.writeShort(argumentSlots);
    out.writeInt(code.size());
    code.writeTo(out);
    out.writeShort(0); // no exception handlers
    if (line) {
      // Without it a violation's top frame would be "durable$bridge$N(File.java)", with no line to look at.
      out.writeShort(1);
      out.writeShort(utf8("LineNumberTable"));
      out.writeInt(6);
      out.writeShort(1);
      out.writeShort(0);
      out.writeShort(bridge.line());
    } else {
      out.writeShort(0);
    }
    return true;
  }

  /** The line of the instruction at {@code pc}, as the ASM rewriter sees it: the last line number visited before it. */
  @DontInline
  private int lineAt(int attribute, int pc) {
    int codeLength = readInt(attribute + 10);
    int p = attribute + 14 + codeLength;
    p += 2 + 8 * u2(p);
    int attributes = u2(p);
    p += 2;
    int bestPc = -1;
    int line = 0;
    for (int a = 0; a < attributes; a++) {
      if (isUtf8(u2(p), ClassFile.LINE_NUMBER_TABLE)) {
        int count = u2(p + 6);
        for (int k = 0; k < count; k++) {
          int from = u2(p + 8 + 4 * k);
          if (from <= pc && from >= bestPc) {
            bestPc = from;
            line = u2(p + 10 + 4 * k);
          }
        }
      }
      p += 6 + readInt(p + 2);
    }
    return line;
  }

  /**
   * Returns the whole new Code attribute (name index and length included) of the attribute at
   * {@code attribute}, null when nothing in it changes, or {@link #UNSUPPORTED}.
   */
  @DontInline
  private byte[] rewriteCode(int attribute, boolean clinit, CallSiteScan.Result scan) {
    int codeLength = readInt(attribute + 10);
    int start = attribute + 14;
    int end = start + codeLength;
    // The loops over instructions are kept small, and the rare work in methods of its own: this
    // code runs cold, and a big loop body makes the JIT compiler spend long on it while the
    // application's class loading waits for its own code to be compiled.
    before = null;
    replace = null;
    after = null;
    touched = null;
    extraStack = 0;
    changes = 0;
    boolean[] marked = scan.marked();
    boolean[] indyMarked = scan.indyMarked();
    boolean putstatic = scan.staticWrites() && !clinit;
    for (int p = start; p < end; ) {
      int op = b[p] & 0xFF;
      if ((op >= INVOKEVIRTUAL && op <= INVOKEINTERFACE && marked[u2(p + 1)])
          || (op == INVOKEDYNAMIC && indyMarked != null && indyMarked[u2(p + 1)])
          || (op == PUTSTATIC && putstatic)) {
        if (!site(attribute, p, p - start, op, codeLength)) {
          return UNSUPPORTED;
        }
      }
      int length = LENGTH[op];
      if (length <= 0 && (length = CallSiteScan.length(b, p, start)) <= 0) {
        return UNSUPPORTED;
      }
      p += length;
    }
    if (changes == 0) {
      return null;
    }
    return relayout(attribute, u2(attribute + 6) + extraStack, codeLength, start);
  }

  // Per old instruction start of the method being rewritten: what goes before it, what replaces it
  // (null: itself), what goes after it; and the most the insertions add to the operand stack.
  private byte[][] before;
  private byte[][] replace;
  private byte[][] after;
  /** Whether one of the three is set at the old pc. */
  private boolean[] touched;
  private int extraStack;
  private int changes;

  /** Rewrites the call, method reference or static write at {@code p}; false when only ASM can. */
  @DontInline
  private boolean site(int attribute, int p, int pc, int op, int codeLength) {
    if (before == null) {
      before = new byte[codeLength][];
      replace = new byte[codeLength][];
      after = new byte[codeLength][];
      touched = new boolean[codeLength];
    }
    touched[pc] = true;
    if (op == INVOKEDYNAMIC) {
      byte[] bridged = bridgeReferences(p, lineAt(attribute, pc));
      if (bridged == UNSUPPORTED) {
        return false;
      }
      replace[pc] = bridged;
      changes += bridged == null ? 0 : 1;
      return true;
    }
    int ref = reader.items[u2(p + 1)];
    String owner = reader.classAt(ref);
    int nameAndType = reader.items[u2(ref + 2)];
    String name = reader.utf8At(nameAndType);
    String descriptor = reader.utf8At(nameAndType + 2);
    if (op == PUTSTATIC) {
      Rule rule = rewriter.staticWriteRule(owner, name, descriptor);
      if (rule != null) {
        before[pc] = guard(rule, owner.replace('/', '.') + "." + name, "staticWrite");
        extraStack = Math.max(extraStack, 2);
        changes++;
      }
      return true;
    }
    CallSiteRewriter.Decision d = rewriter.decide(owner, name, descriptor);
    if (d.rule() == null) {
      return true;
    }
    if (d.rule().kind() == Rule.Kind.FORBID) {
      before[pc] = guard(d.rule(), owner.replace('/', '.') + "." + name, "callSite");
      extraStack = Math.max(extraStack, 2);
      changes++;
      return true;
    }
    if (d.inPlace() != null) {
      replace[pc] = call(d.inPlace()); // the same stack change as the call it replaces
      changes++;
      return true;
    }
    if ("<init>".equals(name)) {
      return false; // a redirected constructor: the ASM rewriter follows the new expression
    }
    Redirects.Plan plan = d.plan();
    int height = 0;
    int peak = 0;
    if (plan.before() != null) {
      before[pc] = call(plan.before());
      height += plan.before().stackChange();
      peak = Math.max(peak, height);
    }
    if (plan.target() != null) {
      replace[pc] = call(plan.target());
      height += plan.target().stackChange();
    } else {
      int sizes = org.objectweb.asm.Type.getArgumentsAndReturnSizes(descriptor);
      height += (sizes & 3) - (sizes >> 2) + (op == INVOKESTATIC ? 1 : 0);
    }
    peak = Math.max(peak, height);
    if (plan.after() != null) {
      after[pc] = call(plan.after());
      height += plan.after().stackChange();
      peak = Math.max(peak, height);
    }
    extraStack = Math.max(extraStack, peak);
    changes++;
    return true;
  }

  /** Lays the code out again with the insertions and replacements, and moves every offset. */
  @DontInline
  private byte[] relayout(int attribute, int maxStack, int codeLength, int start) {
    // newPos[old pc] = where the instruction's block (what goes before it, then it) starts now;
    // newOp[old pc] = where the instruction itself starts now (jumps are relative to it).
    int[] newPos = new int[codeLength + 1];
    int[] newOp = new int[codeLength];
    Arrays.fill(newPos, -1);
    int shift = 0;
    boolean[] touched = this.touched;
    for (int pc = 0; pc < codeLength; ) {
      int p = start + pc;
      int op = b[p] & 0xFF;
      int length = LENGTH[op];
      newPos[pc] = pc + shift;
      if (length <= 0 || touched[pc]) { // a switch (its padding may change), or a rewritten site
        length = CallSiteScan.length(b, p, start);
        shift = layOut(pc, op, length, shift);
        newOp[pc] = newPos[pc] + (before[pc] == null ? 0 : before[pc].length);
      } else {
        newOp[pc] = newPos[pc];
      }
      pc += length;
    }
    int newLength = codeLength + shift;
    newPos[codeLength] = newLength;
    if (newLength > 0xFFFF) {
      return UNSUPPORTED;
    }

    // Unchanged instructions are copied in runs; jumps, switches and rewritten sites one by one.
    Bytes code = new Bytes(newLength);
    int copyFrom = start;
    for (int pc = 0; pc < codeLength; ) {
      int p = start + pc;
      int op = b[p] & 0xFF;
      int length = LENGTH[op];
      if (length <= 0) {
        length = CallSiteScan.length(b, p, start);
      }
      boolean jump = (op >= 0x99 && op <= 0xa8) || op == 0xc6 || op == 0xc7 || op == GOTO_W || op == JSR_W;
      if (jump || op == TABLESWITCH || op == LOOKUPSWITCH || touched[pc]) {
        code.write(b, copyFrom, p - copyFrom);
        if (!emit(code, p, pc, op, length, newPos, newOp)) {
          return UNSUPPORTED;
        }
        copyFrom = p + length;
      }
      pc += length;
    }
    code.write(b, copyFrom, start + codeLength - copyFrom);
    if (code.size() != newLength) {
      throw new IllegalStateException("relaid code is " + code.size() + " bytes, expected " + newLength);
    }
    return codeAttribute(attribute, maxStack, codeLength, start, code, newPos);
  }

  /** The shift after the instruction at {@code pc}, given the shift before it. */
  @DontInline
  private int layOut(int pc, int op, int length, int shift) {
    shift += before[pc] == null ? 0 : before[pc].length;
    if (op == TABLESWITCH || op == LOOKUPSWITCH) {
      int newPc = pc + shift;
      shift += (3 - (newPc & 3)) - (3 - (pc & 3)); // the padding after the opcode changes
    } else if (replace[pc] != null) {
      shift += replace[pc].length - length;
    }
    return shift + (after[pc] == null ? 0 : after[pc].length);
  }

  /** Writes one jump, switch or rewritten instruction; false when a jump no longer fits. */
  @DontInline
  private boolean emit(Bytes code, int p, int pc, int op, int length, int[] newPos, int[] newOp) {
    write(code, before[pc]);
    if (replace[pc] != null) {
      write(code, replace[pc]);
    } else if (op == TABLESWITCH || op == LOOKUPSWITCH) {
      code.write(op);
      for (int k = 0; k < 3 - (newOp[pc] & 3); k++) {
        code.write(0);
      }
      int q = p + 4 - (pc & 3);
      code.writeInt(moved(newPos, pc, readInt(q), newOp));
      if (op == TABLESWITCH) {
        int low = readInt(q + 4);
        int high = readInt(q + 8);
        code.writeInt(low);
        code.writeInt(high);
        for (int k = 0; k < high - low + 1; k++) {
          code.writeInt(moved(newPos, pc, readInt(q + 12 + 4 * k), newOp));
        }
      } else {
        int pairs = readInt(q + 4);
        code.writeInt(pairs);
        for (int k = 0; k < pairs; k++) {
          code.writeInt(readInt(q + 8 + 8 * k));
          code.writeInt(moved(newPos, pc, readInt(q + 12 + 8 * k), newOp));
        }
      }
    } else if (op == GOTO_W || op == JSR_W) {
      code.write(op);
      code.writeInt(moved(newPos, pc, readInt(p + 1), newOp));
    } else if ((op >= 0x99 && op <= 0xa8) || op == 0xc6 || op == 0xc7) {
      int offset = moved(newPos, pc, (short) u2(p + 1), newOp);
      if (offset != (short) offset) {
        return false; // would need a wide jump: ASM knows how to do that
      }
      code.write(op);
      code.write(offset >>> 8);
      code.write(offset);
    } else {
      code.write(b, p, length);
    }
    write(code, after[pc]);
    return true;
  }

  /** The Code attribute around the new code: handlers, line numbers, local variables and frames moved. */
  @DontInline
  private byte[] codeAttribute(int attribute, int maxStack, int codeLength, int start, Bytes code, int[] newPos) {
    int newLength = code.size();
    Bytes out = new Bytes(newLength + 64);
    out.write(b, attribute, 2); // attribute name
    out.writeInt(0); // length, set at the end
    out.writeShort(maxStack);
    out.write(b, attribute + 8, 2); // max locals
    out.writeInt(newLength);
    code.writeTo(out);
    int p = start + codeLength;
    int handlers = u2(p);
    out.writeShort(handlers);
    p += 2;
    for (int h = 0; h < handlers; h++, p += 8) {
      out.writeShort(at(newPos, u2(p)));
      out.writeShort(at(newPos, u2(p + 2)));
      out.writeShort(at(newPos, u2(p + 4)));
      out.write(b, p + 6, 2);
    }
    int attributes = u2(p);
    out.writeShort(attributes);
    p += 2;
    for (int a = 0; a < attributes; a++) {
      int length = readInt(p + 2);
      int body = p + 6;
      int name = u2(p);
      out.write(b, p, 2);
      if (isUtf8(name, ClassFile.LINE_NUMBER_TABLE)) {
        out.writeInt(length);
        int count = u2(body);
        out.writeShort(count);
        for (int k = 0; k < count; k++) {
          out.writeShort(at(newPos, u2(body + 2 + 4 * k)));
          out.write(b, body + 4 + 4 * k, 2);
        }
      } else if (isUtf8(name, ClassFile.LOCAL_VARIABLE_TABLE) || isUtf8(name, ClassFile.LOCAL_VARIABLE_TYPE_TABLE)) {
        out.writeInt(length);
        int count = u2(body);
        out.writeShort(count);
        for (int k = 0; k < count; k++) {
          int entry = body + 2 + 10 * k;
          int from = u2(entry);
          int newFrom = at(newPos, from);
          out.writeShort(newFrom);
          out.writeShort(at(newPos, from + u2(entry + 2)) - newFrom);
          out.write(b, entry + 4, 6);
        }
      } else if (isUtf8(name, ClassFile.STACK_MAP_TABLE)) {
        byte[] frames = frames(body, newPos);
        if (frames == null) {
          return UNSUPPORTED;
        }
        out.writeInt(frames.length);
        out.write(frames, 0, frames.length);
      } else {
        return UNSUPPORTED; // type annotations or another attribute with offsets we do not know
      }
      p = body + length;
    }
    byte[] result = out.toByteArray();
    int length = result.length - 6;
    result[2] = (byte) (length >>> 24);
    result[3] = (byte) (length >>> 16);
    result[4] = (byte) (length >>> 8);
    result[5] = (byte) length;
    return result;
  }

  /** The new relative offset of a jump at old {@code pc} by {@code offset}. */
  @DontInline
  private static int moved(int[] newPos, int pc, int offset, int[] newOp) {
    return at(newPos, pc + offset) - newOp[pc];
  }

  @DontInline
  private static int at(int[] newPos, int oldPc) {
    int moved = oldPc >= 0 && oldPc < newPos.length ? newPos[oldPc] : -1;
    if (moved < 0) {
      throw new IllegalStateException("offset " + oldPc + " is not at an instruction");
    }
    return moved;
  }

  /** The StackMapTable body with frames at their new offsets, or null when a frame is not understood. */
  @DontInline
  private byte[] frames(int body, int[] newPos) {
    Bytes out = new Bytes();
    int count = u2(body);
    out.writeShort(count);
    int p = body + 2;
    int oldOffset = -1;
    int newOffset = -1;
    for (int f = 0; f < count; f++) {
      int type = b[p] & 0xFF;
      int delta;
      if (type < 64) {
        delta = type;
        p += 1;
      } else if (type < 128) {
        delta = type - 64;
        p += 1;
      } else if (type >= 247) {
        delta = u2(p + 1);
        p += 3;
      } else {
        return null; // reserved frame types
      }
      oldOffset += delta + 1;
      int moved = at(newPos, oldOffset);
      int newDelta = moved - newOffset - 1;
      newOffset = moved;
      if (type < 64 || type == 251) {
        if (newDelta < 64) {
          out.write(newDelta);
        } else {
          out.write(251);
          out.writeShort(newDelta);
        }
      } else if (type < 128 || type == 247) {
        if (newDelta < 64) {
          out.write(64 + newDelta);
        } else {
          out.write(247);
          out.writeShort(newDelta);
        }
        p = copyType(out, p, newPos);
      } else if (type < 251) {
        out.write(type);
        out.writeShort(newDelta);
      } else if (type < 255) {
        out.write(type);
        out.writeShort(newDelta);
        for (int k = 0; k < type - 251; k++) {
          p = copyType(out, p, newPos);
        }
      } else {
        out.write(type);
        out.writeShort(newDelta);
        int locals = u2(p);
        out.write(b, p, 2);
        p += 2;
        for (int k = 0; k < locals; k++) {
          p = copyType(out, p, newPos);
        }
        int stack = u2(p);
        out.write(b, p, 2);
        p += 2;
        for (int k = 0; k < stack; k++) {
          p = copyType(out, p, newPos);
        }
      }
    }
    return out.toByteArray();
  }

  /** Copies one verification type; an uninitialized one names the offset of its NEW, which moves. */
  @DontInline
  private int copyType(Bytes out, int p, int[] newPos) {
    int tag = b[p] & 0xFF;
    out.write(tag);
    if (tag == 7) {
      out.write(b, p + 1, 2);
      return p + 3;
    }
    if (tag == 8) {
      out.writeShort(at(newPos, u2(p + 1)));
      return p + 3;
    }
    return p + 1;
  }

  /** {@code ldc rule id; ldc member; invokestatic Guards.<check>}: what the ASM rewriter inserts too. */
  @DontInline
  private byte[] guard(Rule rule, String member, String check) {
    Bytes out = new Bytes(12);
    ldc(out, string(rule.id()));
    ldc(out, string(member));
    int guard = methodref(check.equals("callSite") ? CALL_SITE_GUARD : STATIC_WRITE_GUARD);
    out.write(INVOKESTATIC);
    out.writeShort(guard);
    return out.toByteArray();
  }

  private static final Redirects.Call CALL_SITE_GUARD =
      new Redirects.Call(Redirects.GUARDS, "callSite", "(Ljava/lang/String;Ljava/lang/String;)V");
  private static final Redirects.Call STATIC_WRITE_GUARD =
      new Redirects.Call(Redirects.GUARDS, "staticWrite", "(Ljava/lang/String;Ljava/lang/String;)V");

  @DontInline
  private byte[] call(Redirects.Call call) {
    int index = methodref(call);
    return new byte[] {(byte) INVOKESTATIC, (byte) (index >>> 8), (byte) index};
  }

  @DontInline
  private static void ldc(Bytes out, int index) {
    if (index < 256) {
      out.write(LDC);
      out.write(index);
    } else {
      out.write(LDC_W);
      out.writeShort(index);
    }
  }

  @DontInline
  private int string(String value) {
    int index = find(K_STRING, value);
    if (index < 0) {
      index = constant(null, STRING, utf8(value), -1);
      remember(K_STRING, value, index);
    }
    return index;
  }

  /** The method ref of a call. */
  @DontInline
  private int methodref(Redirects.Call call) {
    int index = find(K_METHODREF, call);
    if (index < 0) {
      byte[][] constants = call.constants();
      int type = find(K_CLASS, call.owner());
      if (type < 0) {
        type = constant(null, CLASS, utf8(call.owner(), constants, 0), -1);
        remember(K_CLASS, call.owner(), type);
      }
      int nameAndType = constant(null, NAME_AND_TYPE, utf8(call.name(), constants, 1),
          utf8(call.descriptor(), constants, 2));
      index = constant(null, METHODREF, type, nameAndType);
      remember(K_METHODREF, call, index);
    }
    return index;
  }

  /** The index remembered for a constant of this kind and key, -1 if none. */
  @DontInline
  private int find(int kind, Object key) {
    for (int i = 0; i < known; i++) {
      Object k = keys[i];
      if (kinds[i] == kind && (k == key || (kind != K_METHODREF && kind != K_HANDLE && k.equals(key)))) {
        return indexes[i];
      }
    }
    return -1;
  }

  @DontInline
  private void remember(int kind, Object key, int index) {
    if (known == keys.length) {
      keys = Arrays.copyOf(keys, known * 2);
      kinds = Arrays.copyOf(kinds, known * 2);
      indexes = Arrays.copyOf(indexes, known * 2);
    }
    keys[known] = key;
    kinds[known] = (byte) kind;
    indexes[known++] = index;
  }

  /**
   * Appends a constant of two (second negative: one) u2 fields; {@link #METHOD_HANDLE_TAG_AND_KIND}
   * appends a method handle of kind invokestatic to {@code first}. A {@code key} (a bridge or a
   * shim call for its method handle, a packed number for an invokedynamic) finds the constant
   * again; null: none.
   */
  @DontInline
  private int constant(Object key, int tag, int first, int second) {
    int kind = key instanceof Bridge || key instanceof Redirects.Call ? K_HANDLE : K_INDY;
    int existing = key == null ? -1 : find(kind, key);
    if (existing >= 0) {
      return existing;
    }
    if (tag == METHOD_HANDLE_TAG_AND_KIND) {
      pool.write(METHOD_HANDLE);
      pool.write(H_INVOKESTATIC);
      pool.writeShort(first);
    } else {
      pool.write(tag);
      pool.writeShort(first);
      if (second >= 0) {
        pool.writeShort(second);
      }
    }
    int index = nextIndex++;
    if (key != null) {
      remember(kind, key, index);
    }
    return index;
  }

  @DontInline
  private int utf8(String value) {
    int index = find(K_UTF8, value);
    if (index >= 0) {
      return index;
    }
    byte[] encoded = ENCODED.get(value);
    if (encoded == null) {
      encoded = encode(value);
      if (ENCODED.size() < 10_000) {
        ENCODED.put(value, encoded);
      }
    }
    return append(value, encoded);
  }

  /**
   * {@link #utf8(String)} of a value encoded beforehand ({@link #encode}); if {@code constants} is
   * null (a name of this class only), encoded here and not kept.
   */
  @DontInline
  private int utf8(String value, byte[][] constants, int which) {
    int index = find(K_UTF8, value);
    return index >= 0 ? index : append(value, constants == null ? encode(value) : constants[which]);
  }

  @DontInline
  private int append(String value, byte[] encoded) {
    int index;
    pool.write(encoded);
    index = nextIndex++;
    remember(K_UTF8, value, index);
    return index;
  }

  /**
   * Encoded UTF-8 constants (tag, length, bytes) by value: the same shim and guard names go into
   * every rewritten class.
   */
  private static final Map<String, byte[]> ENCODED = new java.util.concurrent.ConcurrentHashMap<>();

  /** A CONSTANT_Utf8 entry: tag, length, then the class file's modified UTF-8. */
  @DontInline
  static byte[] encode(String value) {
    byte[] utf8 = modifiedUtf8(value);
    byte[] out = new byte[utf8.length + 3];
    out[0] = UTF8;
    out[1] = (byte) (utf8.length >>> 8);
    out[2] = (byte) utf8.length;
    System.arraycopy(utf8, 0, out, 3, utf8.length);
    return out;
  }

  /** A string in the class file's modified UTF-8. */
  @DontInline
  static byte[] modifiedUtf8(String value) {
    // Names are nearly always ASCII without NUL, where modified UTF-8 is one byte per char: then
    // the JDK's (compiled) encoder does it in a few calls, instead of a loop the interpreter would
    // run char by char for the first classes. The round trip tells ASCII from anything else.
    byte[] ascii = value.getBytes(StandardCharsets.UTF_8);
    if (ascii.length == value.length() && value.indexOf(0) < 0
        && value.equals(new String(ascii, StandardCharsets.ISO_8859_1))) {
      return ascii;
    }
    Bytes bytes = new Bytes(value.length() + 8);
    for (int k = 0; k < value.length(); k++) {
      char c = value.charAt(k);
      if (c >= 0x0001 && c <= 0x007F) {
        bytes.write(c);
      } else if (c <= 0x07FF) {
        bytes.write(0xC0 | (c >> 6));
        bytes.write(0x80 | (c & 0x3F));
      } else {
        bytes.write(0xE0 | (c >> 12));
        bytes.write(0x80 | ((c >> 6) & 0x3F));
        bytes.write(0x80 | (c & 0x3F));
      }
    }
    return bytes.toByteArray();
  }

  @DontInline
  private boolean isUtf8(int index, byte[] expected) {
    return reader.isUtf8(index, expected);
  }

  @DontInline
  private int skipAttributes(int offset) {
    int attributes = u2(offset);
    offset += 2;
    for (int a = 0; a < attributes; a++) {
      offset += 6 + readInt(offset + 2);
    }
    return offset;
  }

  @DontInline
  private int u2(int offset) {
    return ((b[offset] & 0xFF) << 8) | (b[offset + 1] & 0xFF);
  }

  @DontInline
  private int readInt(int offset) {
    return ((b[offset] & 0xFF) << 24) | ((b[offset + 1] & 0xFF) << 16) | ((b[offset + 2] & 0xFF) << 8)
        | (b[offset + 3] & 0xFF);
  }

  @DontInline
  private static void write(Bytes out, byte[] bytes) {
    if (bytes != null) {
      out.write(bytes, 0, bytes.length);
    }
  }


  /** A growing byte array (not synchronized, unlike ByteArrayOutputStream: this code runs cold). */
  private static final class Bytes {
    private byte[] data;
    private int size;

    @DontInline
    Bytes() {
      this(64);
    }

    @DontInline
    Bytes(int capacity) {
      data = new byte[Math.max(16, capacity)];
    }

    @DontInline
    void write(int value) {
      if (size == data.length) {
        data = Arrays.copyOf(data, data.length * 2);
      }
      data[size++] = (byte) value;
    }

    @DontInline
    void write(byte[] bytes) {
      write(bytes, 0, bytes.length);
    }

    /** A u2, in one call (the interpreter, where the first classes are rewritten, pays for each). */
    @DontInline
    void writeShort(int value) {
      if (size + 2 > data.length) {
        data = Arrays.copyOf(data, Math.max(data.length * 2, size + 2));
      }
      data[size] = (byte) (value >>> 8);
      data[size + 1] = (byte) value;
      size += 2;
    }

    @DontInline
    void writeInt(int value) {
      if (size + 4 > data.length) {
        data = Arrays.copyOf(data, Math.max(data.length * 2, size + 4));
      }
      data[size] = (byte) (value >>> 24);
      data[size + 1] = (byte) (value >>> 16);
      data[size + 2] = (byte) (value >>> 8);
      data[size + 3] = (byte) value;
      size += 4;
    }

    @DontInline
    void write(byte[] bytes, int offset, int length) {
      if (size + length > data.length) {
        data = Arrays.copyOf(data, Math.max(data.length * 2, size + length));
      }
      System.arraycopy(bytes, offset, data, size, length);
      size += length;
    }

    @DontInline
    void writeTo(Bytes out) {
      out.write(data, 0, size);
    }

    @DontInline
    int size() {
      return size;
    }

    @DontInline
    byte[] toByteArray() {
      return size == data.length ? data : Arrays.copyOf(data, size);
    }
  }
}
