package example.sample;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Workflow-style code that resolves host names, and code that only makes addresses, which looks nothing up. */
public final class DnsSamples {
  private DnsSamples() {}

  /** {@link InetAddress#getByName}, for a method reference. */
  public interface Resolver {
    /** Resolves a host name. */
    InetAddress resolve(String host) throws UnknownHostException;
  }

  // Lookups.

  public static InetAddress getByName(String host) throws UnknownHostException {
    return InetAddress.getByName(host);
  }

  public static InetAddress[] getAllByName(String host) throws UnknownHostException {
    return InetAddress.getAllByName(host);
  }

  public static InetAddress getLocalHost() throws UnknownHostException {
    return InetAddress.getLocalHost();
  }

  /** The bytecode names Inet4Address, the class the call is written on. */
  public static InetAddress getByNameOnInet4Address(String host) throws UnknownHostException {
    return Inet4Address.getByName(host);
  }

  public static String getHostName(InetAddress address) {
    return address.getHostName();
  }

  public static String getCanonicalHostName(InetAddress address) {
    return address.getCanonicalHostName();
  }

  /** The bytecode names Inet4Address, the type of the variable. */
  public static String getHostNameOfInet4Address(Inet4Address address) {
    return address.getHostName();
  }

  /** The bytecode names Inet6Address, the type of the variable. */
  public static String getCanonicalHostNameOfInet6Address(Inet6Address address) {
    return address.getCanonicalHostName();
  }

  public static InetSocketAddress newSocketAddress(String host, int port) {
    return new InetSocketAddress(host, port);
  }

  public static InetAddress getByNameThroughAReference(String host) throws UnknownHostException {
    Resolver resolver = InetAddress::getByName;
    return resolver.resolve(host);
  }

  // No lookups.

  public static InetAddress getByAddress() throws UnknownHostException {
    return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
  }

  public static InetAddress getByAddressWithName(String host) throws UnknownHostException {
    return InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1});
  }

  public static InetAddress getLoopbackAddress() {
    return InetAddress.getLoopbackAddress();
  }

  public static String getHostAddress(InetAddress address) {
    return address.getHostAddress();
  }

  public static InetSocketAddress createUnresolved(String host, int port) {
    return InetSocketAddress.createUnresolved(host, port);
  }

  public static InetSocketAddress newSocketAddressOfAnAddress(InetAddress address, int port) {
    return new InetSocketAddress(address, port);
  }

  public static InetSocketAddress newWildcardSocketAddress(int port) {
    return new InetSocketAddress(port);
  }

  public static String getHostString(InetSocketAddress address) {
    return address.getHostString();
  }
}
