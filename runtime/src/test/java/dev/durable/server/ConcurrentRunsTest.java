package dev.durable.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.testing.TestEnv;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many runs started and progressing at once all reach their results, each activity running once. */
class ConcurrentRunsTest {
  @ActivityInterface
  public interface Adder {
    int add(int a, int b);
  }

  @WorkflowInterface
  public interface Sum {
    @WorkflowMethod
    int run(int n);
  }

  public static final class SumImpl implements Sum {
    private final Adder adder = Workflow.newActivityStub(Adder.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());

    @Override
    public int run(int n) {
      int total = 0;
      for (int i = 1; i <= 3; i++) {
        total = adder.add(total, n * i);
      }
      return total;
    }
  }

  @TempDir Path dir;

  @Test
  void manyRunsStartedConcurrentlyAllCompleteWithTheirOwnResults() {
    AtomicInteger calls = new AtomicInteger();
    try (TestEnv env = TestEnv.open(dir)) {
      env.startWorker(b -> b.registerWorkflowImplementationTypes(SumImpl.class)
          .registerActivitiesImplementations((Adder) (a, b2) -> {
            calls.incrementAndGet();
            return a + b2;
          })
          .setMaxConcurrentWorkflowTasks(4));
      List<Integer> ns = IntStream.rangeClosed(1, 40).boxed().toList();
      ns.parallelStream().forEach(n -> WorkflowClient.start(env.newWorkflow(Sum.class, "sum-" + n)::run, n));

      for (int n : ns) {
        assertEquals(6 * n, env.result("sum-" + n, Integer.class), "sum-" + n);
      }
      assertEquals(3 * ns.size(), calls.get());
    }
  }
}
