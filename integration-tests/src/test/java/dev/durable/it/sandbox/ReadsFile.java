package dev.durable.it.sandbox;

import dev.durable.workflow.Workflow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Reads a file three times from workflow code, at one source line, and tells whether
 * {@code Instant.now()} is workflow time. The argument is the file.
 */
public class ReadsFile implements StringWorkflow {
  /** How often the file is read. */
  static final int READS = 3;

  @Override
  public String run(String file) {
    StringBuilder contents = new StringBuilder();
    for (int i = 0; i < READS; i++) {
      try {
        contents.append(Files.readString(Path.of(file))); // violation: read
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return contents + ", Instant.now() is workflow time: " + Instant.now().equals(Workflow.now());
  }
}
