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
  void defaultsAreAGeneratedIdAndATenSecondWorkflowTaskTimeout() {
    WorkflowOptions o = WorkflowOptions.newBuilder().setTaskQueue("q").build();
    assertNull(o.getWorkflowId());
    assertEquals(Duration.ofSeconds(10), o.getWorkflowTaskTimeout());
    assertEquals("q", o.getTaskQueue());
  }
}
