package dev.durable.internal.service;

import dev.durable.internal.Checks;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks shared by the client's connection options and the standalone server's options. */
public final class RemoteChecks {
  private RemoteChecks() {}

  /** Accepts null (no token) or non-blank printable ASCII; fails with DURABLE-201 otherwise. */
  public static String token(String token) {
    if (token != null && (token.isBlank() || token.chars().anyMatch(c -> c < 0x20 || c > 0x7e))) {
      throw Checks.invalid("token must be non-blank printable ASCII (it travels in an HTTP/2 header)");
    }
    return token;
  }

  /** Accepts null or a readable file; fails with DURABLE-201 naming {@code option} otherwise. */
  public static Path readableFile(String option, Path file) {
    if (file != null && !Files.isReadable(file)) {
      throw Checks.invalid(option + " must be a readable PEM file, got " + file.toAbsolutePath()
          + " (missing or not readable)");
    }
    return file;
  }
}
