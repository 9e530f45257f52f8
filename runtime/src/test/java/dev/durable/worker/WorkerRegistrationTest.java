package dev.durable.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.activity.ActivityInterface;
import dev.durable.testing.TestEnv;
import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Invalid workflow and activity classes, and invalid worker options, are rejected when the worker is built. */
class WorkerRegistrationTest {
  @WorkflowInterface
  public interface NoWorkflowMethod {
    @SignalMethod
    void poke();
  }

  public static final class NoWorkflowMethodImpl implements NoWorkflowMethod {
    @Override
    public void poke() {}
  }

  @WorkflowInterface
  public interface TwoWorkflowMethods {
    @WorkflowMethod
    void first();

    @WorkflowMethod
    void second();
  }

  public static final class TwoWorkflowMethodsImpl implements TwoWorkflowMethods {
    @Override
    public void first() {}

    @Override
    public void second() {}
  }

  @WorkflowInterface
  public interface Valid {
    @WorkflowMethod
    void run();
  }

  public static final class ValidImpl implements Valid {
    @Override
    public void run() {}
  }

  public static final class OtherValidImpl implements Valid {
    @Override
    public void run() {}
  }

  public static final class NeedsArgument implements Valid {
    public NeedsArgument(String required) {}

    @Override
    public void run() {}
  }

  @WorkflowInterface
  public interface SignalReturnsValue {
    @WorkflowMethod
    void run();

    @SignalMethod
    String poke();
  }

  public static final class SignalReturnsValueImpl implements SignalReturnsValue {
    @Override
    public void run() {}

    @Override
    public String poke() {
      return "";
    }
  }

  @ActivityInterface
  public interface Greet {
    String greet(String name);
  }

  @TempDir Path dir;
  private TestEnv env;

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
  }

  @AfterEach
  void close() {
    env.close();
  }

  private String rejection(Consumer<Worker.Builder> config) {
    return assertThrows(IllegalArgumentException.class, () -> {
      Worker.Builder b = Worker.newBuilder(env.client(), "q");
      config.accept(b);
      b.build();
    }).getMessage();
  }

  @Test
  void workflowInterfaceWithoutAWorkflowMethodIsRejected() {
    assertEquals("DURABLE-202 invalid workflow: " + NoWorkflowMethod.class.getName() + " has no @WorkflowMethod;"
        + " a workflow interface has exactly one.",
        rejection(b -> b.registerWorkflowImplementationTypes(NoWorkflowMethodImpl.class)));
  }

  @Test
  void workflowInterfaceWithTwoWorkflowMethodsIsRejected() {
    String message = rejection(b -> b.registerWorkflowImplementationTypes(TwoWorkflowMethodsImpl.class));
    assertTrue(message.startsWith("DURABLE-202 invalid workflow: " + TwoWorkflowMethods.class.getName()
        + " declares more than one @WorkflowMethod"), message);
  }

  @Test
  void classThatImplementsNoWorkflowInterfaceIsRejected() {
    assertEquals("DURABLE-202 invalid workflow: java.lang.Object must implement exactly one interface annotated with"
        + " @WorkflowInterface, found none.", rejection(b -> b.registerWorkflowImplementationTypes(Object.class)));
  }

  @Test
  void workflowClassWithoutANoArgumentConstructorIsRejected() {
    assertEquals("DURABLE-202 invalid workflow: " + NeedsArgument.class.getName() + " needs a constructor without"
        + " parameters: a new instance is created for each run.",
        rejection(b -> b.registerWorkflowImplementationTypes(NeedsArgument.class)));
  }

  @Test
  void signalMethodThatReturnsAValueIsRejected() {
    assertEquals("DURABLE-202 invalid workflow: " + SignalReturnsValue.class.getName() + ".poke is a @SignalMethod and"
        + " must return void.", rejection(b -> b.registerWorkflowImplementationTypes(SignalReturnsValueImpl.class)));
  }

  @Test
  void workflowTypeRegisteredByTwoClassesIsRejected() {
    assertEquals("DURABLE-202 workflow type 'Valid' is registered twice: " + ValidImpl.class.getName() + " and "
        + OtherValidImpl.class.getName(),
        rejection(b -> b.registerWorkflowImplementationTypes(ValidImpl.class, OtherValidImpl.class)));
  }

  @Test
  void activityObjectWithoutAnActivityInterfaceIsRejected() {
    assertEquals("DURABLE-203 invalid activity: java.lang.String implements no interface annotated with"
        + " @ActivityInterface.", rejection(b -> b.registerActivitiesImplementations("not an activity")));
  }

  @Test
  void activityTypeRegisteredByTwoObjectsIsRejected() {
    Greet one = name -> "one";
    Greet two = name -> "two";
    String message = rejection(b -> b.registerActivitiesImplementations(one, two));
    assertTrue(message.startsWith("DURABLE-203 activity type 'Greet' is registered twice"), message);
  }

  @Test
  void invalidWorkerOptionsAreRejectedAtBuild() {
    assertEquals("DURABLE-201 maxConcurrentActivityTasks must be at least 1, got 0",
        rejection(b -> b.setMaxConcurrentActivityTasks(0)));
    assertEquals("DURABLE-201 maxConcurrentWorkflowTasks must be at least 1, got 0",
        rejection(b -> b.setMaxConcurrentWorkflowTasks(0)));
    assertEquals("DURABLE-201 stickyCacheSize must be at least 1, got 0", rejection(b -> b.setStickyCacheSize(0)));
    assertEquals("DURABLE-201 shutdownTimeout must be positive, got PT0S", rejection(b -> b.setShutdownTimeout(Duration.ZERO)));
    IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
        () -> Worker.newBuilder(env.client(), " ").build());
    assertEquals("DURABLE-201 taskQueue must be a non-empty string, got \" \"", blank.getMessage());
  }
}
