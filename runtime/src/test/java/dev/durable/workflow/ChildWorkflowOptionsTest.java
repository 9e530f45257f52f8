package dev.durable.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.durable.client.WorkflowIdReusePolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** ChildWorkflowOptions and ContinueAsNewOptions have defaults for everything and validate at build(). */
class ChildWorkflowOptionsTest {
  private static String rejection(Executable build) {
    return assertThrows(IllegalArgumentException.class, build).getMessage();
  }

  @Test
  void defaultsStartAChildOnTheParentsQueueThatIsTerminatedWithItsParent() {
    ChildWorkflowOptions o = ChildWorkflowOptions.getDefaultInstance();
    assertNull(o.getWorkflowId());
    assertNull(o.getTaskQueue());
    assertNull(o.getRetryOptions());
    assertNull(o.getWorkflowExecutionTimeout());
    assertEquals(Duration.ofSeconds(10), o.getWorkflowTaskTimeout());
    assertEquals(ParentClosePolicy.TERMINATE, o.getParentClosePolicy());
    assertEquals(WorkflowIdReusePolicy.ALLOW_DUPLICATE, o.getWorkflowIdReusePolicy());
  }

  @Test
  void invalidValuesAreRejectedNamingTheOption() {
    assertEquals("DURABLE-201 workflowRunTimeout must be positive, got PT-1S",
        rejection(() -> ChildWorkflowOptions.newBuilder().setWorkflowRunTimeout(Duration.ofSeconds(-1)).build()));
    assertEquals("DURABLE-201 workflowId must be a non-empty string, got \"\"",
        rejection(() -> ChildWorkflowOptions.newBuilder().setWorkflowId("").build()));
    assertEquals("DURABLE-201 parentClosePolicy must not be null; allowed: [TERMINATE, REQUEST_CANCEL, ABANDON]",
        rejection(() -> ChildWorkflowOptions.newBuilder().setParentClosePolicy(null).build()));
    assertEquals("DURABLE-201 workflowIdReusePolicy of a child workflow must be ALLOW_DUPLICATE,"
        + " ALLOW_DUPLICATE_FAILED_ONLY or REJECT_DUPLICATE, got TERMINATE_IF_RUNNING",
        rejection(() -> ChildWorkflowOptions.newBuilder()
            .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.TERMINATE_IF_RUNNING).build()));
    assertEquals("DURABLE-201 workflowTaskTimeout must be positive, got PT0S",
        rejection(() -> ContinueAsNewOptions.newBuilder().setWorkflowTaskTimeout(Duration.ZERO).build()));
    assertEquals("DURABLE-201 taskQueue must be a non-empty string, got \" \"",
        rejection(() -> ContinueAsNewOptions.newBuilder().setTaskQueue(" ").build()));
  }

  @Test
  void childStubsAreOnlyUsableFromWorkflowCode() {
    ChildWorkflowTest.Child stub = Workflow.newChildWorkflowStub(ChildWorkflowTest.Child.class);
    var e = assertThrows(IllegalStateException.class, () -> stub.run("x"));
    assertEquals("DURABLE-210 child workflow stubs can only be called from workflow code; run was called on thread "
        + Thread.currentThread().getName(), e.getMessage());
  }
}
