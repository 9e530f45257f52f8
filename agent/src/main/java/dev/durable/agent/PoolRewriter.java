package dev.durable.agent;

import dev.durable.agent.jit.DontInline;

/**
 * Redirects calls by changing the constant pool, not the code: when every member with a rule that
 * a class refers to is redirected to a static method of the same descriptor
 * ({@code System.currentTimeMillis()} to {@code Shims.currentTimeMillis()}, {@code Instant.now()} to
 * {@code Shims.instantNow()}), the method ref entry of that member is pointed at the shim, and every
 * instruction and method handle using the entry then calls the shim. The code, its frames, line
 * numbers and everything after the constant pool stay byte for byte as they were; the new entries
 * (the shim class, a name and type when the name differs) are appended to the pool.
 *
 * <p>This is the common case, and the cheapest rewrite there is: no instruction is walked, no
 * method is laid out again, no bridge is made for a method reference. A class with anything else to
 * rewrite (a forbidden call, a static write to check, a redirect that inserts a call or takes a
 * receiver) goes to {@link DirectRewriter} or ASM, which give the same code (a method reference
 * to a member redirected in place points straight at the shim there too).
 */
final class PoolRewriter {
  /** Returned when the class needs rewriting in its code. */
  static final byte[] NOT_IN_PLACE = new byte[0];

  private static final int UTF8 = 1;
  private static final int CLASS = 7;
  private static final int METHODREF = 10;
  private static final int NAME_AND_TYPE = 12;

  @DontInline
  private PoolRewriter() {}

  /**
   * Returns the class with its marked method refs redirected, null when none of them has a rule,
   * or {@link #NOT_IN_PLACE}.
   *
   * @param marked per constant pool index, whether it is a method ref to a member with call-site
   *     rules (from {@link CallSiteScan#pool})
   */
  @DontInline
  static byte[] rewrite(CallSiteRewriter rewriter, ClassFile cf, boolean[] marked) {
    Redirects.Call[] targets = new Redirects.Call[marked.length];
    int found = targets(rewriter, cf, marked, targets);
    if (found <= 0) {
      return found == 0 ? null : NOT_IN_PLACE;
    }
    return redirect(cf, targets, found);
  }

  /**
   * Sets the target of each marked method ref whose member has a rule; returns how many, or -1
   * when a rule cannot be applied in the pool.
   */
  @DontInline
  private static int targets(CallSiteRewriter rewriter, ClassFile cf, boolean[] marked, Redirects.Call[] targets) {
    int found = 0;
    for (int i = 1; i < marked.length; i++) {
      if (marked[i]) {
        int ref = cf.items[i];
        int nameAndType = cf.items[cf.u2(ref + 2)];
        CallSiteRewriter.Decision d = rewriter.decide(cf.classAt(ref), cf.utf8At(nameAndType),
            cf.utf8At(nameAndType + 2));
        if (d.rule() != null) {
          if (d.inPlace() == null) {
            return -1;
          }
          targets[i] = d.inPlace();
          found++;
        }
      }
    }
    return found;
  }

  /** The class with each of the {@code found} method refs that have a target pointed at it. */
  @DontInline
  private static byte[] redirect(ClassFile cf, Redirects.Call[] targets, int found) {
    Appended pool = new Appended(cf.itemCount());
    int[] patches = new int[found * 2];
    int patched = 0;
    for (int i = 1; i < targets.length; i++) {
      Redirects.Call target = targets[i];
      if (target != null) {
        int ref = cf.items[i];
        int nameAndType = cf.u2(ref + 2);
        int newNameAndType = cf.isEntry(cf.u2(cf.items[nameAndType]), target.constants()[1])
            ? nameAndType : pool.nameAndType(target, cf.u2(cf.items[nameAndType] + 2));
        patches[patched++] = ref;
        patches[patched++] = pool.classEntry(target) << 16 | newNameAndType;
      }
    }
    return assemble(cf, pool, patches, patched);
  }

  /** The old pool with the patched method refs, the appended entries, then the rest of the class as it was. */
  @DontInline
  private static byte[] assemble(ClassFile cf, Appended pool, int[] patches, int patched) {
    byte[] b = cf.b;
    int header = cf.header;
    byte[] out = new byte[b.length + pool.size];
    System.arraycopy(b, 0, out, 0, header);
    out[8] = (byte) (pool.next >>> 8);
    out[9] = (byte) pool.next;
    for (int k = 0; k < patched; k += 2) {
      int ref = patches[k];
      int indexes = patches[k + 1];
      out[ref - 1] = METHODREF; // an interface method ref too: the shim is a class
      out[ref] = (byte) (indexes >>> 24);
      out[ref + 1] = (byte) (indexes >>> 16);
      out[ref + 2] = (byte) (indexes >>> 8);
      out[ref + 3] = (byte) indexes;
    }
    System.arraycopy(pool.bytes, 0, out, header, pool.size);
    System.arraycopy(b, header, out, header + pool.size, b.length - header);
    return out;
  }

  /** The entries appended to the pool: a class entry per target owner, a name and type per new name. */
  private static final class Appended {
    byte[] bytes = new byte[128];
    int size;
    /** The index the next entry gets. */
    int next;
    // A class gets a handful of targets: found again by a linear search over the targets' own
    // encoded names (identity), no map.
    private byte[][] keys = new byte[8][];
    private int[] indexes = new int[8];
    private int known;

    @DontInline
    Appended(int next) {
      this.next = next;
    }

    @DontInline
    int classEntry(Redirects.Call target) {
      byte[] owner = target.constants()[0];
      int index = find(owner);
      if (index < 0) {
        int name = utf8(owner);
        index = entry(CLASS, name, -1);
        remember(owner, index);
      }
      return index;
    }

    @DontInline
    int nameAndType(Redirects.Call target, int descriptor) {
      byte[] name = target.constants()[1];
      int index = find(name);
      if (index < 0) {
        index = entry(NAME_AND_TYPE, utf8(name), descriptor);
        remember(name, index);
      }
      return index;
    }

    @DontInline
    private int utf8(byte[] encoded) {
      ensure(encoded.length);
      System.arraycopy(encoded, 0, bytes, size, encoded.length);
      size += encoded.length;
      return next++;
    }

    /** Appends an entry of a tag and one or two u2 (-1: none); returns its index. */
    @DontInline
    private int entry(int tag, int first, int second) {
      ensure(5);
      bytes[size++] = (byte) tag;
      bytes[size++] = (byte) (first >>> 8);
      bytes[size++] = (byte) first;
      if (second >= 0) {
        bytes[size++] = (byte) (second >>> 8);
        bytes[size++] = (byte) second;
      }
      return next++;
    }

    @DontInline
    private void ensure(int more) {
      if (size + more > bytes.length) {
        bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
      }
    }

    @DontInline
    private int find(byte[] key) {
      for (int k = 0; k < known; k++) {
        if (keys[k] == key) {
          return indexes[k];
        }
      }
      return -1;
    }

    @DontInline
    private void remember(byte[] key, int index) {
      if (known == keys.length) {
        keys = java.util.Arrays.copyOf(keys, known * 2);
        indexes = java.util.Arrays.copyOf(indexes, known * 2);
      }
      keys[known] = key;
      indexes[known++] = index;
    }
  }
}
