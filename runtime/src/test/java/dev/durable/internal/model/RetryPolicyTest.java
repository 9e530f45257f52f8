package dev.durable.internal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.common.RetryOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The recorded retry policy computes backoffs and decides whether a failed attempt is retried. */
class RetryPolicyTest {
  private static FailureInfo failure(String type, boolean nonRetryable) {
    return FailureInfo.simple(FailureInfo.APPLICATION, type, "boom", nonRetryable);
  }

  @Test
  void backoffStartsAtTheInitialIntervalAndGrowsByTheCoefficientUpToTheMaximum() {
    RetryPolicy p = RetryPolicy.of(RetryOptions.getDefaultInstance());
    assertEquals(Duration.ofSeconds(1), p.backoffAfter(1));
    assertEquals(Duration.ofSeconds(2), p.backoffAfter(2));
    assertEquals(Duration.ofSeconds(4), p.backoffAfter(3));
    assertEquals(Duration.ofSeconds(64), p.backoffAfter(7));
    assertEquals(Duration.ofSeconds(100), p.backoffAfter(8), "capped at 100 x the initial interval");
    assertEquals(Duration.ofSeconds(100), p.backoffAfter(10_000), "no overflow for very late attempts");
  }

  @Test
  void coefficientOfOneGivesAConstantBackoff() {
    RetryPolicy p = RetryPolicy.of(RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(300))
        .setBackoffCoefficient(1.0).build());
    assertEquals(Duration.ofMillis(300), p.backoffAfter(1));
    assertEquals(Duration.ofMillis(300), p.backoffAfter(50));
  }

  @Test
  void retryIsAllowedUntilTheMaximumAttemptsUnlessTheFailureIsNonRetryable() {
    RetryPolicy three = RetryPolicy.of(RetryOptions.newBuilder().setMaximumAttempts(3).setDoNotRetry("x.Fatal").build());
    assertTrue(three.allowsRetry(1, failure("java.io.IOException", false)));
    assertTrue(three.allowsRetry(2, failure("java.io.IOException", false)));
    assertFalse(three.allowsRetry(3, failure("java.io.IOException", false)));
    assertFalse(three.allowsRetry(1, failure("x.Fatal", false)));
    assertFalse(three.allowsRetry(1, failure("java.io.IOException", true)));

    RetryPolicy unlimited = RetryPolicy.of(RetryOptions.getDefaultInstance());
    assertTrue(unlimited.allowsRetry(1_000_000, failure("java.io.IOException", false)));
    assertEquals(List.of(), unlimited.doNotRetry());
  }
}
