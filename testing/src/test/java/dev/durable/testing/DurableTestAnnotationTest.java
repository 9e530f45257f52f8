package dev.durable.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.WorkflowClient;
import dev.durable.worker.Worker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@DurableTest(workflows = {Sleepers.SleepThenRecordImpl.class, Sleepers.TimeLineImpl.class},
    activities = RecorderImpl.class, taskQueue = "annotated")
class DurableTestAnnotationTest {

  @Test
  void injectsATypedStubThatRunsOnTheRegisteredWorker(Sleepers.SleepThenRecord workflow, TestWorkflowEnvironment env) {
    long start = env.currentTimeMillis();
    long woke = workflow.run("x", 7);
    assertTrue(woke >= start + Duration.ofDays(7).toMillis());
  }

  @Test
  void injectsTheClientAndTheWorkerOfTheTestsOwnEnvironment(WorkflowClient client, Worker worker) {
    assertNotNull(client);
    assertEquals("annotated", worker.getTaskQueue());
    assertEquals(0, client.listWorkflows(false, 10).size(), "every test starts with an empty environment");
  }
}
