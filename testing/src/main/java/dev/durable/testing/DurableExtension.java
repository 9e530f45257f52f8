package dev.durable.testing;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowOptions;
import dev.durable.worker.Worker;
import dev.durable.worker.WorkflowReplayer;
import dev.durable.workflow.WorkflowInterface;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: a fresh {@link TestWorkflowEnvironment} and worker per test, parameters
 * injected, everything closed after the test, and (by default) every closed workflow replayed
 * from its history so that non-determinism fails the test.
 *
 * <p>Configure it with {@link DurableTest} on the class, or register it with a builder to pass
 * activity instances such as mocks:
 *
 * <pre>{@code
 * @RegisterExtension
 * DurableExtension durable = DurableExtension.newBuilder()
 *     .registerWorkflowImplementationTypes(HelloWorkflowImpl.class)
 *     .registerActivitiesImplementations(() -> new Object[] {(GreetingActivities) name -> "Hi " + name})
 *     .build();
 * }</pre>
 */
public final class DurableExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DurableExtension.class);

  private final List<Class<?>> workflows;
  private final Supplier<Object[]> activities;
  private final String taskQueue;
  private final boolean timeSkipping;
  private final boolean replayCheck;
  private final boolean fromAnnotation;

  /** Used by {@link DurableTest}: the configuration is read from the annotation. */
  public DurableExtension() {
    this(List.of(), () -> new Object[0], "test", true, true, true);
  }

  private DurableExtension(List<Class<?>> workflows, Supplier<Object[]> activities, String taskQueue,
      boolean timeSkipping, boolean replayCheck, boolean fromAnnotation) {
    this.workflows = workflows;
    this.activities = activities;
    this.taskQueue = taskQueue;
    this.timeSkipping = timeSkipping;
    this.replayCheck = replayCheck;
    this.fromAnnotation = fromAnnotation;
  }

  /** Returns a builder for use with {@code @RegisterExtension}. */
  public static Builder newBuilder() {
    return new Builder();
  }

  private record State(TestWorkflowEnvironment env, Worker worker, String taskQueue, boolean replayCheck)
      implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      env.close();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    DurableExtension config = fromAnnotation ? fromAnnotation(context) : this;
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(
        TestEnvironmentOptions.newBuilder().setTimeSkipping(config.timeSkipping).build());
    try {
      Object[] acts = config.activities.get();
      Worker worker = env.newWorker(config.taskQueue, b -> {
        b.registerWorkflowImplementationTypes(config.workflows.toArray(new Class<?>[0]));
        return acts.length == 0 ? b : b.registerActivitiesImplementations(acts);
      });
      context.getStore(NAMESPACE).put(State.class, new State(env, worker, config.taskQueue, config.replayCheck));
    } catch (RuntimeException e) {
      env.close();
      throw e;
    }
  }

  private static DurableExtension fromAnnotation(ExtensionContext context) {
    DurableTest a = null;
    // @Nested test classes run in the environment their enclosing class declares.
    for (Class<?> c = context.getRequiredTestClass(); c != null && a == null; c = c.getEnclosingClass()) {
      a = c.getAnnotation(DurableTest.class);
    }
    if (a == null) {
      throw new ExtensionConfigurationException("DURABLE-223 DurableExtension without configuration: annotate "
          + context.getRequiredTestClass().getName() + " with @DurableTest(workflows = ..., activities = ...), or"
          + " register the extension with DurableExtension.newBuilder()...build()");
    }
    Class<?>[] activityTypes = a.activities();
    return new DurableExtension(List.of(a.workflows()), () -> instantiate(activityTypes), a.taskQueue(),
        a.timeSkipping(), a.replayCheck(), false);
  }

  private static Object[] instantiate(Class<?>[] types) {
    Object[] out = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      try {
        Constructor<?> c = types[i].getDeclaredConstructor();
        c.setAccessible(true);
        out[i] = c.newInstance();
      } catch (ReflectiveOperationException e) {
        throw new ExtensionConfigurationException("DURABLE-223 cannot create activity implementation "
            + types[i].getName() + " with a no-argument constructor; register an instance with"
            + " DurableExtension.newBuilder().registerActivitiesImplementations(...) instead", e);
      }
    }
    return out;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    State state = context.getStore(NAMESPACE).remove(State.class, State.class);
    if (state == null) {
      return;
    }
    try {
      if (state.replayCheck() && context.getExecutionException().isEmpty()) {
        WorkflowReplayer.Results results = state.env().replayClosedWorkflows();
        if (!results.ok()) {
          AssertionError error = new AssertionError("replay check failed: a workflow of this test does not replay"
              + " from its own history, so a worker restarted on this code would fail it. " + results);
          results.failures().forEach(f -> error.addSuppressed(f.error()));
          throw error;
        }
      }
    } finally {
      state.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == TestWorkflowEnvironment.class || type == WorkflowClient.class || type == Worker.class
        || (type.isInterface() && type.isAnnotationPresent(WorkflowInterface.class));
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    State state = context.getStore(NAMESPACE).get(State.class, State.class);
    if (state == null) {
      throw new ParameterResolutionException("DURABLE-223 no Durable test environment: parameters are injected into"
          + " test methods only, not into constructors or @BeforeAll methods");
    }
    Class<?> type = parameter.getParameter().getType();
    if (type == TestWorkflowEnvironment.class) {
      return state.env();
    }
    if (type == WorkflowClient.class) {
      return state.env().getWorkflowClient();
    }
    if (type == Worker.class) {
      return state.worker();
    }
    return state.env().getWorkflowClient().newWorkflowStub(type, WorkflowOptions.newBuilder()
        .setTaskQueue(state.taskQueue()).setWorkflowId(type.getSimpleName() + "-" + UUID.randomUUID()).build());
  }

  /** Builds a {@link DurableExtension} for {@code @RegisterExtension}. */
  public static final class Builder {
    private final List<Class<?>> workflows = new ArrayList<>();
    private Supplier<Object[]> activities = () -> new Object[0];
    private String taskQueue = "test";
    private boolean timeSkipping = true;
    private boolean replayCheck = true;

    private Builder() {}

    /** Registers workflow implementation classes. */
    public Builder registerWorkflowImplementationTypes(Class<?>... types) {
      workflows.addAll(List.of(types));
      return this;
    }

    /** Registers activity implementations; the supplier runs before each test (fresh mocks each time). */
    public Builder registerActivitiesImplementations(Supplier<Object[]> implementations) {
      this.activities = implementations;
      return this;
    }

    /** Sets the task queue of the worker and of injected stubs (default "test"). */
    public Builder setTaskQueue(String taskQueue) {
      this.taskQueue = taskQueue;
      return this;
    }

    /** Sets whether time skips to the next timer when every workflow waits for one (default on). */
    public Builder setTimeSkipping(boolean timeSkipping) {
      this.timeSkipping = timeSkipping;
      return this;
    }

    /** Sets whether closed workflows are replayed after each test (default on). */
    public Builder setReplayCheck(boolean replayCheck) {
      this.replayCheck = replayCheck;
      return this;
    }

    /** Builds the extension. */
    public DurableExtension build() {
      return new DurableExtension(List.copyOf(workflows), activities, taskQueue, timeSkipping, replayCheck, false);
    }
  }
}
