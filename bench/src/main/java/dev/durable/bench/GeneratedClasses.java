package dev.durable.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Writes and compiles the classes of the agent workload: small classes with ordinary code (string
 * building, collections, a lambda), three in four of which also read the clock in their static
 * initializer, so that the agent has call sites to rewrite as well as classes to scan and pass.
 */
final class GeneratedClasses {
  private GeneratedClasses() {}

  static String name(int i) {
    return String.format("gen.p%02d.C%04d", i / 100, i);
  }

  /** The value the static field {@code NAME} of class {@code i} holds once initialized. */
  static String expectedName(int i) {
    return "C" + String.format("%04d", i) + ":0:1:2:3:4:5:6:7";
  }

  /** Writes {@code n} classes' sources under {@code dir}/src and compiles them into {@code dir}/classes. */
  static Path compile(Path dir, int n) {
    try {
      Path src = dir.resolve("src");
      Path classes = Files.createDirectories(dir.resolve("classes"));
      List<String> args = new ArrayList<>(List.of("--release", "17", "-nowarn", "-d", classes.toString()));
      for (int i = 0; i < n; i++) {
        Path file = src.resolve(name(i).replace('.', '/') + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, source(i));
        args.add(file.toString());
      }
      JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
      if (javac == null || javac.run(null, null, System.err, args.toArray(String[]::new)) != 0) {
        throw new IllegalStateException("compiling the generated classes failed (a JDK, not a JRE, is needed)");
      }
      return classes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String source(int i) {
    String name = name(i);
    int dot = name.lastIndexOf('.');
    String clock = switch (i % 4) {
      case 0 -> "static final long CREATED = System.currentTimeMillis();";
      case 1 -> "static final Instant CREATED = Instant.now();";
      case 2 -> "static final Supplier<Instant> CLOCK = Instant::now;";
      default -> "";
    };
    return """
        package %s;

        import java.time.Instant;
        import java.util.ArrayList;
        import java.util.HashMap;
        import java.util.List;
        import java.util.Map;
        import java.util.function.Supplier;

        public final class %s {
          public static final String NAME;
          static final List<String> TAGS = new ArrayList<>();
          %s

          static {
            StringBuilder sb = new StringBuilder("%s");
            for (int k = 0; k < 8; k++) {
              TAGS.add("tag-" + k);
              sb.append(':').append(k);
            }
            NAME = sb.toString();
          }

          private final Map<String, Integer> counts = new HashMap<>();

          public int count(List<String> words) {
            for (String w : words) {
              counts.merge(w.toLowerCase(), 1, Integer::sum);
            }
            return counts.size();
          }

          public String render() {
            StringBuilder sb = new StringBuilder(NAME).append(" {");
            counts.forEach((k, v) -> sb.append(k).append('=').append(v).append(", "));
            return sb.append('}').toString();
          }

          @Override
          public String toString() {
            return "%s" + TAGS + render();
          }
        }
        """.formatted(name.substring(0, dot), name.substring(dot + 1), clock, name.substring(dot + 1),
        name.substring(dot + 1));
  }
}
