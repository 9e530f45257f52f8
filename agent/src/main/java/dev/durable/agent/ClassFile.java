package dev.durable.agent;

import dev.durable.agent.jit.DontInline;
import java.nio.charset.StandardCharsets;

/**
 * The constant pool of a class file, indexed: where each entry starts, and its strings decoded on
 * demand. The byte-level scan and rewriter need nothing more, so that the common path does not
 * load or run ASM: ASM's reader also reads the bootstrap methods and attribute names of every
 * class with an invokedynamic, work a fresh JVM does interpreted for each class that loads.
 *
 * <p>Offsets follow ASM's {@code ClassReader.getItem}: the offset of an entry's first byte after
 * its tag, 0 for the unused slot after a long or double.
 */
final class ClassFile {
  /**
   * The newest class file major version ASM (as shaded into the agent) reads; newer classes go to
   * ASM, which refuses them as before.
   */
  static final int NEWEST_MAJOR = 72;

  private static final int UTF8 = 1;
  private static final int INTEGER = 3;
  private static final int FLOAT = 4;
  private static final int LONG = 5;
  private static final int DOUBLE = 6;
  private static final int CLASS = 7;
  private static final int STRING = 8;
  private static final int FIELDREF = 9;
  private static final int METHODREF = 10;
  private static final int INTERFACE_METHODREF = 11;
  private static final int NAME_AND_TYPE = 12;
  private static final int METHOD_HANDLE = 15;
  private static final int METHOD_TYPE = 16;
  private static final int DYNAMIC = 17;
  private static final int INVOKE_DYNAMIC = 18;
  private static final int MODULE = 19;
  private static final int PACKAGE = 20;

  final byte[] b;
  /** Per constant pool index, the offset after the entry's tag (0: unused slot). */
  final int[] items;
  /** The offset of the access flags, right after the constant pool. */
  final int header;
  private String[] strings;

  /**
   * Indexes the constant pool of {@code b}.
   *
   * @throws IllegalArgumentException for an unknown constant tag (as ASM's reader does)
   */
  @DontInline
  ClassFile(byte[] b) {
    this.b = b;
    int count = u2(8);
    int[] items = new int[count];
    int offset = 10;
    for (int i = 1; i < count; i++) {
      items[i] = offset + 1;
      int size = SIZE[b[offset] & 0xFF];
      if (size == 0) {
        if (b[offset] != UTF8) {
          throw new IllegalArgumentException("unknown constant pool tag " + b[offset] + " at entry " + i);
        }
        size = 3 + (((b[offset + 1] & 0xFF) << 8) | (b[offset + 2] & 0xFF));
      } else if (size < 0) {
        size = -size; // long or double: two slots
        i++;
      }
      offset += size;
    }
    this.items = items;
    this.header = offset;
  }

  /** Size in bytes of each constant of fixed size (tag included); negative: takes two slots; 0: UTF-8 or unknown. */
  private static final byte[] SIZE = new byte[256];

  static {
    SIZE[INTEGER] = 5;
    SIZE[FLOAT] = 5;
    SIZE[LONG] = -9;
    SIZE[DOUBLE] = -9;
    SIZE[CLASS] = 3;
    SIZE[STRING] = 3;
    SIZE[FIELDREF] = 5;
    SIZE[METHODREF] = 5;
    SIZE[INTERFACE_METHODREF] = 5;
    SIZE[NAME_AND_TYPE] = 5;
    SIZE[METHOD_HANDLE] = 4;
    SIZE[METHOD_TYPE] = 3;
    SIZE[DYNAMIC] = 5;
    SIZE[INVOKE_DYNAMIC] = 5;
    SIZE[MODULE] = 3;
    SIZE[PACKAGE] = 3;
  }

  /** Whether ASM reads classes of this version (it refuses newer ones, and previews of the newest). */
  @DontInline
  static boolean asmReads(byte[] b) {
    int minor = ((b[4] & 0xFF) << 8) | (b[5] & 0xFF);
    int major = ((b[6] & 0xFF) << 8) | (b[7] & 0xFF);
    return major < NEWEST_MAJOR || (major == NEWEST_MAJOR && minor == 0);
  }

  @DontInline
  int itemCount() {
    return items.length;
  }

  @DontInline
  int access() {
    return u2(header);
  }

  /** The internal name of this class. */
  @DontInline
  String className() {
    return classAt(header + 2);
  }

  /** The internal name of the class entry whose index is the u2 at {@code offset}. */
  @DontInline
  String classAt(int offset) {
    return utf8(u2(items[u2(offset)]));
  }

  /** The string of the UTF-8 entry whose index is the u2 at {@code offset}. */
  @DontInline
  String utf8At(int offset) {
    return utf8(u2(offset));
  }

  /** The string of UTF-8 entry {@code index} (modified UTF-8, decoded once). */
  @DontInline
  String utf8(int index) {
    if (strings == null) {
      strings = new String[items.length];
    }
    String s = strings[index];
    if (s == null) {
      s = strings[index] = decode(items[index]);
    }
    return s;
  }

  @DontInline
  private String decode(int offset) {
    int length = u2(offset);
    int p = offset + 2;
    // ASCII (nearly every name): the JDK's compiled decoder rather than a loop the interpreter runs
    // byte by byte; a byte of 0x80 or more decodes to U+FFFD there, and goes the long way.
    String ascii = new String(b, p, length, StandardCharsets.US_ASCII);
    if (ascii.indexOf('\uFFFD') < 0) {
      return ascii;
    }
    int end = p + length;
    char[] chars = new char[length];
    int n = 0;
    while (p < end) {
      int c = b[p++] & 0xFF;
      if (c < 0x80) {
        chars[n++] = (char) c;
      } else if ((c & 0xE0) == 0xC0) {
        chars[n++] = (char) (((c & 0x1F) << 6) | (b[p++] & 0x3F));
      } else {
        chars[n++] = (char) (((c & 0xF) << 12) | ((b[p++] & 0x3F) << 6) | (b[p++] & 0x3F));
      }
    }
    return new String(chars, 0, n);
  }

  // Names the scan and the rewriter look for, as bytes: comparing them costs no String calls,
  // which matters in the interpreter, where the agent's first classes are handled.
  static final byte[] CODE = ascii("Code");
  static final byte[] CLINIT = ascii("<clinit>");
  static final byte[] BOOTSTRAP_METHODS = ascii("BootstrapMethods");
  static final byte[] LINE_NUMBER_TABLE = ascii("LineNumberTable");
  static final byte[] LOCAL_VARIABLE_TABLE = ascii("LocalVariableTable");
  static final byte[] LOCAL_VARIABLE_TYPE_TABLE = ascii("LocalVariableTypeTable");
  static final byte[] STACK_MAP_TABLE = ascii("StackMapTable");

  @DontInline
  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Whether UTF-8 entry {@code index} holds exactly {@code expected} (one of the names above). */
  @DontInline
  boolean isUtf8(int index, byte[] expected) {
    int offset = index < items.length ? items[index] : 0;
    if (offset == 0 || b[offset - 1] != UTF8 || u2(offset) != expected.length) {
      return false;
    }
    for (int k = 0; k < expected.length; k++) {
      if (b[offset + 2 + k] != expected[k]) {
        return false;
      }
    }
    return true;
  }

  /** Whether entry {@code index} is, tag and length included, the encoded constant {@code entry}. */
  @DontInline
  boolean isEntry(int index, byte[] entry) {
    int offset = items[index] - 1;
    if (offset + entry.length > b.length) {
      return false;
    }
    for (int k = 0; k < entry.length; k++) {
      if (b[offset + k] != entry[k]) {
        return false;
      }
    }
    return true;
  }

  @DontInline
  int u2(int offset) {
    return ((b[offset] & 0xFF) << 8) | (b[offset + 1] & 0xFF);
  }

  @DontInline
  int readInt(int offset) {
    return ((b[offset] & 0xFF) << 24) | ((b[offset + 1] & 0xFF) << 16) | ((b[offset + 2] & 0xFF) << 8)
        | (b[offset + 3] & 0xFF);
  }
}
