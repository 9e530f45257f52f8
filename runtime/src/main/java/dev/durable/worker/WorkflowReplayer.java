package dev.durable.worker;

import dev.durable.client.WorkflowHistory;
import dev.durable.failure.NondeterminismError;
import dev.durable.internal.model.EventAttributes;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.reflect.WorkflowInterfaceInfo;
import dev.durable.internal.replay.WorkflowRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Replays exported histories against today's workflow code, without a server, and reports
 * non-determinism exactly as a worker would ({@link NondeterminismError}, DURABLE-110). Run it in
 * CI before deploying a workflow change:
 *
 * <pre>{@code
 * @Test
 * void todaysCodeReplaysEveryRecordedHistory() {
 *   var results = WorkflowReplayer.replayWorkflowExecutions(
 *       WorkflowReplayer.readHistories(Path.of("src/test/resources/histories")), false, OrderWorkflowImpl.class);
 *   assertTrue(results.ok(), results.toString());
 * }
 * }</pre>
 *
 * <p>Histories come from {@code WorkflowStub.getHistory().toJson()} (format: docs/history-format.md).
 * Activities are not run: their results come from the history. A signal the code now drops (no
 * handler) but the recorded code handled, or the other way round, is reported too.
 */
public final class WorkflowReplayer {
  private WorkflowReplayer() {}

  /** The outcome of replaying one history. */
  public record Failure(String workflowId, String runId, Throwable error) {}

  /** The outcome of replaying many histories. */
  public record Results(int replayed, List<Failure> failures) {
    /** Returns whether every history replayed without error. */
    public boolean ok() {
      return failures.isEmpty();
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder(replayed + " histories replayed, " + failures.size() + " failed");
      for (Failure f : failures) {
        sb.append("\n- ").append(f.workflowId()).append(" (run ").append(f.runId()).append("): ")
            .append(f.error().getMessage());
      }
      return sb.toString();
    }
  }

  /**
   * Replays one history.
   *
   * @param history the history, e.g. from {@code client.newUntypedWorkflowStub(id).getHistory()}
   * @param implementation the workflow implementation class to replay against
   * @param more further implementation classes, when histories of several types are replayed
   * @throws NondeterminismError when today's code does not do what the history recorded
   */
  public static void replayWorkflowExecution(WorkflowHistory history, Class<?> implementation, Class<?>... more) {
    replay(history, registrations(implementation, more));
  }

  /** Replays one history given as JSON text (the form {@link WorkflowHistory#toJson()} writes). */
  public static void replayWorkflowExecution(String historyJson, Class<?> implementation, Class<?>... more) {
    replayWorkflowExecution(WorkflowHistory.fromJson(historyJson), implementation, more);
  }

  /** Replays one history read from a JSON file. */
  public static void replayWorkflowExecution(Path historyFile, Class<?> implementation, Class<?>... more) {
    replayWorkflowExecution(read(historyFile), implementation, more);
  }

  /**
   * Replays many histories and reports every failure.
   *
   * @param failFast stop at the first failure
   * @param implementations the workflow implementation classes
   */
  public static Results replayWorkflowExecutions(Iterable<WorkflowHistory> histories, boolean failFast,
      Class<?>... implementations) {
    if (implementations.length == 0) {
      throw new IllegalArgumentException("DURABLE-202 give at least one workflow implementation class to replay against");
    }
    Map<String, Class<?>> types = registrations(implementations[0],
        java.util.Arrays.copyOfRange(implementations, 1, implementations.length));
    List<Failure> failures = new ArrayList<>();
    int replayed = 0;
    for (WorkflowHistory h : histories) {
      replayed++;
      try {
        replay(h, types);
      } catch (RuntimeException | Error e) {
        failures.add(new Failure(h.getWorkflowId(), h.getRunId(), e));
        if (failFast) {
          break;
        }
      }
    }
    return new Results(replayed, List.copyOf(failures));
  }

  /** Reads every {@code *.json} history in a directory, sorted by file name. */
  public static List<WorkflowHistory> readHistories(Path directory) {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().map(WorkflowReplayer::read).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list histories in " + directory, e);
    }
  }

  private static WorkflowHistory read(Path file) {
    try {
      return WorkflowHistory.fromJson(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read history file " + file, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + " (file " + file + ")", e);
    }
  }

  private static Map<String, Class<?>> registrations(Class<?> first, Class<?>... more) {
    Map<String, Class<?>> out = new LinkedHashMap<>();
    out.put(WorkflowInterfaceInfo.forImplementation(first).workflowType(), first);
    for (Class<?> c : more) {
      out.put(WorkflowInterfaceInfo.forImplementation(c).workflowType(), c);
    }
    return out;
  }

  private static void replay(WorkflowHistory history, Map<String, Class<?>> types) {
    List<HistoryEvent> events = history.internalEvents();
    if (events.isEmpty() || !(events.get(0).attributes() instanceof EventAttributes.WorkflowExecutionStarted started)) {
      throw new IllegalArgumentException("DURABLE-218 history of '" + history.getWorkflowId()
          + "' does not begin with WorkflowExecutionStarted");
    }
    Class<?> impl = types.get(started.workflowType());
    if (impl == null) {
      throw new IllegalArgumentException("DURABLE-204 history of '" + history.getWorkflowId() + "' is of workflow type '"
          + started.workflowType() + "', but no implementation of it was given; given types: "
          + new TreeSet<>(types.keySet()));
    }
    WorkflowRun run = new WorkflowRun(WorkflowInterfaceInfo.forImplementation(impl), impl, started.workflowId(),
        history.getRunId(), started.taskQueue(), null);
    run.lock.lock();
    try {
      run.replayCompleted(events);
    } finally {
      run.destroy();
      run.lock.unlock();
    }
  }
}
