package dev.durable.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowDescription;
import dev.durable.client.WorkflowStatus;
import dev.durable.failure.ActivityFailure;
import dev.durable.failure.ApplicationFailure;
import dev.durable.testing.TestEnv;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Values Jackson cannot convert fail with DURABLE-206 naming the type and where it was used. */
class DataConverterTest {
  /** Jackson cannot serialize it: its only property throws. */
  public static final class Explosive {
    public String getValue() {
      throw new IllegalStateException("no value");
    }
  }

  /** Jackson can write it but cannot read it back: it is abstract. */
  public interface Shape {
    String getName();
  }

  public record Circle(String name) implements Shape {
    @Override
    public String getName() {
      return name;
    }
  }

  @ActivityInterface
  public interface Factory {
    String consume(Explosive e);

    Explosive makeExplosive();

    Shape makeShape();
  }

  static final class FactoryImpl implements Factory {
    final AtomicInteger explosiveAttempts = new AtomicInteger();

    @Override
    public String consume(Explosive e) {
      return "consumed";
    }

    @Override
    public Explosive makeExplosive() {
      explosiveAttempts.incrementAndGet();
      return new Explosive();
    }

    @Override
    public Shape makeShape() {
      return new Circle("round");
    }
  }

  @WorkflowInterface
  public interface Production {
    @WorkflowMethod
    String run(String what);
  }

  public static final class ProductionImpl implements Production {
    private final Factory factory = Workflow.newActivityStub(Factory.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());

    @Override
    public String run(String what) {
      switch (what) {
        case "argument":
          return factory.consume(new Explosive());
        case "result":
          try {
            factory.makeExplosive();
            return "unexpected";
          } catch (ActivityFailure e) {
            ApplicationFailure cause = (ApplicationFailure) e.getCause();
            return cause.getType() + " after attempt " + e.getAttempt() + ": " + cause.getOriginalMessage();
          }
        default:
          return factory.makeShape().getName();
      }
    }
  }

  @WorkflowInterface
  public interface TakesExplosive {
    @WorkflowMethod
    void run(Explosive e);
  }

  @TempDir Path dir;
  private TestEnv env;
  private final FactoryImpl factory = new FactoryImpl();

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
    env.startWorker(b -> b.registerWorkflowImplementationTypes(ProductionImpl.class).registerActivitiesImplementations(factory));
  }

  @AfterEach
  void close() {
    env.close();
  }

  @Test
  void activityArgumentThatCannotBeSerializedFailsTheWorkflowTaskNamingTypeActivityAndWorkflow() {
    WorkflowClient.start(env.newWorkflow(Production.class, "bad-argument")::run, "argument");
    WorkflowDescription d = env.awaitDescription("bad-argument", "the task failure", x -> x.lastWorkflowTaskFailure() != null);

    String failure = d.lastWorkflowTaskFailure();
    assertTrue(failure.contains("DURABLE-206 cannot serialize a value of type " + Explosive.class.getName()
        + " (argument 1 of activity Consume in workflow 'bad-argument')"), failure);
    assertTrue(failure.contains("no value"), failure);
    assertEquals(WorkflowStatus.RUNNING, d.status());
  }

  @Test
  void activityResultThatCannotBeSerializedFailsTheActivityWithoutRetry() {
    String result = env.newWorkflow(Production.class, "bad-result").run("result");

    assertTrue(result.startsWith("dev.durable.common.DataConverterException after attempt 1: DURABLE-206 cannot serialize"
        + " a value of type " + Explosive.class.getName() + " (result of activity MakeExplosive of workflow 'bad-result')"),
        result);
    assertEquals(1, factory.explosiveAttempts.get());
  }

  @Test
  void activityResultThatCannotBeDeserializedFailsTheWorkflowTaskNamingTheType() {
    WorkflowClient.start(env.newWorkflow(Production.class, "bad-read")::run, "shape");
    WorkflowDescription d = env.awaitDescription("bad-read", "the task failure", x -> x.lastWorkflowTaskFailure() != null);

    String failure = d.lastWorkflowTaskFailure();
    assertTrue(failure.contains("DURABLE-206 cannot deserialize {\"name\":\"round\"} as " + Shape.class.getName()
        + " (result of activity MakeShape in workflow 'bad-read')"), failure);
    assertEquals(WorkflowStatus.RUNNING, d.status());
  }

  @Test
  void workflowArgumentThatCannotBeSerializedIsRejectedAtStartAndNothingIsStored() {
    TakesExplosive stub = env.newWorkflow(TakesExplosive.class, "never-started");
    DataConverterException e = assertThrows(DataConverterException.class, () -> WorkflowClient.start(stub::run, new Explosive()));

    assertEquals("DURABLE-206", e.getCode());
    assertTrue(e.getMessage().startsWith("DURABLE-206 cannot serialize a value of type " + Explosive.class.getName()
        + " (argument 1 of workflow 'never-started' (TakesExplosive))"), e.getMessage());
    assertTrue(env.stub("never-started").describe().isEmpty());
  }
}
