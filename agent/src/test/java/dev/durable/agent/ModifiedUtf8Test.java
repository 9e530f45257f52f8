package dev.durable.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The class file's strings both ways, ASCII through the JDK's coders and anything else the long
 * way, against {@link DataOutputStream#writeUTF}, which writes the same modified UTF-8: NUL as two
 * bytes, each half of a surrogate pair as three, a lone surrogate as three.
 */
class ModifiedUtf8Test {
  private static final List<String> VALUES = List.of("", "java/time/Instant", "()Ljava/time/Instant;",
      "durable$bridge$0", "a\0b", "\0", "caf\u00e9", "\u20ac", "\u07ff\u0800", "x\ud83d\ude00y", "\ud800", "lone\udc00",
      "?", "a?b\u00ff", "\u0080", "\u007f", "\ufffd", "gen/p00/C0000");

  @Test
  void encodesAsDataOutputStreamWritesUtf() throws IOException {
    for (String value : VALUES) {
      byte[] expected = writeUtf(value);
      assertArrayEquals(Arrays.copyOfRange(expected, 2, expected.length), DirectRewriter.modifiedUtf8(value), value);
      byte[] entry = DirectRewriter.encode(value);
      assertEquals(1, entry[0], "the tag of a CONSTANT_Utf8");
      assertArrayEquals(expected, Arrays.copyOfRange(entry, 1, entry.length), value);
    }
  }

  @Test
  void decodesWhatDataOutputStreamWrote() throws IOException {
    // A class file whose constant pool holds the values, one CONSTANT_Utf8 each, read back by index.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(0xCAFEBABE);
    out.writeShort(0);
    out.writeShort(61);
    out.writeShort(VALUES.size() + 1);
    for (String value : VALUES) {
      out.writeByte(1);
      out.writeUTF(value);
    }
    out.writeShort(0x21); // the rest of a class is not read here
    ClassFile cf = new ClassFile(bytes.toByteArray());
    for (int i = 0; i < VALUES.size(); i++) {
      assertEquals(VALUES.get(i), cf.utf8(i + 1), "entry " + (i + 1));
      assertEquals(VALUES.get(i), new DataInputStream(new ByteArrayInputStream(writeUtf(VALUES.get(i)))).readUTF());
    }
  }

  private static byte[] writeUtf(String value) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new DataOutputStream(bytes).writeUTF(value);
    return bytes.toByteArray();
  }
}
