package dev.durable.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** RetryOptions: the defaults, and values rejected at build(). */
class RetryOptionsTest {
  private static String rejection(Executable build) {
    return assertThrows(IllegalArgumentException.class, build).getMessage();
  }

  @Test
  void defaultsAreOneSecondDoublingCappedAtOneHundredTimesAndUnlimited() {
    RetryOptions o = RetryOptions.newBuilder().build();
    assertEquals(Duration.ofSeconds(1), o.getInitialInterval());
    assertEquals(2.0, o.getBackoffCoefficient());
    assertEquals(Duration.ofSeconds(100), o.getMaximumInterval());
    assertEquals(0, o.getMaximumAttempts());
    assertEquals(List.of(), o.getDoNotRetry());
    assertEquals(o, RetryOptions.getDefaultInstance());
  }

  @Test
  void maximumIntervalDefaultsToOneHundredTimesTheInitialInterval() {
    RetryOptions o = RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(250)).build();
    assertEquals(Duration.ofSeconds(25), o.getMaximumInterval());
  }

  @Test
  void builderFromOptionsCopiesEveryValue() {
    RetryOptions o = RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(2)).setBackoffCoefficient(3)
        .setMaximumInterval(Duration.ofMinutes(1)).setMaximumAttempts(7).setDoNotRetry("a.B").build();
    assertEquals(o, RetryOptions.newBuilder(o).build());
  }

  @Test
  void backoffCoefficientBelowOneIsRejected() {
    assertEquals("DURABLE-201 backoffCoefficient must be a finite number >= 1.0, got 0.5",
        rejection(() -> RetryOptions.newBuilder().setBackoffCoefficient(0.5).build()));
    assertEquals("DURABLE-201 backoffCoefficient must be a finite number >= 1.0, got NaN",
        rejection(() -> RetryOptions.newBuilder().setBackoffCoefficient(Double.NaN).build()));
  }

  @Test
  void nonPositiveInitialIntervalIsRejected() {
    assertEquals("DURABLE-201 initialInterval must be positive, got PT0S",
        rejection(() -> RetryOptions.newBuilder().setInitialInterval(Duration.ZERO).build()));
    assertEquals("DURABLE-201 initialInterval must be set to a positive duration, got null",
        rejection(() -> RetryOptions.newBuilder().setInitialInterval(null).build()));
  }

  @Test
  void maximumIntervalBelowInitialIntervalIsRejected() {
    assertEquals("DURABLE-201 maximumInterval must be >= initialInterval (PT10S), got PT5S", rejection(() ->
        RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(10)).setMaximumInterval(Duration.ofSeconds(5)).build()));
  }

  @Test
  void negativeMaximumAttemptsIsRejected() {
    assertEquals("DURABLE-201 maximumAttempts (0 = unlimited) must be at least 0, got -1",
        rejection(() -> RetryOptions.newBuilder().setMaximumAttempts(-1).build()));
  }

  @Test
  void blankDoNotRetryTypeIsRejected() {
    assertEquals("DURABLE-201 doNotRetry entry must be a non-empty string, got \"\"",
        rejection(() -> RetryOptions.newBuilder().setDoNotRetry("java.io.IOException", "").build()));
  }
}
