package dev.durable.agent;

import java.util.Set;
import org.objectweb.asm.ClassReader;

/**
 * Decides from a class's constant pool and field table alone, without reading its code, whether
 * the class may contain something to rewrite. Most classes reference no redirected or forbidden
 * member and write no static field, and this keeps their load cost to one pass over the
 * constant pool. A "yes" is only a maybe: the rewriter then reads the code.
 */
final class ConstantPoolFilter {
  private static final int FIELDREF = 9;
  private static final int METHODREF = 10;
  private static final int INTERFACE_METHODREF = 11;
  private static final int METHOD_HANDLE = 15;
  private static final int ACC_STATIC = 0x0008;
  private static final int ACC_FINAL = 0x0010;

  private final Set<String> callOwners;
  private final boolean staticWrites;

  /**
   * @param callOwners internal names of classes with call-site rules
   * @param staticWrites whether writes to static fields are checked
   */
  ConstantPoolFilter(Set<String> callOwners, boolean staticWrites) {
    this.callOwners = callOwners;
    this.staticWrites = staticWrites;
  }

  boolean mayNeedRewrite(ClassReader reader) {
    char[] buf = new char[reader.getMaxStringLength()];
    String self = reader.getClassName();
    for (int i = 1; i < reader.getItemCount(); i++) {
      int offset = reader.getItem(i);
      if (offset == 0) {
        continue; // the second slot of a long or double
      }
      int tag = reader.readByte(offset - 1);
      if (tag == METHODREF || tag == INTERFACE_METHODREF) {
        if (callOwners.contains(reader.readClass(offset, buf))) {
          return true;
        }
      } else if (tag == METHOD_HANDLE) {
        if (callOwners.contains(reader.readClass(reader.getItem(reader.readUnsignedShort(offset + 1)), buf))) {
          return true;
        }
      } else if (tag == FIELDREF && staticWrites) {
        // A static field of another class may be written here; JDK statics that can be written are not ours.
        String owner = reader.readClass(offset, buf);
        if (!owner.equals(self) && !CallSiteRewriter.isJdk(owner.replace('/', '.'))) {
          return true;
        }
      }
    }
    return staticWrites && declaresMutableStaticField(reader);
  }

  /** Whether the class declares a static field that is not final: its own code may write it. */
  private static boolean declaresMutableStaticField(ClassReader reader) {
    int offset = reader.header + 6;
    offset += 2 + 2 * reader.readUnsignedShort(offset); // interfaces
    int fields = reader.readUnsignedShort(offset);
    offset += 2;
    for (int f = 0; f < fields; f++) {
      int access = reader.readUnsignedShort(offset);
      if ((access & ACC_STATIC) != 0 && (access & ACC_FINAL) == 0) {
        return true;
      }
      int attributes = reader.readUnsignedShort(offset + 6);
      offset += 8;
      for (int a = 0; a < attributes; a++) {
        offset += 6 + reader.readInt(offset + 2);
      }
    }
    return false;
  }
}
