package dev.durable.internal.service;

import dev.durable.client.ConnectionOptions;
import dev.durable.internal.Checks;

/**
 * A parsed {@code host:port}. Shared by the client's and the server's options.
 *
 * @param host the host, without brackets
 * @param port the port, 0..65535
 */
public record HostPort(String host, int port) {
  /** Parses {@code host:port} or {@code [ipv6]:port}; fails with DURABLE-201 naming {@code option}. */
  public static HostPort parse(String option, String address) {
    Checks.notBlank(option, address);
    int colon = address.lastIndexOf(':');
    String host = colon > 0 ? address.substring(0, colon) : "";
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = -1;
    try {
      port = colon > 0 ? Integer.parseInt(address.substring(colon + 1)) : -1;
    } catch (NumberFormatException e) {
      // reported below
    }
    if (host.isBlank() || port < 0 || port > 65535) {
      throw Checks.invalid(option + " must be HOST:PORT with a port from 0 to 65535, such as "
          + ConnectionOptions.DEFAULT_ADDRESS + ", got \"" + address + "\"");
    }
    return new HostPort(host, port);
  }

  /** {@code host:port}, with an IPv6 host in brackets. */
  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
