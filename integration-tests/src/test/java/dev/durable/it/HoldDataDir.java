package dev.durable.it;

import dev.durable.server.DurableServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Child JVM of {@link DataDirLockTest}: opens a server on a data dir, prints {@code holding},
 * and keeps the dir open until its stdin is closed.
 *
 * <p>Usage: {@code HoldDataDir dataDir}.
 */
public final class HoldDataDir {
  private HoldDataDir() {}

  /**
   * Runs the child.
   *
   * @param args the data dir
   */
  public static void main(String[] args) throws IOException {
    try (DurableServer server = DurableServer.newBuilder().setDataDir(Path.of(args[0])).build().start()) {
      System.out.println("holding " + server.getDataDir());
      System.in.transferTo(OutputStream.nullOutputStream()); // returns when the parent closes our stdin
    }
    System.out.println("released");
  }
}
