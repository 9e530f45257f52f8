package dev.durable.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DurableExtensionBuilderTest {
  private final Sleepers.Recorder recorder = mock(Sleepers.Recorder.class);

  @RegisterExtension
  final DurableExtension durable = DurableExtension.newBuilder()
      .registerWorkflowImplementationTypes(Sleepers.SleepThenRecordImpl.class)
      .registerActivitiesImplementations(() -> new Object[] {recorder})
      .build();

  @Test
  void activitiesCanBeMockitoMocks(Sleepers.SleepThenRecord workflow) {
    when(recorder.record(anyString())).thenReturn("mocked");
    workflow.run("order-1", 3);
    verify(recorder).record("order-1");
  }

  @Test
  void eachTestGetsAFreshEnvironment(TestWorkflowEnvironment env) {
    assertEquals(0, env.getWorkflowClient().listWorkflows(false, 10).size());
  }
}
