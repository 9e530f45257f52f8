package dev.durable.internal.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The parser's hand-written syntax checks accept exactly what the regular expressions they replaced accept. */
class RulesParserSyntaxTest {
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9.\\-]*");
  private static final Pattern OWNER = Pattern.compile("\\*|[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*(\\.\\*|\\$\\*)?");
  private static final Pattern METHOD_SPEC = Pattern.compile("[^#\\s]+#[^(\\s]+\\([^)\\s]*\\)\\S+");

  private static void assertSameAnswers(Pattern pattern, Predicate<String> check, String alphabet, List<String> cases) {
    for (String s : cases) {
      assertEquals(pattern.matcher(s).matches(), check.test(s), "\"" + s + "\"");
    }
    Random random = new Random(7);
    for (int i = 0; i < 200_000; i++) {
      StringBuilder sb = new StringBuilder();
      for (int n = random.nextInt(9); n > 0; n--) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String s = sb.toString();
      assertEquals(pattern.matcher(s).matches(), check.test(s), "\"" + s + "\"");
    }
  }

  @Test
  void ids() {
    assertSameAnswers(ID, RulesParser::isId, "az09.-A_ #",
        List.of("", "time.now", "random.math-random", "-a", ".a", "a", "9", "Time.now", "a b", "a_b"));
  }

  @Test
  void owners() {
    assertSameAnswers(OWNER, RulesParser::isOwner, "aZ_$9.*- ",
        List.of("*", "java.time.Instant", "com.acme.*", "java.util.ServiceLoader$*", "a$*", "a$$*", "a.$*", "$*",
            "$.*", ".*", "a..b", "1a", "a.1b", "a1.b2", "a*", "**", "", "a.", ".a", "Outer$Inner", "a$.*"));
  }

  @Test
  void methodSpecs() {
    assertSameAnswers(METHOD_SPEC, RulesParser::isMethodSpec, "a#()J \t#",
        List.of("Shims#currentTimeMillis()J", "{owner}#now(Ljava/time/Clock;){return}", "#a()J", "A#()J", "A#a()",
            "A#a(J", "A#a)J(", "A#a#b(x)y", "A#a((x)y", "A#a(x))y", "A #a()J", "A#a()J ", "A#a(\u000B)J"));
  }
}
