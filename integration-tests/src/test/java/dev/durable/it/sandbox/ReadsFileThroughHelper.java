package dev.durable.it.sandbox;

import dev.durable.it.sandbox.util.LocalFiles;

/** Reads a file through a helper library ({@link LocalFiles}). The argument is the file. */
public class ReadsFileThroughHelper implements StringWorkflow {
  @Override
  public String run(String file) {
    return LocalFiles.read(file);
  }
}
