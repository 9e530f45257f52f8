package dev.durable.it.sandbox;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the lines a violation message must name: each offending line of a test workflow ends with
 * {@code // violation: <name>}. Reading them from the source keeps the expected line numbers right
 * when the file is edited.
 */
final class SourceMarkers {
  private static final Pattern MARKER = Pattern.compile("// violation: (\\S+)\\s*$");

  private SourceMarkers() {}

  /** Returns the line number of each marker in the source file of a top-level test class, by name. */
  static Map<String, Integer> lines(Class<?> topLevel) throws IOException {
    // Surefire runs the tests in the module's directory.
    Path source = Path.of("src/test/java", topLevel.getName().replace('.', '/') + ".java");
    List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
    Map<String, Integer> out = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = MARKER.matcher(lines.get(i));
      if (m.find()) {
        assertNull(out.put(m.group(1), i + 1), "marker " + m.group(1) + " appears twice in " + source);
      }
    }
    assertFalse(out.isEmpty(), "no '// violation: <name>' markers in " + source);
    return out;
  }
}
