package dev.durable.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Records what a {@code java.util.logging} logger publishes while it is open, each message with its
 * parameters filled in. The engine logs through {@code System.Logger}, which goes to
 * {@code java.util.logging} in the tests.
 */
public final class LogCapture implements AutoCloseable {
  private final Logger logger;
  private final List<String> messages = new CopyOnWriteArrayList<>();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord r) {
      messages.add(new SimpleFormatter().formatMessage(r));
    }

    @Override
    public void flush() { }

    @Override
    public void close() { }
  };

  private LogCapture(String loggerName) {
    this.logger = Logger.getLogger(loggerName);
    logger.addHandler(handler);
  }

  /** Starts recording what the logger of this name publishes. */
  public static LogCapture of(String loggerName) {
    return new LogCapture(loggerName);
  }

  /** The messages published so far, oldest first. */
  public List<String> messages() {
    return List.copyOf(messages);
  }

  /** The messages published so far that start with {@code prefix} (an error code, say). */
  public List<String> startingWith(String prefix) {
    return messages.stream().filter(m -> m.startsWith(prefix)).toList();
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
  }
}
