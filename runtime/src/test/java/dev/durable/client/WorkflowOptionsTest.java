package dev.durable.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** WorkflowOptions validate at build(). */
class WorkflowOptionsTest {
  private static String rejection(Executable build) {
    return assertThrows(IllegalArgumentException.class, build).getMessage();
  }

  @Test
  void taskQueueIsRequired() {
    assertEquals("DURABLE-201 taskQueue must be a non-empty string, got null",
        rejection(() -> WorkflowOptions.newBuilder().build()));
    assertEquals("DURABLE-201 taskQueue must be a non-empty string, got \"\"",
        rejection(() -> WorkflowOptions.newBuilder().setTaskQueue("").build()));
  }

  @Test
  void zeroWorkflowTaskTimeoutIsRejected() {
    assertEquals("DURABLE-201 workflowTaskTimeout must be positive, got PT0S", rejection(() ->
        WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowTaskTimeout(Duration.ZERO).build()));
  }

  @Test
  void blankWorkflowIdIsRejected() {
    assertEquals("DURABLE-201 workflowId must be a non-empty string, got \"  \"",
        rejection(() -> WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId("  ").build()));
  }

  @Test
  void workflowIdOverAThousandCharactersIsRejected() {
    assertEquals("DURABLE-201 workflowId must be at most 1000 characters, got 1001 characters starting with"
        + " \"order-xxxxxxxxxxxxxx...\"",
        rejection(() -> WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId("order-" + "x".repeat(995)).build()));
    WorkflowOptions longest = WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId("x".repeat(1000)).build();
    assertEquals(1000, longest.getWorkflowId().length());
  }

  @Test
  void workflowIdWithControlCharactersIsRejectedShowingWhere() {
    assertEquals("DURABLE-201 workflowId must not contain control characters, got U+0000 at index 5 in \"order?42\"",
        rejection(() -> WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId("order\u000042").build()));
    assertEquals("DURABLE-201 workflowId must not contain control characters, got U+001B at index 0 in \"?[31mred\"",
        rejection(() -> WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId("\u001b[31mred").build()));
  }

  @Test
  void workflowIdOrTaskQueueCutInsideASurrogatePairIsRejectedAndWholeCharactersPass() {
    String cut = "order-\uD83D\uDE00".substring(0, 7); // an emoji cut in half: stored as UTF-8 it would be "order-?"
    assertEquals("DURABLE-201 workflowId must be valid Unicode, got an unpaired surrogate U+D83D at index 6 in"
        + " \"order-?\". A string cut inside a surrogate pair (such as an emoji) does this: cut strings at code points"
        + " (String.offsetByCodePoints)",
        rejection(() -> WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId(cut).build()));
    assertEquals("DURABLE-201 taskQueue must be valid Unicode, got an unpaired surrogate U+DE00 at index 2 in"
        + " \"q-?x\". A string cut inside a surrogate pair (such as an emoji) does this: cut strings at code points"
        + " (String.offsetByCodePoints)",
        rejection(() -> WorkflowOptions.newBuilder().setTaskQueue("q-\uDE00x").build()));
    assertEquals("order-\uD83D\uDE00", WorkflowOptions.newBuilder().setTaskQueue("q\uD83D\uDE00")
        .setWorkflowId("order-\uD83D\uDE00").build().getWorkflowId());
  }

  @Test
  void taskQueueOverAThousandCharactersIsRejected() {
    assertEquals("DURABLE-201 taskQueue must be at most 1000 characters, got 1001 characters starting with"
        + " \"qqqqqqqqqqqqqqqqqqqq...\"",
        rejection(() -> WorkflowOptions.newBuilder().setTaskQueue("q".repeat(1001)).build()));
    assertEquals(1000, WorkflowOptions.newBuilder().setTaskQueue("q".repeat(1000)).build().getTaskQueue().length());
  }

  @Test
  void defaultsAreAGeneratedIdAndATenSecondWorkflowTaskTimeout() {
    WorkflowOptions o = WorkflowOptions.newBuilder().setTaskQueue("q").build();
    assertNull(o.getWorkflowId());
    assertEquals(Duration.ofSeconds(10), o.getWorkflowTaskTimeout());
    assertEquals("q", o.getTaskQueue());
  }
}
