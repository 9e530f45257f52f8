package dev.durable.testing;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowDescription;
import dev.durable.client.WorkflowHistory;
import dev.durable.internal.Deadlines;
import dev.durable.internal.server.ServerCore;
import dev.durable.server.Durability;
import dev.durable.server.DurableServer;
import dev.durable.worker.Worker;
import dev.durable.worker.WorkflowReplayer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The real engine for tests, on a temporary data dir, with a virtual clock. When every workflow
 * waits for a timer, time jumps to the next one, so {@code Workflow.sleep(Duration.ofDays(30))}
 * completes at once. The clock can also be moved by hand with {@link #sleep(Duration)}.
 *
 * <pre>{@code
 * try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
 *   env.newWorker("test", b -> b.registerWorkflowImplementationTypes(HelloWorkflowImpl.class)
 *                              .registerActivitiesImplementations((GreetingActivities) name -> "Hi " + name));
 *   HelloWorkflow wf = env.getWorkflowClient().newWorkflowStub(HelloWorkflow.class,
 *       WorkflowOptions.newBuilder().setTaskQueue("test").build());
 *   assertEquals("Hi World", wf.sayHello("World"));
 * }
 * }</pre>
 */
public final class TestWorkflowEnvironment implements AutoCloseable {
  private final Path dataDir;
  private final VirtualClock clock;
  private final DurableServer server;
  private final WorkflowClient client;
  private final TimeSkipper skipper;
  private final List<Worker> workers = new ArrayList<>();
  private final Set<Class<?>> workflowTypes = new LinkedHashSet<>();

  private TestWorkflowEnvironment(TestEnvironmentOptions options) {
    try {
      this.dataDir = Files.createTempDirectory("durable-test-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary data dir for the test environment", e);
    }
    this.clock = new VirtualClock(options.getStartTime() != null ? options.getStartTime() : Instant.now());
    // ASYNC: a test never survives a power loss, and the WAL is still written, so restarts in a test work.
    this.server = DurableServer.newBuilder().setDataDir(dataDir).setDurability(Durability.ASYNC).setClock(clock)
        .build().start();
    this.client = WorkflowClient.newInstance(server);
    this.skipper = new TimeSkipper((ServerCore) server.workflowService(), clock, options.isTimeSkipping());
  }

  /** Returns an environment with time skipping on. */
  public static TestWorkflowEnvironment newInstance() {
    return new TestWorkflowEnvironment(TestEnvironmentOptions.getDefaultInstance());
  }

  /** Returns an environment with the given options. */
  public static TestWorkflowEnvironment newInstance(TestEnvironmentOptions options) {
    return new TestWorkflowEnvironment(options);
  }

  /**
   * Builds and starts a worker on {@code taskQueue}; {@code registrations} registers workflows and
   * activities (lambdas and Mockito mocks of activity interfaces work as implementations).
   */
  public Worker newWorker(String taskQueue, UnaryOperator<Worker.Builder> registrations) {
    Worker worker = registrations.apply(Worker.newBuilder(client, taskQueue)).build();
    worker.start();
    workers.add(worker);
    workflowTypes.addAll(worker.getWorkflowImplementationTypes());
    return worker;
  }

  /** Returns the client of the environment's server. */
  public WorkflowClient getWorkflowClient() {
    return client;
  }

  /** Returns the embedded server. */
  public DurableServer getServer() {
    return server;
  }

  /** Returns the virtual clock, the one workflow time and server timers follow. */
  public Clock getClock() {
    return clock;
  }

  /** Returns the virtual time in milliseconds since the epoch. */
  public long currentTimeMillis() {
    return clock.millis();
  }

  /** Moves the virtual clock forward by {@code duration}; timers due by then fire. */
  public void sleep(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("DURABLE-201 the test clock only moves forward, got " + duration);
    }
    clock.advanceTo(Deadlines.after(clock.instant(), duration));
  }

  /** Turns time skipping on or off (for example while a test sends signals at precise times). */
  public void setTimeSkipping(boolean on) {
    skipper.setEnabled(on);
  }

  /** Returns whether time skipping is on. */
  public boolean isTimeSkipping() {
    return skipper.isEnabled();
  }

  /**
   * Replays the history of every closed workflow against the workflow classes registered on this
   * environment's workers, as a worker restarted on the same code would. A non-determinism in
   * the code shows up here, in a unit test, rather than in production.
   */
  public WorkflowReplayer.Results replayClosedWorkflows() {
    List<WorkflowHistory> histories = new ArrayList<>();
    for (WorkflowDescription d : client.listWorkflows(false, Integer.MAX_VALUE)) {
      if (d.isClosed()) {
        histories.add(client.newUntypedWorkflowStub(d.workflowId()).getHistory());
      }
    }
    if (histories.isEmpty() || workflowTypes.isEmpty()) {
      return new WorkflowReplayer.Results(0, List.of());
    }
    return WorkflowReplayer.replayWorkflowExecutions(histories, false, workflowTypes.toArray(new Class<?>[0]));
  }

  /** Stops the workers and the server and deletes the data dir. */
  @Override
  public void close() {
    skipper.close();
    for (Worker w : workers) {
      w.close();
    }
    client.close();
    server.close();
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary dir left behind is not worth failing a test for
    }
  }
}
