package dev.durable.client;

import static dev.durable.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.common.DurableException;
import dev.durable.testing.Hopper;
import dev.durable.testing.TestEnv;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WorkflowStub#delete()}: a closed workflow's latest run and the runs it continued from are
 * erased, and its id is free again; a running one is refused. Also run over gRPC (remote/pom.xml).
 */
class DeleteWorkflowTest {
  @TempDir Path dir;
  private TestEnv env;

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
    env.startWorker(w -> w.registerWorkflowImplementationTypes(Hopper.Impl.class));
  }

  @AfterEach
  void close() {
    env.close();
  }

  /** Starts a hopper and returns the ids of its runs once it is in its last one, the latest first. */
  private List<String> hopper(String workflowId, int hops) {
    WorkflowClient.start(env.newWorkflow(Hopper.class, workflowId)::hop, hops);
    List<WorkflowDescription> all = eventually("every run of " + workflowId, () -> env.client()
        .listWorkflows(false, 100).stream().filter(d -> d.workflowId().equals(workflowId)).toList(),
        l -> l.size() == hops + 1 && l.stream().anyMatch(d -> d.status() == WorkflowStatus.RUNNING));
    List<String> runs = new ArrayList<>();
    for (String run = env.describe(workflowId).runId(); run != null; ) {
      String id = run;
      runs.add(id);
      run = all.stream().filter(d -> d.runId().equals(id)).findFirst().orElseThrow().continuedFromRunId();
    }
    assertEquals(hops + 1, runs.size());
    return runs;
  }

  @Test
  void aClosedWorkflowIsDeletedWithTheRunsItContinuedFrom() {
    List<String> runs = hopper("trip", 2);
    hopper("other", 0);
    env.stub("trip").signal("land");
    assertEquals("landed", env.result("trip", String.class));

    assertEquals(runs, env.stub("trip").delete());

    assertEquals(Optional.empty(), env.stub("trip").describe());
    assertThrows(WorkflowNotFoundException.class, () -> env.stub("trip").getHistory());
    assertEquals(List.of("other"), env.client().listWorkflows(false, 100).stream()
        .map(WorkflowDescription::workflowId).toList(), "no run of trip is listed");
    WorkflowNotFoundException again = assertThrows(WorkflowNotFoundException.class, () -> env.stub("trip").delete());
    assertTrue(again.getMessage().contains("cannot delete workflow 'trip': no workflow with this id exists"),
        again.getMessage());

    WorkflowOptions rejecting = WorkflowOptions.newBuilder().setTaskQueue(TestEnv.TASK_QUEUE).setWorkflowId("trip")
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.REJECT_DUPLICATE).build();
    WorkflowClient.start(env.client().newWorkflowStub(Hopper.class, rejecting)::hop, 0);
    env.stub("trip").signal("land");
    assertEquals("landed", env.result("trip", String.class));
    env.assertHistoriesValid();
  }

  @Test
  void aRunningWorkflowIsNotDeleted() {
    String run = hopper("busy", 0).get(0);
    DurableException refused = assertThrows(DurableException.class, () -> env.stub("busy").delete());
    assertEquals("DURABLE-229", refused.getCode());
    assertTrue(refused.getMessage().contains("cannot delete workflow 'busy': its run " + run + " is still running."
        + " Terminate it first"), refused.getMessage());
    assertEquals(WorkflowStatus.RUNNING, env.describe("busy").status());

    env.stub("busy").terminate("no longer needed");
    assertEquals(List.of(run), env.stub("busy").delete());
    assertEquals(List.of(), env.client().listWorkflows(false, 100));
  }
}
