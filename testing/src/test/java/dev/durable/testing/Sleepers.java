package dev.durable.testing;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.workflow.QueryMethod;
import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Workflows and activities the environment's tests run. */
final class Sleepers {
  private Sleepers() {}

  @ActivityInterface
  public interface Recorder {
    String record(String what);
  }

  static ActivityOptions options() {
    return ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build();
  }

  @WorkflowInterface
  public interface SleepThenRecord {
    /** Sleeps {@code days}, then records {@code name} through the activity; returns the wake-up time. */
    @WorkflowMethod
    long run(String name, int days);
  }

  public static class SleepThenRecordImpl implements SleepThenRecord {
    private final Recorder recorder = Workflow.newActivityStub(Recorder.class, options());

    @Override
    public long run(String name, int days) {
      Workflow.sleep(Duration.ofDays(days));
      recorder.record(name);
      return Workflow.currentTimeMillis();
    }
  }

  @WorkflowInterface
  public interface TimeLine {
    /** Returns the workflow time at the start and after each of {@code steps} sleeps of an hour. */
    @WorkflowMethod
    List<Long> run(int steps);
  }

  public static class TimeLineImpl implements TimeLine {
    @Override
    public List<Long> run(int steps) {
      List<Long> times = new ArrayList<>();
      times.add(Workflow.currentTimeMillis());
      for (int i = 0; i < steps; i++) {
        Workflow.sleep(Duration.ofHours(1));
        times.add(Workflow.currentTimeMillis());
      }
      return times;
    }
  }

  @WorkflowInterface
  public interface Collector {
    /** Collects {@code count} signals, waking up every day to check; returns them in arrival order. */
    @WorkflowMethod
    List<String> run(int count);

    @SignalMethod
    void add(String value);

    @QueryMethod
    int received();
  }

  public static class CollectorImpl implements Collector {
    private final List<String> values = new ArrayList<>();

    @Override
    public List<String> run(int count) {
      while (values.size() < count) {
        Workflow.await(Duration.ofDays(1), () -> values.size() >= count);
      }
      return values;
    }

    @Override
    public void add(String value) {
      values.add(value);
    }

    @Override
    public int received() {
      return values.size();
    }
  }
}
