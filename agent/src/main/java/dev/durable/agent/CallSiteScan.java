package dev.durable.agent;

import dev.durable.agent.jit.DontInline;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * Decides from a class file's bytes, without ASM visiting anything, which of its methods may
 * contain something to rewrite. A pass over the constant pool marks the entries that refer to a
 * member with call-site rules (method refs, method handles to them, invokedynamic entries whose
 * bootstrap arguments hold such a handle); a pass over each method's instructions then looks for
 * an instruction using a marked entry, or for a {@code putstatic} outside {@code <clinit>} when
 * static writes are checked.
 *
 * <p>Most classes have no such instruction and are not rewritten at all; in the others, only the
 * methods with one are visited instruction by instruction, and ASM copies the rest byte for byte.
 * A method found here is only a maybe (the rules decide per member); a method not found here has
 * nothing to rewrite, which is what makes skipping it safe. Anything unexpected in the bytes (an
 * unknown opcode) marks the method, so the full rewriter looks at it as before.
 */
final class CallSiteScan {
  private static final int FIELDREF = 9;
  private static final int METHODREF = 10;
  private static final int INTERFACE_METHODREF = 11;
  private static final int METHOD_HANDLE = 15;
  private static final int INVOKE_DYNAMIC = 18;
  private static final int ACC_STATIC = 0x0008;
  private static final int ACC_FINAL = 0x0010;

  private static final int PUTSTATIC = 0xb3;
  private static final int INVOKEVIRTUAL = 0xb6;
  private static final int INVOKESPECIAL = 0xb7;
  private static final int INVOKESTATIC = 0xb8;
  private static final int INVOKEINTERFACE = 0xb9;
  private static final int INVOKEDYNAMIC = 0xba;
  private static final int TABLESWITCH = 0xaa;
  private static final int LOOKUPSWITCH = 0xab;
  private static final int WIDE = 0xc4;
  private static final int IINC = 0x84;

  /** Length in bytes of each instruction of fixed length; 0: variable (switches, wide) or not an opcode. */
  static final byte[] LENGTH = new byte[256];

  static {
    fill(0x00, 0x0f, 1); // nop, constants
    LENGTH[0x10] = 2; // bipush
    LENGTH[0x11] = 3; // sipush
    LENGTH[0x12] = 2; // ldc
    fill(0x13, 0x14, 3); // ldc_w, ldc2_w
    fill(0x15, 0x19, 2); // loads with an index
    fill(0x1a, 0x35, 1); // loads _n, array loads
    fill(0x36, 0x3a, 2); // stores with an index
    fill(0x3b, 0x83, 1); // stores _n, array stores, stack, arithmetic
    LENGTH[IINC] = 3;
    fill(0x85, 0x98, 1); // conversions, comparisons
    fill(0x99, 0xa8, 3); // branches, goto, jsr
    LENGTH[0xa9] = 2; // ret
    fill(0xac, 0xb1, 1); // returns
    fill(0xb2, 0xb8, 3); // field access, invokevirtual/special/static
    fill(0xb9, 0xba, 5); // invokeinterface, invokedynamic
    LENGTH[0xbb] = 3; // new
    LENGTH[0xbc] = 2; // newarray
    LENGTH[0xbd] = 3; // anewarray
    fill(0xbe, 0xbf, 1); // arraylength, athrow
    fill(0xc0, 0xc1, 3); // checkcast, instanceof
    fill(0xc2, 0xc3, 1); // monitorenter, monitorexit
    LENGTH[0xc5] = 4; // multianewarray
    fill(0xc6, 0xc7, 3); // ifnull, ifnonnull
    fill(0xc8, 0xc9, 5); // goto_w, jsr_w
  }

  @DontInline
  private static void fill(int from, int to, int length) {
    for (int op = from; op <= to; op++) {
      LENGTH[op] = (byte) length;
    }
  }

  /** The internal names of the classes with call-site rules, as modified UTF-8, by length. */
  private final byte[][][] ownersByLength;
  /** Per owner of {@link #ownersByLength} (same places), the names of its members with rules; null: every member. */
  private final byte[][][][] membersByLength;
  private final boolean anyOwner;
  private final boolean staticWrites;

  /**
   * @param callMembers per internal name of a class with call-site rules, the names of the members
   *     they name (empty: every member)
   * @param anyOwner whether a call-site rule has an owner pattern, so that any call may match
   * @param staticWrites whether writes to static fields are checked
   */
  @DontInline
  CallSiteScan(Map<String, Set<String>> callMembers, boolean anyOwner, boolean staticWrites) {
    int longest = 0;
    for (String owner : callMembers.keySet()) {
      longest = Math.max(longest, DirectRewriter.modifiedUtf8(owner).length);
    }
    this.ownersByLength = new byte[longest + 1][][];
    this.membersByLength = new byte[longest + 1][][][];
    for (Map.Entry<String, Set<String>> e : callMembers.entrySet()) {
      byte[] encoded = DirectRewriter.modifiedUtf8(e.getKey());
      byte[][] members = null; // every member
      if (!e.getValue().isEmpty()) {
        members = new byte[e.getValue().size()][];
        int k = 0;
        for (String name : e.getValue()) {
          members[k++] = DirectRewriter.modifiedUtf8(name);
        }
      }
      int length = encoded.length;
      int at = ownersByLength[length] == null ? 0 : ownersByLength[length].length;
      ownersByLength[length] = at == 0 ? new byte[1][] : Arrays.copyOf(ownersByLength[length], at + 1);
      membersByLength[length] = at == 0 ? new byte[1][][] : Arrays.copyOf(membersByLength[length], at + 1);
      ownersByLength[length][at] = encoded;
      membersByLength[length][at] = members;
    }
    this.anyOwner = anyOwner;
    this.staticWrites = staticWrites;
  }

  /**
   * What the scan found in one class.
   *
   * @param visit per method in class-file order, whether it may have something to rewrite
   * @param code per method in class-file order, the offset of the Code attribute of a method to
   *     visit (0 for the others)
   * @param clinit the index of the {@code <clinit>} method, -1 if none
   * @param methods the offset of the class's method count
   * @param attributes the offset of the class's attribute count, after the methods
   * @param marked per constant pool index, whether it is a method ref or handle with call-site rules
   * @param indyMarked per constant pool index, whether it is an invokedynamic with a marked handle
   *     among its bootstrap arguments; null when there is none
   * @param staticWrites whether static writes are checked: every {@code putstatic} outside {@code <clinit>} of a
   *     visited method is looked at, as the ASM rewriter does
   */
  record Result(boolean[] visit, int[] code, int clinit, int methods, int attributes, boolean[] marked,
      boolean[] indyMarked, boolean staticWrites) {}

  private static final int ANY_MARKED = 1;
  private static final int ANY_HANDLE = 2;
  private static final int OTHER_STATIC = 4;

  /**
   * The first stage of the scan, over the constant pool and the fields only.
   *
   * @param marked per constant pool index, whether it is a method ref to a member with call-site rules
   * @param found what else the pool holds ({@link #ANY_MARKED}, {@link #ANY_HANDLE})
   * @param putstatic whether a {@code putstatic} of the class's code may need a check: the code must
   *     then be walked for it
   */
  record Pool(boolean[] marked, int found, boolean putstatic) {}

  /** Returns what may need rewriting in the class, or null when nothing can. */
  @DontInline
  Result scan(ClassFile cf) {
    Pool pool = pool(cf);
    return pool == null ? null : code(cf, pool);
  }

  /** The first stage: marks the constant pool; null when nothing in the class can need rewriting. */
  @DontInline
  Pool pool(ClassFile cf) {
    // Which constant pool entries a rewritten instruction could use. Each loop is a small method
    // of its own, and this one has none: this code runs cold, and a big method with loops inlined
    // makes the JIT compiler spend long on it (compiled twice: on-stack replacement, then whole)
    // while the application's own code waits to be compiled. Owners are compared as bytes, once
    // per class entry: no string is made for a class that loads.
    boolean[] marked = new boolean[cf.items.length];
    int found = markPool(cf, marked);
    boolean anyMarked = (found & ANY_MARKED) != 0;
    if (!anyMarked && !staticWrites) {
      return null;
    }
    boolean putstatic = staticWrites && ((found & OTHER_STATIC) != 0 || writableStaticField(cf.b, fields(cf)));
    return anyMarked || putstatic ? new Pool(marked, found, putstatic) : null;
  }

  /** The second stage: which methods have an instruction to look at; null when none has. */
  @DontInline
  Result code(ClassFile cf, Pool pool) {
    byte[] b = cf.b;
    boolean[] marked = pool.marked();
    int methods = skipMembers(b, fields(cf));
    int attributes = skipMembers(b, methods);
    boolean[] indyMarked = (pool.found() & ANY_HANDLE) != 0 && markHandles(cf, marked)
        ? markInvokeDynamics(cf, attributes, marked) : null;
    int count = readU2(b, methods);
    int[] code = new int[count];
    int clinit = findCode(cf, methods, code);
    boolean[] visit = new boolean[count];
    return toVisit(b, code, clinit, visit, marked, indyMarked, pool.putstatic())
        ? new Result(visit, code, clinit, methods, attributes, marked, indyMarked, staticWrites) : null;
  }

  /** The offset of the class's field count: after the class header and its interfaces. */
  @DontInline
  private static int fields(ClassFile cf) {
    return cf.header + 8 + 2 * readU2(cf.b, cf.header + 6);
  }

  /** Sets {@code visit} for the methods with an instruction to look at (and clears the others' code offset); whether there is one. */
  @DontInline
  private static boolean toVisit(byte[] b, int[] code, int clinit, boolean[] visit, boolean[] marked,
      boolean[] indyMarked, boolean putstatic) {
    boolean any = false;
    for (int m = 0; m < code.length; m++) {
      if (code[m] != 0 && codeMayNeedRewrite(b, code[m] + 6, marked, indyMarked, putstatic && m != clinit)) {
        visit[m] = any = true;
      } else {
        code[m] = 0;
      }
    }
    return any;
  }

  /**
   * Marks the method refs to members with call-site rules; returns {@link #ANY_MARKED} if there is
   * one, {@link #ANY_HANDLE} if the pool has a method handle, {@link #OTHER_STATIC} if a field ref may
   * be a checked static field of another class.
   */
  @DontInline
  private int markPool(ClassFile cf, boolean[] marked) {
    byte[] b = cf.b;
    int[] items = cf.items;
    // Per class entry: 0 not looked at, 1 not an owner, else 2 + the owner's place among those of its length.
    short[] owners = anyOwner ? null : new short[items.length];
    int found = 0;
    for (int i = 1; i < items.length; i++) {
      int offset = items[i];
      if (offset == 0) {
        continue; // the second slot of a long or double
      }
      int tag = b[offset - 1];
      if (tag == METHODREF || tag == INTERFACE_METHODREF) {
        if (anyOwner || isMember(cf, owners, offset)) {
          marked[i] = true;
          found |= ANY_MARKED;
        }
      } else if (tag == METHOD_HANDLE) {
        found |= ANY_HANDLE;
      } else if (tag == FIELDREF && staticWrites && (found & OTHER_STATIC) == 0 && otherClassStatic(cf, offset)) {
        found |= OTHER_STATIC;
      }
    }
    return found;
  }

  /** Whether a field of the fields at {@code offset} is static and not final: the class's own code may write it. */
  @DontInline
  private static boolean writableStaticField(byte[] b, int offset) {
    int fields = readU2(b, offset);
    offset += 2;
    for (int f = 0; f < fields; f++) {
      int access = readU2(b, offset);
      if ((access & ACC_STATIC) != 0 && (access & ACC_FINAL) == 0) {
        return true;
      }
      offset = skipAttributes(b, offset + 6);
    }
    return false;
  }

  /** The offset after the fields or methods whose count is at {@code offset}. */
  @DontInline
  static int skipMembers(byte[] b, int offset) {
    int members = readU2(b, offset);
    offset += 2;
    for (int m = 0; m < members; m++) {
      offset = skipAttributes(b, offset + 6);
    }
    return offset;
  }

  /**
   * Sets the offset of each method's Code attribute (0: none) of the methods at {@code offset};
   * returns the index of {@code <clinit>}, -1 if none.
   */
  @DontInline
  private static int findCode(ClassFile cf, int offset, int[] code) {
    byte[] b = cf.b;
    int clinit = -1;
    offset += 2;
    for (int m = 0; m < code.length; m++) {
      if (cf.isUtf8(readU2(b, offset + 2), ClassFile.CLINIT)) {
        clinit = m;
      }
      int attributes = readU2(b, offset + 6);
      offset += 8;
      for (int a = 0; a < attributes; a++) {
        if (cf.isUtf8(readU2(b, offset), ClassFile.CODE)) {
          code[m] = offset;
        }
        offset += 6 + readInt(b, offset + 2);
      }
    }
    return clinit;
  }

  /**
   * Whether the method ref at {@code offset} names a member with call-site rules: its class is an
   * owner (decided once per class entry), and its name one the owner's rules name.
   */
  @DontInline
  private boolean isMember(ClassFile cf, short[] owners, int offset) {
    byte[] b = cf.b;
    int index = readU2(b, offset);
    int known = owners[index];
    if (known == 1) {
      return false;
    }
    int ownerName = cf.items[readU2(b, cf.items[index])];
    if (known == 0) {
      known = 2 + matchOwner(b, ownerName);
      owners[index] = (short) known;
      if (known == 1) {
        return false;
      }
    }
    byte[][] members = membersByLength[readU2(b, ownerName)][known - 2];
    return members == null || matchesAny(b, cf.items[readU2(b, cf.items[readU2(b, offset + 2)])], members);
  }

  /** The place of the UTF-8 entry at {@code offset} among the owners' names of its length, or -1. */
  @DontInline
  private int matchOwner(byte[] b, int offset) {
    int length = readU2(b, offset);
    byte[][] candidates = length < ownersByLength.length ? ownersByLength[length] : null;
    return candidates == null ? -1 : indexOf(b, offset, candidates);
  }

  /** Whether the UTF-8 entry at {@code offset} is one of {@code names}, byte for byte. */
  @DontInline
  private static boolean matchesAny(byte[] b, int offset, byte[][] names) {
    return indexOf(b, offset, names) >= 0;
  }

  /** The index in {@code names} of the UTF-8 entry at {@code offset}, byte for byte, or -1. */
  @DontInline
  private static int indexOf(byte[] b, int offset, byte[][] names) {
    int length = readU2(b, offset);
    int start = offset + 2;
    for (int i = 0; i < names.length; i++) {
      byte[] candidate = names[i];
      if (candidate.length != length) {
        continue;
      }
      int k = length - 1; // names of one package share their start: compare from the end
      while (k >= 0 && b[start + k] == candidate[k]) {
        k--;
      }
      if (k < 0) {
        return i;
      }
    }
    return -1;
  }

  /** Whether the field ref at {@code offset} may be a static field of another class that we check. */
  @DontInline
  private static boolean otherClassStatic(ClassFile cf, int offset) {
    // A static field of another class may be written here; JDK statics that can be written are not ours.
    byte[] b = cf.b;
    int owner = readU2(b, offset);
    int self = readU2(b, cf.header + 2);
    if (owner == self) {
      return false;
    }
    int name = cf.items[readU2(b, cf.items[owner])];
    return !isJdk(b, name) && !sameUtf8(b, name, cf.items[readU2(b, cf.items[self])]);
  }

  /** {@link #isJdk(String)} of the UTF-8 entry at {@code offset}. */
  @DontInline
  private static boolean isJdk(byte[] b, int offset) {
    return startsWith(b, offset, "java/") || startsWith(b, offset, "javax/") || startsWith(b, offset, "jdk/")
        || startsWith(b, offset, "sun/") || startsWith(b, offset, "com/sun/");
  }

  @DontInline
  private static boolean startsWith(byte[] b, int offset, String prefix) {
    if (readU2(b, offset) < prefix.length()) {
      return false;
    }
    for (int k = 0; k < prefix.length(); k++) {
      if (b[offset + 2 + k] != prefix.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  @DontInline
  private static boolean sameUtf8(byte[] b, int x, int y) {
    int length = readU2(b, x);
    if (readU2(b, y) != length) {
      return false;
    }
    for (int k = 2; k < length + 2; k++) {
      if (b[x + k] != b[y + k]) {
        return false;
      }
    }
    return true;
  }

  /** Marks the method handles to marked method refs; returns whether there is one. */
  @DontInline
  private static boolean markHandles(ClassFile cf, boolean[] marked) {
    byte[] b = cf.b;
    boolean any = false;
    for (int i = 1; i < marked.length; i++) {
      int offset = cf.items[i];
      if (offset != 0 && b[offset - 1] == METHOD_HANDLE && marked[readU2(b, offset + 1)]) {
        marked[i] = any = true;
      }
    }
    return any;
  }

  /**
   * Marks the invokedynamic entries whose bootstrap arguments include a marked method handle
   * ({@code Instant::now}); returns the marks by constant pool index.
   */
  @DontInline
  private static boolean[] markInvokeDynamics(ClassFile cf, int classAttributes, boolean[] marked) {
    byte[] b = cf.b;
    boolean[] bootstrapMarked = null;
    int attributes = readU2(b, classAttributes);
    int offset = classAttributes + 2;
    for (int a = 0; a < attributes && bootstrapMarked == null; a++) {
      if (cf.isUtf8(readU2(b, offset), ClassFile.BOOTSTRAP_METHODS)) {
        int count = readU2(b, offset + 6);
        bootstrapMarked = new boolean[count];
        int p = offset + 8;
        for (int k = 0; k < count; k++) {
          int args = readU2(b, p + 2);
          for (int j = 0; j < args; j++) {
            if (marked[readU2(b, p + 4 + 2 * j)]) {
              bootstrapMarked[k] = true;
            }
          }
          p += 4 + 2 * args;
        }
      }
      offset += 6 + readInt(b, offset + 2);
    }
    int items = cf.items.length;
    boolean[] indy = new boolean[items];
    if (bootstrapMarked != null) {
      for (int i = 1; i < items; i++) {
        int item = cf.items[i];
        if (item != 0 && b[item - 1] == INVOKE_DYNAMIC) {
          int bootstrap = readU2(b, item);
          indy[i] = bootstrap < bootstrapMarked.length && bootstrapMarked[bootstrap];
        }
      }
    }
    return indy;
  }

  /** Whether the Code attribute whose body starts at {@code code} has an instruction to look at. */
  @DontInline
  private static boolean codeMayNeedRewrite(byte[] b, int code, boolean[] marked, boolean[] indyMarked,
      boolean putstatic) {
    int start = code + 8;
    int end = start + readInt(b, code + 4);
    for (int p = start; p < end; ) {
      int op = b[p] & 0xFF;
      if (op >= INVOKEVIRTUAL && op <= INVOKEINTERFACE) {
        if (marked[readU2(b, p + 1)]) {
          return true;
        }
      } else if (op == INVOKEDYNAMIC) {
        if (indyMarked != null && indyMarked[readU2(b, p + 1)]) {
          return true;
        }
      } else if (op == PUTSTATIC && putstatic) {
        return true;
      }
      int length = LENGTH[op];
      if (length <= 0) {
        length = length(b, p, start); // a switch or wide; 0: not an opcode we know
        if (length <= 0) {
          return true; // let the full rewriter see it
        }
      }
      p += length;
    }
    return false;
  }

  /**
   * The length in bytes of the instruction at {@code p} of the code starting at {@code start}
   * (switches are padded to a multiple of 4 from there); 0 for a byte that is no known opcode.
   */
  @DontInline
  static int length(byte[] b, int p, int start) {
    int op = b[p] & 0xFF;
    switch (op) {
      case TABLESWITCH -> {
        int q = p + 4 - ((p - start) & 3); // opcode, then padding to a multiple of 4 from the code start
        return q + 12 + 4 * (readInt(b, q + 8) - readInt(b, q + 4) + 1) - p;
      }
      case LOOKUPSWITCH -> {
        int q = p + 4 - ((p - start) & 3);
        return q + 8 + 8 * readInt(b, q + 4) - p;
      }
      case WIDE -> {
        return (b[p + 1] & 0xFF) == IINC ? 6 : 4;
      }
      default -> {
        return LENGTH[op];
      }
    }
  }

  /** Whether an internal class name is in the JDK (the rewriter leaves JDK classes alone too). */
  @DontInline
  static boolean isJdk(String internalName) {
    return internalName.startsWith("java/") || internalName.startsWith("javax/") || internalName.startsWith("jdk/")
        || internalName.startsWith("sun/") || internalName.startsWith("com/sun/");
  }

  @DontInline
  private static int skipAttributes(byte[] b, int offset) {
    int attributes = readU2(b, offset);
    offset += 2;
    for (int a = 0; a < attributes; a++) {
      offset += 6 + readInt(b, offset + 2);
    }
    return offset;
  }

  @DontInline
  private static int readU2(byte[] b, int offset) {
    return ((b[offset] & 0xFF) << 8) | (b[offset + 1] & 0xFF);
  }

  @DontInline
  private static int readInt(byte[] b, int offset) {
    return ((b[offset] & 0xFF) << 24) | ((b[offset + 1] & 0xFF) << 16) | ((b[offset + 2] & 0xFF) << 8)
        | (b[offset + 3] & 0xFF);
  }
}
