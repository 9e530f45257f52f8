package dev.durable.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** ActivityOptions validate at build() and say what was wrong. */
class ActivityOptionsTest {
  private static String rejection(Executable build) {
    return assertThrows(IllegalArgumentException.class, build).getMessage();
  }

  @Test
  void negativeStartToCloseTimeoutIsRejectedWithTheValue() {
    assertEquals("DURABLE-201 startToCloseTimeout must be positive, got PT-1S",
        rejection(() -> ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(-1)).build()));
  }

  @Test
  void zeroTimeoutsAreRejectedNamingTheOption() {
    assertEquals("DURABLE-201 scheduleToCloseTimeout must be positive, got PT0S",
        rejection(() -> ActivityOptions.newBuilder().setScheduleToCloseTimeout(Duration.ZERO).build()));
    assertEquals("DURABLE-201 heartbeatTimeout must be positive, got PT0S", rejection(() -> ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(1)).setHeartbeatTimeout(Duration.ZERO).build()));
    assertEquals("DURABLE-201 scheduleToStartTimeout must be positive, got PT-0.001S", rejection(() -> ActivityOptions
        .newBuilder().setStartToCloseTimeout(Duration.ofSeconds(1)).setScheduleToStartTimeout(Duration.ofMillis(-1)).build()));
  }

  @Test
  void optionsWithoutStartToCloseOrScheduleToCloseAreRejected() {
    String message = rejection(() -> ActivityOptions.newBuilder().setHeartbeatTimeout(Duration.ofSeconds(1)).build());
    assertEquals("DURABLE-201 ActivityOptions needs startToCloseTimeout (the limit for one attempt) or"
        + " scheduleToCloseTimeout (the limit for all attempts); neither was set", message);
  }

  @Test
  void blankTaskQueueIsRejected() {
    assertEquals("DURABLE-201 taskQueue must be a non-empty string, got \" \"", rejection(() -> ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(1)).setTaskQueue(" ").build()));
  }

  @Test
  void eitherTimeoutAloneIsEnoughAndUnsetValuesStayNull() {
    ActivityOptions o = ActivityOptions.newBuilder().setScheduleToCloseTimeout(Duration.ofMinutes(5)).build();
    assertEquals(Duration.ofMinutes(5), o.getScheduleToCloseTimeout());
    assertNull(o.getStartToCloseTimeout());
    assertNull(o.getHeartbeatTimeout());
    assertNull(o.getTaskQueue(), "null means the workflow's own task queue");
  }
}
