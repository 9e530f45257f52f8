package dev.durable.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Finds the source line an error message must name. The line in a test's workflow code ends with
 * {@code // line: <name>}; reading it from the source keeps expected line numbers right when the
 * file is edited.
 */
final class SourceMarkers {
  private SourceMarkers() {}

  /**
   * Returns the stack frame text of the marked line, as Java prints it:
   * {@code dev.durable.replay.FooTest$Impl.run(FooTest.java:42)}.
   *
   * @param type the class whose method contains the marked line (nested in a top-level test class)
   * @param method the method's name
   * @param marker the name after {@code // line:}
   */
  static String frame(Class<?> type, String method, String marker) {
    Class<?> topLevel = type;
    while (topLevel.getEnclosingClass() != null) {
      topLevel = topLevel.getEnclosingClass();
    }
    // Surefire runs the tests in the module's directory.
    Path source = Path.of("src/test/java", topLevel.getName().replace('.', '/') + ".java");
    List<String> lines;
    try {
      lines = Files.readAllLines(source, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String suffix = "// line: " + marker;
    int[] found = IntStream.range(0, lines.size()).filter(i -> lines.get(i).stripTrailing().endsWith(suffix)).toArray();
    assertEquals(1, found.length, "lines ending in '" + suffix + "' in " + source);
    return type.getName() + "." + method + "(" + source.getFileName() + ":" + (found[0] + 1) + ")";
  }
}
