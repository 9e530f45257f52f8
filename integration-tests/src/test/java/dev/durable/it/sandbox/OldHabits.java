package dev.durable.it.sandbox;

import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.TimeUnit;

/**
 * A workflow whose code the sandbox treats differently by replay semantics: {@link Habits} sleeps
 * with {@code TimeUnit} (a durable timer from semantics 3 on, a real sleep before), draws from a
 * self-seeded {@code SplittableRandom} (the run's random stream from 3 on) and sums a parallel
 * stream (reported from 3 on); {@link ParallelOnly} only sums the stream; {@link ForkOnly} forks a
 * fork/join task (reported from 4 on); {@link JoinOnly} joins a thread (reported from 5 on).
 * {@link Plain} records the history they all replay: the start, one task, the result.
 */
@WorkflowInterface
public interface OldHabits {
  @WorkflowMethod
  String run();

  /** Records the history: nothing but the result. */
  final class Plain implements OldHabits {
    @Override
    public String run() {
      return "done";
    }
  }

  /** What a run of semantics 2 may have done and recorded as nothing but its result. */
  final class Habits implements OldHabits {
    @Override
    public String run() {
      try {
        TimeUnit.MILLISECONDS.sleep(1);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      long drawn = new SplittableRandom().nextLong();
      int sum = List.of(1, 2, 3).parallelStream().mapToInt(Integer::intValue).sum();
      return sum == 6 && drawn != 0 ? "done" : "wrong";
    }
  }

  /** A fork/join task forked (reported from semantics 4 on). */
  final class ForkOnly implements OldHabits {
    @Override
    public String run() {
      return ForkJoinTask.adapt(() -> "done").fork().join();
    }
  }

  /** The workflow thread joined for a moment (reported from semantics 5 on: a join would block it). */
  final class JoinOnly implements OldHabits {
    @Override
    public String run() {
      try {
        Thread.currentThread().join(1);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return "done";
    }
  }

  /** A parallel stream alone. */
  final class ParallelOnly implements OldHabits {
    @Override
    public String run() {
      return List.of(1, 2, 3).parallelStream().mapToInt(Integer::intValue).sum() == 6 ? "done" : "wrong";
    }
  }
}
