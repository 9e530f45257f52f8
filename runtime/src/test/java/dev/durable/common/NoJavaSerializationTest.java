package dev.durable.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No main source of any module uses Java serialization, or lets Jackson pick classes from the
 * data (default typing, class-name type ids): both turn a payload into a way to run code.
 * Payloads and failures cross every boundary as JSON data (see docs/reliability.md).
 */
class NoJavaSerializationTest {
  private static final Pattern FORBIDDEN = Pattern.compile(
      "ObjectInputStream|ObjectOutputStream|\\bSerializable\\b|Externalizable|\\breadObject\\(|\\bwriteObject\\("
          + "|readResolve\\(|enableDefaultTyping|activateDefaultTyping|JsonTypeInfo\\.Id\\.(MINIMAL_)?CLASS"
          + "|Id\\.(MINIMAL_)?CLASS|SerializationUtils");

  @Test
  void noMainSourceUsesJavaSerializationOrJacksonDefaultTyping() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    List<Path> sources;
    try (Stream<Path> files = Files.walk(root, 8)) {
      sources = files.filter(p -> p.toString().endsWith(".java"))
          .filter(p -> root.relativize(p).toString().replace('\\', '/').matches("[^/]+/src/main/java/.*"))
          .toList();
    }
    assertTrue(sources.size() > 50, "found only " + sources.size() + " main sources under " + root);

    List<String> uses = new ArrayList<>();
    for (Path source : sources) {
      List<String> lines = Files.readAllLines(source);
      for (int i = 0; i < lines.size(); i++) {
        if (FORBIDDEN.matcher(lines.get(i)).find()) {
          uses.add(root.relativize(source) + ":" + (i + 1) + ": " + lines.get(i).trim());
        }
      }
    }
    assertEquals(List.of(), uses);
  }
}
