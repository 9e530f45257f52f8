package dev.durable.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Forwards TCP connections from a port of its own to {@code target} on the loopback address, until
 * {@link #blackHole()}: from then on it drops every byte in both directions and forwards no new
 * connection, while keeping every connection open, as a network that loses everything without a
 * reset does. {@link #close()} closes all of them.
 */
final class TcpProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int target;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean blackHole;

  TcpProxy(int target) throws IOException {
    this.target = target;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    daemon("tcp-proxy-accept", this::accept);
  }

  int port() {
    return server.getLocalPort();
  }

  /** Drops everything from now on, without closing anything. */
  void blackHole() {
    blackHole = true;
  }

  private void accept() {
    try {
      while (true) {
        Socket client = server.accept();
        sockets.add(client);
        if (blackHole) {
          daemon("tcp-proxy-drop", () -> pump(client, null)); // accepted, then never answered
          continue;
        }
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
        sockets.add(upstream);
        daemon("tcp-proxy-up", () -> pump(client, upstream));
        daemon("tcp-proxy-down", () -> pump(upstream, client));
      }
    } catch (IOException e) {
      // closed
    }
  }

  /** Copies from {@code from} to {@code to} (null: nowhere) until either closes, dropping all once black-holed. */
  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[8192];
    try (InputStream in = from.getInputStream()) {
      OutputStream out = to == null ? null : to.getOutputStream();
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        if (!blackHole && out != null) {
          out.write(buffer, 0, n);
        }
      }
    } catch (IOException e) {
      // closed
    } finally {
      if (!blackHole) {
        closeQuietly(from);
        closeQuietly(to);
      }
    }
  }

  private static void daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      if (s != null) {
        s.close();
      }
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    sockets.forEach(TcpProxy::closeQuietly);
  }
}
