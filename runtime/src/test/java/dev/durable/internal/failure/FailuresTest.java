package dev.durable.internal.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.failure.ApplicationFailure;
import dev.durable.internal.Checks;
import dev.durable.internal.model.FailureInfo;
import org.junit.jupiter.api.Test;

class FailuresTest {
  @Test
  void aLongMessageIsCutAndSaysHowLongItWas() {
    String body = "x".repeat(100_000);
    FailureInfo info = Failures.toInfo(new IllegalStateException("HTTP 500: " + body,
        ApplicationFailure.newFailure("y".repeat(40_000), "Upstream")));

    assertEquals("HTTP 500: " + body.substring(0, Failures.MAX_MESSAGE_LENGTH - 10)
        + "... [cut: the message had 100010 characters]", info.message());
    assertEquals("y".repeat(Failures.MAX_MESSAGE_LENGTH) + "... [cut: the message had 40000 characters]",
        info.cause().message());
    assertEquals("Upstream", info.cause().type());
    assertEquals("short", Failures.toInfo(new RuntimeException("short")).message());
  }

  @Test
  void aCutNeverSplitsASurrogatePair() {
    String message = "a".repeat(Failures.MAX_MESSAGE_LENGTH - 1) + "\uD83D\uDE00" + "b".repeat(10);
    String kept = Failures.toInfo(new RuntimeException(message)).message();

    assertTrue(kept.startsWith("a".repeat(Failures.MAX_MESSAGE_LENGTH - 1) + "... [cut:"), kept.substring(32_760));
    assertEquals(-1, Checks.unpairedSurrogate(kept));
  }
}
