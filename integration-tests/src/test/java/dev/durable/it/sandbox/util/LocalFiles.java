package dev.durable.it.sandbox.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A helper library that reads files: whether its I/O is reported depends on passthrough settings. */
public final class LocalFiles {
  private LocalFiles() {}

  /** Returns the content of {@code file}. */
  public static String read(String file) {
    try {
      return Files.readString(Path.of(file)); // violation: read
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
