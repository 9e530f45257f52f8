package dev.durable.internal.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.failure.ApplicationFailure;
import dev.durable.internal.Checks;
import dev.durable.internal.model.FailureInfo;
import java.util.List;
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
  void aReportedFailureIsBoundedAtEveryLevelAndKeptAsItIsWhenShortEnough() {
    FailureInfo small = Failures.toInfo(new IllegalStateException("short", new RuntimeException("below")));
    assertSame(small, Failures.bounded(small));

    FailureInfo cause = new FailureInfo(FailureInfo.APPLICATION, "Inner", "m".repeat(40_000), "s".repeat(40_000),
        null, true, java.util.Map.of("k", "v"), null);
    FailureInfo outer = new FailureInfo(FailureInfo.APPLICATION, "Outer", "fine", "", null, false,
        java.util.Map.of(), cause);
    FailureInfo bounded = Failures.bounded(outer);

    assertEquals("fine", bounded.message());
    assertEquals("m".repeat(Failures.MAX_MESSAGE_LENGTH) + "... [cut: the message had 40000 characters]",
        bounded.cause().message());
    assertEquals("s".repeat(Failures.MAX_STACK_LENGTH) + "... [cut: the stack trace had 40000 characters]",
        bounded.cause().stackTrace());
    assertEquals(List.of("Inner", true, java.util.Map.of("k", "v")),
        List.of(bounded.cause().type(), bounded.cause().nonRetryable(), bounded.cause().attributes()));
  }

  @Test
  void aCutNeverSplitsASurrogatePair() {
    String message = "a".repeat(Failures.MAX_MESSAGE_LENGTH - 1) + "\uD83D\uDE00" + "b".repeat(10);
    String kept = Failures.toInfo(new RuntimeException(message)).message();

    assertTrue(kept.startsWith("a".repeat(Failures.MAX_MESSAGE_LENGTH - 1) + "... [cut:"), kept.substring(32_760));
    assertEquals(-1, Checks.unpairedSurrogate(kept));
  }
}
