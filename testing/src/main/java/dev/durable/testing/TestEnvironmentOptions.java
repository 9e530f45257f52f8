package dev.durable.testing;

import java.time.Instant;
import java.util.Objects;

/** Options of a {@link TestWorkflowEnvironment}. */
public final class TestEnvironmentOptions {
  private final boolean timeSkipping;
  private final Instant startTime;

  private TestEnvironmentOptions(Builder b) {
    this.timeSkipping = b.timeSkipping;
    this.startTime = b.startTime;
  }

  /** Returns a new builder. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Returns the defaults: time skipping on, starting at the current real time. */
  public static TestEnvironmentOptions getDefaultInstance() {
    return newBuilder().build();
  }

  /** Returns whether time skips to the next timer when nothing else can happen. */
  public boolean isTimeSkipping() {
    return timeSkipping;
  }

  /** Returns the virtual clock's start, or null for the current real time. */
  public Instant getStartTime() {
    return startTime;
  }

  /** Builds {@link TestEnvironmentOptions}. */
  public static final class Builder {
    private boolean timeSkipping = true;
    private Instant startTime;

    private Builder() {}

    /** Sets whether time skips to the next timer when every workflow waits for one (default on). */
    public Builder setTimeSkipping(boolean timeSkipping) {
      this.timeSkipping = timeSkipping;
      return this;
    }

    /** Sets where the virtual clock starts (default: the current real time). */
    public Builder setStartTime(Instant startTime) {
      this.startTime = Objects.requireNonNull(startTime, "startTime");
      return this;
    }

    /** Builds the options. */
    public TestEnvironmentOptions build() {
      return new TestEnvironmentOptions(this);
    }
  }
}
