package dev.durable.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs each test of the class in a fresh {@link TestWorkflowEnvironment} with a worker for the
 * listed workflows and activities, and injects test method parameters: the environment, the
 * {@link dev.durable.client.WorkflowClient}, the {@link dev.durable.worker.Worker}, and a typed
 * stub for any workflow interface.
 *
 * <pre>{@code
 * @DurableTest(workflows = HelloWorkflowImpl.class, activities = GreetingActivitiesImpl.class)
 * class HelloWorkflowTest {
 *   @Test
 *   void greetsByName(HelloWorkflow workflow) {
 *     assertEquals("Hello, World!", workflow.sayHello("World"));
 *   }
 * }
 * }</pre>
 *
 * <p>For activity mocks or per-test instances, use {@link DurableExtension#newBuilder()} with
 * {@code @RegisterExtension} instead.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(DurableExtension.class)
public @interface DurableTest {
  /** Workflow implementation classes to register. */
  Class<?>[] workflows() default {};

  /** Activity implementation classes to instantiate (no-argument constructor) and register. */
  Class<?>[] activities() default {};

  /** The task queue of the worker and of injected stubs. */
  String taskQueue() default "test";

  /** Whether time skips to the next timer when every workflow waits for one. */
  boolean timeSkipping() default true;

  /** Whether every closed workflow is replayed from its history after the test (a non-determinism fails it). */
  boolean replayCheck() default true;
}
