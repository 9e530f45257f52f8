package dev.durable.remote.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.durable.common.DurableException;
import dev.durable.server.DurableServer;
import dev.durable.server.ServerMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves {@code GET /metrics}, the engine's {@link DurableServer#metrics()} in the Prometheus text
 * format, over plain HTTP (the JDK's server: no dependency). Any other path is 404, any other
 * method on it 405. One thread: a scrape takes microseconds, and scrapers come every few seconds.
 */
public final class MetricsEndpoint implements AutoCloseable {
  private final HttpServer http;
  private final ExecutorService executor;

  private MetricsEndpoint(HttpServer http, ExecutorService executor) {
    this.http = http;
    this.executor = executor;
  }

  /**
   * Binds {@code host:port} and starts serving {@code engine}'s metrics.
   *
   * @throws DurableException DURABLE-267 if the address cannot be bound
   */
  public static MetricsEndpoint start(String host, int port, DurableServer engine) {
    HttpServer http;
    try {
      http = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (IOException | RuntimeException e) {
      boolean inUse = e instanceof BindException || e.getCause() instanceof BindException;
      throw new DurableException("DURABLE-267", "cannot serve metrics on " + host + ":" + port + ": " + e.getMessage()
          + (inUse ? " (the port is in use: stop the other process or pick another --metrics-address)"
          : " (check --metrics-address: the host must be an address of this machine)"), e);
    }
    http.createContext("/", exchange -> {
      try (exchange) {
        respond(exchange, engine);
      }
    });
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "durable-metrics");
      t.setDaemon(true);
      return t;
    });
    http.setExecutor(executor);
    http.start();
    return new MetricsEndpoint(http, executor);
  }

  private static void respond(HttpExchange exchange, DurableServer engine) throws IOException {
    // The context "/" matches every path: only /metrics itself is served.
    if (!exchange.getRequestURI().getPath().equals("/metrics")) {
      send(exchange, 404, "text/plain; charset=utf-8", "not found: the metrics are at GET /metrics\n", true);
      return;
    }
    String method = exchange.getRequestMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      send(exchange, 405, "text/plain; charset=utf-8", "method not allowed: use GET /metrics\n", true);
      return;
    }
    String text;
    try {
      text = engine.metrics().toPrometheusText();
    } catch (RuntimeException e) { // the engine stopped, say after a storage failure
      send(exchange, 503, "text/plain; charset=utf-8", "metrics unavailable: " + e.getMessage() + "\n", true);
      return;
    }
    send(exchange, 200, ServerMetrics.PROMETHEUS_CONTENT_TYPE, text, method.equals("GET"));
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body, boolean withBody)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, withBody ? bytes.length : -1);
    if (withBody) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** Returns the bound port (the one picked when port 0 was asked for). */
  public int port() {
    return http.getAddress().getPort();
  }

  /** Stops serving at once: a scrape in flight is cut off, the scraper retries at its next interval. */
  @Override
  public void close() {
    http.stop(0);
    executor.shutdownNow();
  }
}
